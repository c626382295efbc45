"""Snippets: the best passages, one line each, each query word marked once, never a word cut.

Made-up words (zorb, flurp, זרבק) in made-up texts.
"""

from __future__ import annotations

import re

from search.glossary import analyze_words
from search.highlight import Marks, matches
from search.results import match_terms
from search.snippets import MAX_PASSAGES, snippet


def marks_for(query: str, lang: str) -> Marks:
    return match_terms(analyze_words(query, lang), frozenset())


def show(text: str, query: str, lang: str = "en", title: str = "", **kwargs) -> str:
    marks = marks_for(query, lang)
    title_keys = frozenset().union(*(marks.keys(m.form) for m in matches(title, lang, marks)))
    return snippet(text, matches(text, lang, marks), marks, title=title, title_keys=title_keys, **kwargs)


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def passages(html: str) -> list[str]:
    bare = re.sub(r"</?mark>", "", html)
    return [p.strip() for p in bare.split("…") if p.strip()]


def test_the_line_with_the_word_itself_comes_before_one_with_a_reading():
    text = "Zorbing is mentioned once here.\nNothing at all.\nThe zorb itself, with its flurp."
    html = show(text, "zorb")
    assert passages(html) == ["The zorb itself, with its flurp."]
    assert marked(html) == ["zorb"]
    html = show(text, "zorbing")  # now the other line holds the word itself
    assert passages(html) == ["Zorbing is mentioned once here."]


def test_a_passage_never_runs_a_heading_into_the_text():
    text = "Intro ends weakly.\nWhat the zorb problem is\nZorb failures happen when nobody plans.\nMore text."
    html = show(text, "zorb")
    lines = text.split("\n")
    for passage in passages(html):
        assert any(passage in line for line in lines), passage
    assert "weakly. What" not in html and "is Zorb" not in html


def test_each_word_is_marked_once_and_not_when_the_title_shows_it():
    text = "The zorb here. A zorb there. Every zorb and flurp everywhere."
    assert marked(show(text, "zorb")) == ["zorb"]
    html = show(text, "zorb flurp", title="All about zorb")
    assert marked(html) == ["flurp"]


def test_a_short_word_is_not_marked_inside_a_longer_one():
    assert marked(show("Its value lies with IT teams.", "IT")) == ["IT"]
    assert marked(show("ממשקים רבים בתוך המשק.", "משק", "he")) == ["המשק"]


def test_at_most_two_passages_and_no_word_cut():
    lines = [" ".join(["alpha"] * 60 + [f"zorb{i} flurp{i}"] + ["beta"] * 60) for i in range(5)]
    text = "\n".join(lines)
    html = show(text, " ".join(f"zorb{i}" for i in range(5)), width=120)
    found = passages(html)
    assert 1 <= len(found) <= MAX_PASSAGES
    words = set(text.split())
    for passage in found:
        assert set(passage.split()) <= words, passage


def test_a_second_passage_only_for_a_word_the_first_lacks():
    assert passages(show("The zorb and flurp here.\nThe zorb again.", "zorb flurp")) == ["The zorb and flurp here."]
    assert passages(show("The zorb here.\nA flurp there.", "zorb flurp")) == ["The zorb here.", "A flurp there."]
