"""Shared fixtures: a small, valid content tree that tests copy and break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.loader import load

CORPUS = Path(__file__).parent / "corpus" / "content"
REPO = Path(__file__).resolve().parent.parent


class Corpus:
    """A writable copy of ``tests/corpus/content``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def load(self):
        return load(self.root)

    def problems(self) -> list[str]:
        return [str(p) for p in self.load().problems]


def append_paragraph(path: Path, line: str) -> None:
    """Add ``line`` as the last paragraph of the article at ``path``."""
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{line}\n", encoding="utf-8")


def extend_summary(path: Path, words: str) -> None:
    """Add ``words`` at the end of the summary of the article at ``path``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"{line.rstrip('.')} {words}." if line.startswith("summary:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def _records_database(tmp_path_factory):
    """Tests (and the servers they start) record into a database of their own, never var/records.db."""
    patch = pytest.MonkeyPatch()
    patch.setenv("KB_DATABASE_URL", f"sqlite:///{tmp_path_factory.mktemp('records')}/records.db")
    yield
    patch.undo()


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    root = tmp_path / "content"
    shutil.copytree(CORPUS, root)
    return Corpus(root)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """The corpus indexed once for the whole session: (content folder, index folder)."""
    from search.index import build

    root = tmp_path_factory.mktemp("indexed")
    content = root / "content"
    shutil.copytree(CORPUS, content)
    build(load(content), root / "index", content)
    return content, root / "index"


@pytest.fixture(scope="session")
def engine(corpus_index):
    from search.glossary import Glossary
    from search.query import SearchEngine

    content, index = corpus_index
    return SearchEngine(index, Glossary(load(content).glossary), content)


@pytest.fixture(scope="session")
def app(corpus_index):
    from web.app import create_app

    content, index = corpus_index
    return create_app({"KB_CONTENT_DIR": str(content), "KB_INDEX_DIR": str(index), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
