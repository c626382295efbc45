"""The language registry: every site language is read by a module of its own, chosen by script."""

from __future__ import annotations

import pytest

from kb.languages import LANGUAGES
from search.analysis import variants
from search.languages import BY_CODE, FALLBACK, REGISTRY, language_of
from search.normalize import deep, surface


def test_every_site_language_has_a_search_language():
    assert set(LANGUAGES) == set(BY_CODE)
    assert [language.code for language in REGISTRY if not language.ranges] == [FALLBACK.code]


@pytest.mark.parametrize(
    ("word", "code"),
    [("שָׁלוֹם", "he"), ("ﭏ", "he"), ("مرحبا", "ar"), ("ﻻ", "ar"), ("hello", "en"), ("Привет", "en"), ("2024", "en")],
)
def test_a_word_is_read_by_its_script(word, code):
    assert language_of(word).code == code


def test_folds_come_from_each_language():
    # Arabic: tatweel and Arabic-Indic digits (surface), hamza forms and teh marbuta (deep)
    assert surface("عـــمل ٢٠٢٤") == "عمل 2024"
    assert deep("إدارة") == deep("ادارة") == "اداره"
    # Hebrew: gershayim (surface), final letters and acronym marks (deep)
    assert surface("מנכ״ל") == 'מנכ"ל'
    assert deep('מנכ"ל') == "מנכל" and deep("שלום") == "שלומ"


def test_readings_are_chosen_by_the_word_not_the_text():
    for word in ("והלקוחות", "والعملاء", "organisations"):
        language = language_of(deep(word))
        assert set(variants(word)) == language.variants(deep(word))
