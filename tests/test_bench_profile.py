"""bench.profile reports time by stage, found by file and function name: each must name code that exists."""

from __future__ import annotations

import re
from pathlib import Path

import whoosh

from bench.profile import STAGES

ROOT = Path(__file__).resolve().parents[1]


def test_every_profiled_stage_names_a_function_that_exists():
    for label, suffix, name in STAGES:
        if suffix.startswith("whoosh/"):
            source = (Path(whoosh.__file__).parent / suffix.removeprefix("whoosh/")).read_text()
        else:
            source = (ROOT / suffix).read_text()
        assert re.search(rf"def {re.escape(name)}\b", source), label
