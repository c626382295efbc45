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
