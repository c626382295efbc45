"""kb.text: the one list of invisible characters and script ranges."""

from __future__ import annotations

import pytest

from kb.text import BIDI_CONTROLS, INVISIBLE, first_invisible, has_rtl, script


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("שלום", "he"),
        ("שָׁלוֹם", "he"),
        ("ﬠ", "he"),  # a Hebrew presentation form
        ("العملاء", "ar"),
        ("ﻻ", "ar"),  # lam-alef, a presentation form
        ("ݐ", "ar"),  # Arabic Supplement
        ("CRM", "en"),
        ("2026 CRM", "en"),
        ("42", "en"),
        ("", "en"),
    ],
)
def test_script_is_told_by_the_first_letter(word, lang):
    assert script(word) == lang


@pytest.mark.parametrize(
    ("text", "rtl"),
    [("plain English", False), ("CRM בעברית", True), ("نظام CRM", True), ("ܫܠܡܐ", True), ("12 + 3", False)],
)
def test_has_rtl(text, rtl):
    assert has_rtl(text) is rtl


def test_first_invisible_finds_marks_and_bidi_controls():
    assert first_invisible("plain") is None
    assert first_invisible("ab\u200fcd\u202e") == 2
    assert first_invisible("x\u00ady") == 1
    assert 0x202E in BIDI_CONTROLS and 0x2067 in BIDI_CONTROLS
    assert BIDI_CONTROLS < INVISIBLE and 0x200B in INVISIBLE - BIDI_CONTROLS


def test_the_loader_and_search_use_the_same_list():
    import kb.loader
    import search.normalize

    assert kb.loader.INVISIBLE is INVISIBLE
    assert search.normalize.surface("ab\u200bc\u202ed") == "abcd"
