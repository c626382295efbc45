"""Snippet matching: a text read afresh and a text kept as read mark the same words; the line sieve never
passes over a line with a matching word."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.loader import load
from kb.text import HYPHENS
from search.analysis import variants
from search.glossary import analyze_words
from search.highlight import Marks, ReadText, RecentTexts, matches
from search.languages import VOWEL_LETTERS, sieve_key
from search.normalize import deep, sieve
from search.results import match_terms
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
def test_a_kept_text_marks_what_a_fresh_one_marks(lang, lines):
    kb = load(CONTENT)
    kept = RecentTexts()  # each text read, then (its third time) analyzed
    marked = 0
    for article in kb.in_language(lang):
        for query in QUERIES[lang]:
            marks = query_terms(query, lang)
            fresh = matches(article.text, lang, marks, None, lines)
            assert matches(article.text, lang, marks, kept, lines) == fresh
            assert matches(article.text, lang, marks, kept, lines) == fresh  # the lines kept split
            marked += len(fresh)
    assert kept.read(kb.in_language(lang)[0].text, lang) is kept.read(kb.in_language(lang)[0].text, lang)
    assert kept.analyzed(kb.in_language(lang)[0].text, lang) is not None
    assert marked > 50  # the queries do match these articles


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
def test_every_reading_of_every_word_passes_the_line_sieve(lang):
    """The sieve passes over lines without reading them: every reading of every word of the real articles
    (and its deep form, what an exact match is sieved by) must be found in its folded line."""
    checked = 0
    edges = {
        "en": "to-be as-is co-ordination rising dying skies colour centres",
        "he": 'ה-CRM צה"ל שׁוּתָּפוּת',
        "ar": "للمشروع العملاء إدارة",
    }
    for article in [*load(CONTENT).in_language(lang), None]:
        for text in (article.title, article.summary, article.text) if article else (edges[lang],):
            folded = sieve(text).split("\n")
            read = ReadText(text, lang)
            for number in range(len(read.lines)):
                for form, _, _ in read.words(number):
                    for reading in {deep(form), *variants(form)}:
                        assert sieve_key(reading) in folded[number], (form, reading)
                        checked += 1
    assert checked > 10_000


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
def test_the_sieve_fold_is_the_deep_form_without_vowel_letters(lang):
    """The one-pass fold gives what deep() followed by dropping vowel letters and hyphens gives."""
    odd = " שָׁלוֹם וְהַלָּקוֹחוֹת وَالعُمَلَاء ﻻ ﬁle ＣＲＭ צה״ל it’s co-ordination e\u0301 \u200fCRM\u200f"
    for article in load(CONTENT).in_language(lang):
        for text in (article.title, article.summary, article.text + odd):
            expected = "".join(ch for ch in deep(text) if ch not in VOWEL_LETTERS and ch not in HYPHENS)
            assert sieve(text) == expected


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
def test_the_sieve_changes_no_verdict(lang):
    """Judged with the sieve, every word of the real articles gets the verdict it gets without it (an empty
    letter run, which every word holds)."""
    forms = set()
    for article in load(CONTENT).in_language(lang):
        read = ReadText(article.text, lang)
        forms.update(form for number in range(len(read.lines)) for form, _, _ in read.words(number))
    marked = 0
    for query in QUERIES[lang] + ["CRM", "IT"]:
        sieved = match_terms(analyze_words(query, lang), frozenset())
        unsieved = Marks(sieved.surfaces, sieved.readings, sieved.short)
        unsieved.__dict__["sieve"] = frozenset({""})
        verdicts = {form: sieved.judge(form) for form in forms}
        assert verdicts == {form: unsieved.judge(form) for form in forms}, query
        marked += sum(1 for kind in verdicts.values() if kind)
    assert len(forms) > 1_500 and marked > 10


def test_the_sieve_passes_over_lines_without_a_match(monkeypatch):
    import search.highlight as highlight

    read = []
    original = highlight.text_words
    monkeypatch.setattr(highlight, "text_words", lambda line, lang: read.append(line) or original(line, lang))
    text = "nothing here\nnone here\nthe organisation itself\nstill nothing\norganising again"
    found = matches(text, "en", query_terms("organization", "en"))
    assert [m.form for m in found] == ["organisation", "organising"]
    assert read == ["the organisation itself", "organising again"]


def test_a_text_is_kept_analyzed_only_after_it_comes_back():
    recent = RecentTexts(admit_after=3, analyzed_texts=2)
    assert recent.analyzed("first text", "en") is None
    assert recent.analyzed("first text", "en") is None
    kept = recent.analyzed("first text", "en")
    assert kept is not None and "first" in kept[0]
    assert recent.analyzed("first text", "en") is kept  # kept, not analyzed again
    for text in ("second", "third"):
        for _ in range(3):
            recent.analyzed(text, "en")
    assert recent.analyzed("first text", "en") is None  # evicted: two texts are kept analyzed


def test_texts_are_kept_within_their_characters_and_let_go_when_unused():
    recent = RecentTexts(chars=20)
    first = recent.read("first text", "en")  # 10 characters
    assert recent.read("first text", "en") is first  # kept, not folded again
    assert recent.read("first text", "he") is not first  # a text is read in its language
    recent.read("second one", "en")
    assert recent.read("first text", "en") is not first  # evicted: 30 characters held, 20 allowed
    kept = recent.read("second one", "en")
    recent.retire()  # every text was used since the last call: all stay
    assert recent.read("second one", "en") is kept
    recent.retire()
    recent.retire()  # not used between these two calls: let go
    assert recent.read("second one", "en") is not kept


def test_marks_land_on_the_original_characters():
    text = "שורה ראשונה\nוהלקוחות שׁלנו משתמשים בַּמערכת"
    marks = query_terms("לקוח מערכת", "he")
    kept = RecentTexts()
    for texts in (None, kept, kept):  # read afresh, then read and kept, then from what was kept
        found = matches(text, "he", marks, texts)
        assert [text[m.start : m.end] for m in found] == ["והלקוחות", "בַּמערכת"]


def test_snippet_keeps_vowel_marks_under_the_mark():
    text = "הַלָּקוֹחוֹת מרוצים"
    found = matches(text, "he", Marks(frozenset(), frozenset({"לקוחות"})))
    assert snippet(text, found) == "<mark>הַלָּקוֹחוֹת</mark> מרוצים"
