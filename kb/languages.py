"""The languages of the knowledge base: one entry each, everything else derived.

Adding a language is one :class:`Language` here, its analysis in
``search/``, its ``content/<code>/`` articles and its interface catalog
``web/translations/<code>/LC_MESSAGES/messages.po`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Language:
    """One language: its code (the content folder and the URL prefix), direction and names."""

    code: str
    direction: Literal["rtl", "ltr"]
    #: The name in the language itself, for the language switcher.
    name: str
    #: The name in English, for messages to authors (``kb new``'s template).
    english_name: str


#: Every language, in display order.
REGISTRY: tuple[Language, ...] = (
    Language("he", "rtl", "עברית", "Hebrew"),
    Language("ar", "rtl", "العربية", "Arabic"),
    Language("en", "ltr", "English", "English"),
)
#: The language translations are compared with, and shown first when a version is missing.
REFERENCE_LANGUAGE = "en"

BY_CODE: dict[str, Language] = {language.code: language for language in REGISTRY}
#: The language codes, in display order.
LANGUAGES: tuple[str, ...] = tuple(BY_CODE)
#: Languages written right to left.
RTL_LANGUAGES: frozenset[str] = frozenset(lang.code for lang in REGISTRY if lang.direction == "rtl")
#: Which version to show when an article is missing in a language: the reference first, then display order.
FALLBACK_ORDER: tuple[str, ...] = (REFERENCE_LANGUAGE, *(code for code in LANGUAGES if code != REFERENCE_LANGUAGE))
#: Each language's name in itself.
NATIVE_NAMES: dict[str, str] = {lang.code: lang.name for lang in REGISTRY}
#: Each language's name in English.
ENGLISH_NAMES: dict[str, str] = {lang.code: lang.english_name for lang in REGISTRY}


def direction(lang: str) -> str:
    """``"rtl"`` or ``"ltr"``, as HTML's ``dir`` attribute wants it (``"ltr"`` for an unknown code)."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"
