"""The README stays in step with the code."""

from __future__ import annotations

import re

from kb.cli import main
from kb.config import SETTINGS

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default():
    rows = dict(re.findall(r"^\| `(KB_[A-Z_]+)` \| `([^`]*)` \|", README, flags=re.M))
    expected = {s.name: str(s.default).lower() if isinstance(s.default, bool) else str(s.default) for s in SETTINGS}
    assert rows == expected


def test_every_command_is_documented():
    documented = set(re.findall(r"^\| `kb ([a-z]+)", README, flags=re.M))
    assert documented == set(main.commands)


def test_ci_runs_exactly_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert "./scripts/test" in README
    assert ci.strip().splitlines()[-1] == "./scripts/test"


def _named_paths(text: str) -> set[str]:
    """Repository paths a document names in backticks (placeholders such as ``content/<code>/`` left out)."""
    found = re.findall(r"`((?:kb|search|web|tests|scripts|bench|content)/[^`<{*\s]*)`", text)
    return {path.split("::")[0] for path in found}


def test_the_code_layout_names_only_files_that_exist():
    table = README.split("## Code layout", 1)[1]
    named = _named_paths(table)
    assert {"kb/languages.py", "kb/text.py", "web/app.py"} <= named
    assert sorted(path for path in named if not (REPO / path).exists()) == []


def test_contributing_points_at_files_that_exist():
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in README
    named = _named_paths((REPO / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    assert {"kb/languages.py", "search/ranking.py", "web/api.py", "kb/frontmatter.py", "web/site.py"} <= named
    assert sorted(path for path in named if not (REPO / path).exists()) == []
