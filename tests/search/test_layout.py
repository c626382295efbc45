"""Queries typed with the wrong keyboard layout: the keys read on the layout meant."""

from __future__ import annotations

import pytest

from search.layout import MAX_LAYOUT_WORDS, conversions, letters_script, to_latin, to_layout


@pytest.mark.parametrize(
    ("typed", "script", "meant"),
    [
        ("keuj", "he", "לקוח"),  # SI-1452: k ל, e ק, u ו, j ח
        ("nbvk", "he", "מנהל"),
        ("vxrv", "he", "הסרה"),
        ("hgulghx", "ar", "العملاء"),  # Arabic PC: h ا, g ل, u ع, l م, x ء
        ("lav,u", "ar", "مشروع"),
        ("bf", "ar", "لاب"),  # one key types the ligature lam-alef
        ("Hi]hu", "ar", "أهداع"),  # shift types the hamza forms of alef
    ],
)
def test_latin_keys_read_on_the_hebrew_and_arabic_layouts(typed, script, meant):
    assert to_layout(typed, script) == meant


@pytest.mark.parametrize(
    ("typed", "script", "meant"),
    [
        ("לקוח", "he", "keuj"),
        ("ןמאקערשאןםמ", "he", "integration"),  # final letters are keys too (ן i, ם o)
        ("ףךן", "he", ";li"),
        ("هىفثلقشفهخى", "ar", "integration"),
        ("لاثشي", "ar", "bead"),  # the ligature back to its one key
        ("أ", "ar", "h"),
    ],
)
def test_hebrew_and_arabic_keys_read_on_the_english_layout(typed, script, meant):
    assert to_latin(typed, script) == meant


def test_conversions_follow_the_script_of_the_letters():
    assert conversions("keuj", "he") == ["לקוח", "نثعت"]
    assert conversions("keuj", "ar")[0] == "نثعت"  # the language searched in comes first
    assert conversions("לקוח", "en") == ["keuj"]
    assert conversions("هىفثلقشفهخى", "he") == ["integration"]
    assert conversions("CRM לקוח", "he") == []  # mixed scripts: written on purpose
    assert conversions("2024 !?", "en") == []
    assert conversions("keuj " * (MAX_LAYOUT_WORDS + 1), "he") == []  # long queries are meant as typed
    assert letters_script("keuj 2024") == "en" and letters_script("שלום world") is None


def test_a_query_typed_on_the_wrong_layout_is_searched_as_meant(real_engine):
    results = real_engine.search("keuj", "he")
    assert results.searched == "לקוח" and results.suggestion == "לקוח"
    assert results.query == "keuj"
    assert results.hits == real_engine.search("לקוח", "he").hits
    arabic = real_engine.search("hgulghx", "ar")
    assert arabic.searched == "العملاء" and arabic.hits
    english = real_engine.search("ןמאקערשאןםמ", "en")
    assert english.searched == "integration" and english.hits


def test_a_query_found_as_typed_is_not_converted(real_engine):
    results = real_engine.search("customer", "en")
    assert results.searched is None and results.hits
    assert results.to_json().get("searched") is None


def test_a_conversion_that_finds_nothing_good_is_not_offered(real_engine):
    results = real_engine.search("zzqx", "he")  # זז/ס on the Hebrew layout: nothing
    assert results.searched is None
