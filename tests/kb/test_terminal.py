"""kb/terminal.py: right-to-left text in visual order for terminals that print left to right."""

from __future__ import annotations

import pytest

from kb.terminal import shown, visual


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain English 2026", "plain English 2026"),
        ("שלום עולם", "םלוע םולש"),
        ("CRM בעברית", "CRM תירבעב"),  # a left-to-right line keeps its order; the Hebrew run is reversed
        ("מנהל CRM חדש", "שדח CRM להנמ"),  # a right-to-left line: English stays readable inside it
        ("2026 שנה", "הנש 2026"),
        ("שורה א\nשורה ב", "א הרוש\nב הרוש"),  # each line on its own
    ],
)
def test_hebrew_in_visual_order(text, expected):
    assert visual(text) == expected


def test_arabic_is_joined_then_reordered():
    # seen-lam-alef-meem: lam and alef join into one ligature, every letter takes its joined form.
    assert visual("سلام عليكم") == "\ufee2\ufedc\ufef4\ufee0\ufecb \ufee1\ufefc\ufeb3"
    assert visual("نظام CRM") == "CRM \ufee1\ufe8e\ufec8\ufee7"


def test_shown_changes_nothing_when_off():
    assert shown("שלום", False) == "שלום"
    assert shown("שלום", True) == "םולש"
