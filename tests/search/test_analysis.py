"""Analyzers: tokens, offsets, normalization and pickling."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import analyze, stem_analyzer, surface_analyzer
from search.index import PartText, schema
from search.languages import BY_CODE
from search.languages.en import americanize
from search.languages.he import prefix_readings, skeleton
from search.normalize import deep, surface
from search.words import IcuTokenizer


def words(text: str, lang: str = "he") -> list[str]:
    return [text[s:e] for s, e in IcuTokenizer(lang).spans(text)]


def shares_a_term(a: str, b: str, lang: str) -> bool:
    return bool({t.term for t in analyze(a, lang)} & {t.term for t in analyze(b, lang)})


def test_words_keep_their_vowel_marks():
    assert words("שָׁלוֹם עוֹלָם") == ["שָׁלוֹם", "עוֹלָם"]
    assert words("الْعُمَلاءِ والعملاء", "ar") == ["الْعُمَلاءِ", "والعملاء"]


@pytest.mark.parametrize("acronym", ['מנכ"ל', "מנכ״ל", "צה''ל", "דו״ח"])
def test_hebrew_acronyms_stay_one_token(acronym):
    assert words(f"של {acronym} החברה") == ["של", acronym, "החברה"]


def test_offsets_are_python_indices_after_emoji():
    text = "😀 CRM 🚀 לקוחות"
    tokens = list(surface_analyzer("he")(text, positions=True, chars=True))
    assert [(t.text, text[t.startchar : t.endchar]) for t in tokens] == [("crm", "CRM"), ("לקוחות", "לקוחות")]


def test_analyze_offsets_point_at_the_original_characters():
    text = "גִּישָׁה נִיהוּלִית"
    for token in analyze(text, "he"):
        assert text[token.start : token.end] in ("גִּישָׁה", "נִיהוּלִית")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CRM", "crm"),
        ("גִּישָׁה", "גישה"),
        ("الْمَشْرُوعِ", "المشروع"),
        ("البيـــانات", "البيانات"),
        ("٢٠٢٦", "2026"),
        ("מנכ״ל", 'מנכ"ל'),
        ("a\u200bb\u202ec", "abc"),
    ],
)
def test_surface_normalization(raw, expected):
    assert surface(raw) == expected
    assert surface(surface(raw)) == surface(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("أهداف", "اهداف"), ("إدارة", "اداره"), ("الكافى", "الكافي"), ("تکنولوجيا", "تكنولوجيا"), ("קמפיין", "קמפיינ")],
)
def test_deep_normalization(raw, expected):
    assert deep(raw) == expected
    assert deep(deep(raw)) == deep(raw)


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [
        ("ובלקוחות", "לקוח", "he"),
        ("כשהצוותים", "צוות", "he"),
        ("ההדרכות", "הדרכה", "he"),
        ("תיכנון", "תכנון", "he"),
        ("אירגון", "ארגון", "he"),
        ("מְנַהֵל", "מנהל", "he"),
        ("ועמיתינו", "עמית", "he"),
        ("وبالتدريب", "تدريب", "ar"),
        ("للموظفين", "موظف", "ar"),
        ("شركاتهم", "شركات", "ar"),
        ("الإستراتيجية", "استراتيجيات", "ar"),
        ("organisations", "organization", "en"),
        ("co-operation", "cooperation", "en"),
        ("trainers", "trainer", "en"),
    ],
)
def test_forms_that_should_meet_share_a_term(a, b, lang):
    assert shares_a_term(a, b, lang)


@pytest.mark.parametrize(("a", "b", "lang"), [("לקוח", "ספק", "he"), ("مشروع", "عميل", "ar"), ("goal", "vendor", "en")])
def test_different_words_do_not_meet(a, b, lang):
    assert not shares_a_term(a, b, lang)


def test_short_words_are_not_mangled():
    assert prefix_readings("של") == set()
    assert prefix_readings("היעד") == {"יעד"}
    assert BY_CODE["ar"].variants("الله") == {"الله"}


def test_skeleton_meets_full_and_defective_spelling():
    assert skeleton("שיתופ") == skeleton("שתופ")


def test_british_spelling_is_folded():
    assert americanize("prioritise") == "prioritize"
    assert americanize("four") == "four"


def test_stop_words_go_but_acronyms_stay():
    terms = [t.term for t in analyze("חוסר תיאום בין IT לבין העסק", "he")]
    assert "it" in terms
    assert "בין" not in terms


def test_schema_and_analyzers_pickle():
    for lang in ("he", "ar", "en"):
        clone = pickle.loads(pickle.dumps(schema(lang)))
        tokens = [t.text for t in clone["body_s"].analyzer("והלקוחות")]
        assert "לקוחות" in tokens
    fresh = pickle.loads(pickle.dumps(stem_analyzer("ar")))
    assert "مشروع" in [t.text for t in fresh("للمشروع")]


@pytest.mark.parametrize(
    "text,lang",
    [
        ('והלקוחות של החברה, הלקוחות והלקוח: מנכ"ל ה-CRM שׁלום שלום', "he"),
        ("والعملاء يستخدمون النظام، العملاء والعميل؛ مؤشرات KPI الأداء الأداء", "ar"),
        ("Co-ordination of the users' data: users, user, organisation 2024 CRM", "en"),
    ],
)
def test_fields_index_what_their_analyzers_would(text, lang):
    """The fields' own index() (one tokenization per part, readings per distinct word) equals Whoosh's path."""
    from search.index import schema

    fields = schema(lang)
    for name in ("body_x", "body_s", "title_s"):
        field = fields[name]
        whooshs = sorted(
            (w.encode("utf-8"), freq, weight, value)
            for w, freq, weight, value in field.format.word_values(text, field.analyzer, mode="index")
        )
        assert sorted(field.index(text)) == whooshs
        assert whooshs


_ALPHABET = "אבגדהוזחטיכלמנסעפצקרשתךםןףץ" + "ابتثجحخدذرسشصضطظعغفقكلمنهوي" + "abcXYZ" + "ְַָּ" + " -'\"״.,:\n0123"


@given(st.text(alphabet=_ALPHABET, max_size=80))
@settings(max_examples=200, deadline=None)
def test_a_part_indexes_what_whoosh_would_from_its_analyzers(text):
    """A part's text, tokenized once for its two fields (PartText), indexes what Whoosh's own path would."""
    for lang in ("he", "ar", "en"):
        fields = schema(lang)
        part = PartText(text)
        for name in ("body_x", "body_s"):
            field = fields[name]
            whooshs = sorted(
                (w.encode("utf-8"), freq, weight, value)
                for w, freq, weight, value in field.format.word_values(text, field.analyzer, mode="index")
            )
            assert sorted(field.index(part)) == whooshs


@given(st.text(alphabet="aeioulrstymgcn", min_size=3, max_size=9), st.sampled_from(["", "s", "ed", "ing", "er"]))
@settings(max_examples=400, deadline=None)
def test_the_endings_shortcut_changes_no_spelling(stem, ending):
    """americanize() skips its patterns for words ending otherwise; trying every pattern gives the same."""
    from search.languages.en import respell

    word = stem + ending
    assert americanize(word) == respell(word)
