"""A build with several segments and deletions, shared by the scoring and postings tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.loader import load
from search.index import build, update

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="session")
def updated_index(tmp_path_factory):
    """The real knowledge base, built, then one article changed and updated: two segments, one deletion."""
    root = tmp_path_factory.mktemp("scoring")
    content = root / "content"
    shutil.copytree(CONTENT, content)
    build(load(content), root / "index", content)
    for lang in ("he", "ar", "en"):
        path = next((content / lang).glob("*.md"))
        path.write_text(path.read_text(encoding="utf-8") + "\nCRM KPI\n", encoding="utf-8")
    info = update(load(content), root / "index", content)
    return info.path


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory):
    """An engine over the repository's own content (its 63 articles and glossary), indexed once."""
    from search.query import open_live

    root = tmp_path_factory.mktemp("real")
    kb = load(CONTENT)
    build(kb, root / "index", CONTENT)
    return open_live(root / "index", kb, CONTENT)
