"""Snippet matching: a text scanned once and a text kept analyzed mark the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.loader import load
from search.glossary import analyze_words
from search.highlight import Marks, RecentTexts, matches
from search.snippets import snippet

CONTENT = Path(__file__).resolve().parents[2] / "content"

QUERIES = {
    "he": ["והלקוחות משתמשים", "מערכת CRM", "נתונים כפולים", "הדרכה", "שיתוף"],
    "ar": ["والعملاء يستخدمون", "النظام", "بيانات مكررة", "التدريب"],
    "en": ["users data", "CRM KPI", "training", "organisation"],
}


def query_terms(query: str, lang: str) -> Marks:
    words = analyze_words(query, lang)
    return Marks(frozenset(w.surface for w in words), frozenset(r for w in words for r in w.readings))


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
@pytest.mark.parametrize("lines", [1, 3, 1000])
def test_kept_analysis_marks_what_a_scan_marks(lang, lines):
    kb = load(CONTENT)
    kept = RecentTexts(admit_after=1)  # every text kept analyzed the first time it is shown
    marked = 0
    for article in kb.in_language(lang):
        for query in QUERIES[lang]:
            marks = query_terms(query, lang)
            scanned = matches(article.text, lang, marks, None, lines)
            assert matches(article.text, lang, marks, kept, lines) == scanned
            marked += len(scanned)
    assert kept.analyzed(kb.in_language(lang)[0].text, lang) is not None
    assert marked > 50  # the queries do match these articles


def test_a_text_is_kept_only_after_it_comes_back():
    recent = RecentTexts(size=2, admit_after=3)
    assert recent.analyzed("first text", "en") is None
    assert recent.analyzed("first text", "en") is None
    kept = recent.analyzed("first text", "en")
    assert kept is not None and "first" in kept[0]
    assert recent.analyzed("first text", "en") is kept  # kept, not analyzed again
    for text in ("second", "third"):
        for _ in range(3):
            recent.analyzed(text, "en")
    assert recent.analyzed("first text", "en") is None  # evicted: two texts are kept


def test_marks_land_on_the_original_characters():
    text = "שורה ראשונה\nוהלקוחות שׁלנו משתמשים בַּמערכת"
    marks = query_terms("לקוח מערכת", "he")
    kept = RecentTexts(admit_after=1)
    for texts in (None, kept, kept):  # scanned, then analyzed and kept, then looked up in what was kept
        found = matches(text, "he", marks, texts)
        assert [text[m.start : m.end] for m in found] == ["והלקוחות", "בַּמערכת"]


def test_snippet_keeps_vowel_marks_under_the_mark():
    text = "הַלָּקוֹחוֹת מרוצים"
    found = matches(text, "he", Marks(frozenset(), frozenset({"לקוחות"})))
    assert snippet(text, found) == "<mark>הַלָּקוֹחוֹת</mark> מרוצים"
