"""Which section of an article the words typed are in (instant search's links to ``#anchor``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kb.model import Article, Heading
from search.glossary import analyze_words
from search.sections import Sections, prefix_forms
from search.suggest import stems

HEADINGS = (
    Heading(2, "מה הבעיה", "problem", 3),
    Heading(2, "סימני אזהרה", "signs", 6),
    Heading(3, "נתונים חסרים", "missing-data", 8),
    Heading(2, "איך לתקן", "fix", 10),
)
TEXT = "\n".join(
    [
        "מבוא על מערכת CRM ועל תקציב.",  # the introduction: no section
        "מה הבעיה",
        "הצוות לא שיתף את הלקוחות בתכנון.",
        "סימני אזהרה",
        "אין משוב מהלקוח, אין משוב מהמשתמשים.",
        "נתונים חסרים",
        "רשומות כפולות במערכת.",
        "איך לתקן",
        "לשתף את הלקוח, לשתף את הלקוחות ולשתף את ההנהלה.",
    ]
)


def article(text: str = TEXT, headings=HEADINGS) -> Article:
    return Article(
        id="example",
        lang="he",
        title="דוגמה",
        summary="",
        category=None,
        related=(),
        sources=(),
        keywords=(),
        reviewed=dt.date(2026, 1, 1),
        path=Path("example.md"),
        headings=headings,
        text=text,
    )


def best(sections: Sections, typed: str, prefix: str = ""):
    words = [sections.word(w.core | {w.deep}) for w in analyze_words(typed, "he")]
    if prefix:
        words.append(sections.prefix(stems(prefix)))
    heading = sections.best(words)
    return heading.anchor if heading else None


def test_a_prefix_with_prefix_letters_finds_the_word():
    sections = Sections(article())
    # והלקו: ו and ה stripped; the word comes in three sections, most often in "fix".
    assert best(sections, "", "והלקו") == "fix"
    assert best(sections, "", "רשומ") == "missing-data"  # a level-3 heading has its own anchor


def test_a_word_in_a_heading_counts_twice():
    sections = Sections(article())
    assert best(sections, "אזהרה") == "signs"
    assert best(sections, "משוב אזהרה") == "signs"
    # A prefix of a heading word.
    assert best(sections, "", "לתק") == "fix"


def test_the_section_holding_most_of_the_words():
    sections = Sections(article())
    assert best(sections, "לקוחות משוב") == "signs"  # both words there, one in "fix"


def test_only_the_introduction_matched():
    sections = Sections(article())
    assert best(sections, "תקציב") is None
    assert best(sections, "", "זזזז") is None


def test_headings_missing_from_the_text_are_skipped():
    sections = Sections(article(headings=(Heading(2, "כותרת שאיננה", "gone", 2), *HEADINGS)))
    assert [h.anchor for h in sections.headings] == ["problem", "signs", "missing-data", "fix"]


def test_prefix_forms():
    assert prefix_forms("והלקו") == {"והלקו", "הלקו", "לקו"}
    assert prefix_forms("kpi") == {"kpi"}
