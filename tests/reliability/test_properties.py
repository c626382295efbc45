"""Property tests (Hypothesis) over analysis, normalization, highlighting and the query path."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from search.analysis import analyze, surface_analyzer
from search.highlight import Marks, matches
from search.normalize import deep, surface
from search.snippets import clip, snippet
from tests.reliability import FUZZ

LANGS = ("he", "ar", "en")
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def _range(lo: int, hi: int):
    return st.characters(min_codepoint=lo, max_codepoint=hi)


hebrew = _range(0x0590, 0x05FF)
arabic = _range(0x0600, 0x06FF)
combining = st.sampled_from([chr(c) for c in (*range(0x0300, 0x0370), *range(0x05B0, 0x05C8), *range(0x064B, 0x0660))])
emoji = st.sampled_from(
    ["😀", "👩‍💻", "🏳️‍🌈", "🇮🇱", "👍🏽", "\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1", "🔟", "\u2764\ufe0f"]
)
bidi = st.sampled_from([chr(c) for c in (0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A))])
invisible = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"])
punct = st.sampled_from([*list(" \t\n-‐‑'\"׳״״'\"“”„.,;:!?()[]{}<>&/\\*~^_|ـ٫٬،؛؟0123456789٠١٢٣٤٥٦٧٨٩۰۱۲"), "  "])
latin = st.characters(min_codepoint=0x41, max_codepoint=0x7A)
odd = st.sampled_from(["ﷺ", "ﷻ", "ﻻ", "ﬁ", "ß", "İ", "ǅ", "Ω", "ﬆ", "㎏", "①", "ᄀ", "ᅡ", "ᆨ", "가", "\u0345", "ϐ", "ẞ"])

#: Characters that compose with their neighbour under NFC/NFKC without being nonspacing marks:
#: Hangul jamo (L + V -> LV, LV + T -> LVT) and two-part Indic vowel signs.
composable = st.sampled_from(
    ["\u1100", "\u1161", "\u11a8", "\uac00", "\u0b47", "\u0b3e", "\u0bc6", "\u0bbe", "\u0d46", "\u0d3e"]
)

any_text = st.text()
biased_char = st.one_of(hebrew, arabic, combining, emoji, bidi, invisible, punct, latin, odd, composable)
biased_text = st.lists(biased_char, max_size=80).map("".join)
#: Two composable characters kept apart by characters that normalization removes.
separated = st.tuples(
    composable,
    st.lists(st.one_of(combining, invisible, bidi, st.sampled_from(['"', "'"])), min_size=1, max_size=3),
    composable,
).map(lambda t: t[0] + "".join(t[1]) + t[2])
texts = st.one_of(any_text, biased_text, st.lists(st.one_of(biased_char, separated), max_size=10).map("".join))


# ---------------------------------------------------------------------------
# analyze(text, lang)
# ---------------------------------------------------------------------------


@SETTINGS
@given(text=texts, lang=st.sampled_from(LANGS))
@example(text='👩‍💻 מנכ"ל x-ray co-ordination', lang="he")
@example(text="وبالمعلومات 😀 الـــبيانات", lang="ar")
def test_analyze_tokens_point_into_the_text(text, lang):
    tokens = analyze(text, lang)
    last = -1
    for t in tokens:
        assert 0 <= t.start < t.end <= len(text), (t, len(text))
        assert t.term, t
        assert surface(text[t.start : t.end]), (t, text[t.start : t.end])
        assert t.position >= last, [(x.term, x.position) for x in tokens]
        last = t.position


# ---------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------


@SETTINGS
@given(text=texts)
@example(text="\u1100\u200b\u1161")  # Hangul L + zero-width space + V
@example(text="\u0bc6\u0300\u0bbe")  # Tamil two-part vowel sign split by a combining mark
def test_surface_is_idempotent(text):
    once = surface(text)
    assert surface(once) == once, (text, once, surface(once))


@SETTINGS
@given(text=texts)
@example(text='\u1100"\u1161')  # Hangul L + quote (deep drops quotes) + V
def test_deep_is_idempotent(text):
    once = deep(text)
    assert deep(once) == once, (text, once, deep(once))


@SETTINGS
@given(text=st.text(st.characters(categories=["Cs", "Lo", "Mn", "Zs"]), max_size=30), lang=st.sampled_from(LANGS))
def test_lone_surrogates_do_not_crash(text, lang):
    """``kb analyze`` gets lone surrogates from undecodable argv bytes (surrogateescape)."""
    surface(text)
    deep(text)
    analyze(text, lang)


# ---------------------------------------------------------------------------
# Snippets
# ---------------------------------------------------------------------------


def _check_snippet_html(html: str) -> None:
    marks = re.findall(r"</?mark>", html)
    depth = 0
    for tag in marks:
        depth += 1 if tag == "<mark>" else -1
        assert depth in (0, 1), f"nested or unbalanced marks: {html!r}"
    assert depth == 0, f"unclosed mark: {html!r}"
    bare = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in bare and ">" not in bare, f"unescaped markup: {html!r}"
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;)", bare), f"bare ampersand: {html!r}"


@st.composite
def texts_with_queries(draw):
    text = draw(
        st.one_of(texts, st.lists(st.one_of(biased_char, st.sampled_from(list("<>&\"'"))), max_size=400).map("".join))
    )
    lang = draw(st.sampled_from(LANGS))
    words = [t.text for t in surface_analyzer(lang)(text, positions=True, chars=True, mode="index")]
    chosen = draw(st.lists(st.sampled_from(words), max_size=5)) if words else []
    use_readings = draw(st.booleans())
    surfaces = frozenset() if use_readings else frozenset(chosen)
    readings = frozenset(deep(w) for w in chosen) if use_readings else frozenset()
    width = draw(st.one_of(st.just(220), st.integers(min_value=1, max_value=300)))
    return text, lang, surfaces, readings, width


@SETTINGS
@given(case=texts_with_queries())
@example(case=("<b>data</b> & <script>data</script>", "en", frozenset({"data"}), frozenset(), 220))
def test_snippet_is_safe_html_with_flat_marks(case):
    text, lang, surfaces, readings, width = case
    found = matches(text, lang, Marks(surfaces, readings))
    for start, end, *_ in found:
        assert 0 <= start < end <= len(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found)), found
    if found:
        _check_snippet_html(snippet(text, found, width=width))
    _check_snippet_html(clip(text, width=width))


# ---------------------------------------------------------------------------
# The query path
# ---------------------------------------------------------------------------

query_chars = st.one_of(biased_char, st.sampled_from([*list('"“”„*?~^:()[]{}+-!&|\\/'), "AND", "OR", "NOT", "TO"]))
queries = st.one_of(
    st.text(max_size=1000),
    st.lists(query_chars, max_size=200).map("".join),
    st.lists(
        st.sampled_from(["data", "נתונים", "البيانات", "goals", "מטרות", "KPI", '"', "title:(", 'מנכ"ל']), max_size=30
    ).map(" ".join),
)


@FUZZ
@given(q=queries, lang=st.sampled_from(LANGS), limit=st.integers(1, 50))
@example(q='"' * 999, lang="he", limit=50)
@example(q='"נתונים AND (title:data OR "', lang="he", limit=1)
def test_engine_search_never_raises(engine, q, lang, limit):
    assume(len(q) <= 1000)
    results = engine.search(q, lang, limit=limit)
    assert results.total >= len(results.hits)
    assert len(results.hits) <= limit
    for hit in results.hits:
        assert hit.lang == lang
        _check_snippet_html(hit.snippet)


@pytest.mark.parametrize("lang", LANGS)
def test_engine_search_category_filter_with_hostile_query(engine, lang):
    for q in ('"', "*", "נתונים \x00", "\ud800", "😀" * 500):
        engine.search(q, lang, limit=5, category="data")
