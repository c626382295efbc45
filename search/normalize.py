"""Character-level normalization shared by every analyzer.

Two levels:

- :func:`surface` is what a reader would call "the same word": NFKC, case
  folding, vowel marks (niqqud, cantillation, harakat) and tatweel removed,
  invisible and bidi control characters removed, typographic quotes as
  ASCII ones, and each language's ``surface_folds`` (``search/languages/``:
  Arabic-Indic digits, tatweel, Hebrew geresh/gershayim).
- :func:`deep` also folds spelling variants that readers treat as
  equivalent: each language's ``deep_folds`` (Arabic alef/hamza forms,
  alef maqsura, teh marbuta, Persian letters; Hebrew final letters and
  acronym quote marks).

Both are idempotent: ``surface(surface(x)) == surface(x)``.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache

from kb.text import HYPHENS, INVISIBLE

from .languages import REGISTRY, VOWEL_LETTERS, script

_SURFACE_MAP: dict[int, str | None] = {
    **dict.fromkeys(INVISIBLE),
    # typographic quote marks as ASCII ones
    0x2019: "'",
    0x2018: "'",
    0x201D: '"',
    0x201C: '"',
}
for _language in REGISTRY:
    _SURFACE_MAP.update(_language.surface_folds)
_DEEP_MAP: dict[int, str | None] = {}
for _language in REGISTRY:
    _DEEP_MAP.update(_language.deep_folds)


# Nonspacing marks (Mn): niqqud, cantillation, harakat, superscript alef, hamza marks, and the like.
_SURFACE_MAP.update(dict.fromkeys(c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Mn"))


#: Words up to this long are remembered once normalized (text is mostly words seen before).
CACHED_WORD_CHARS = 40


def surface(text: str) -> str:
    """The form a word is shown and matched "exactly" under."""
    if text.isascii():
        return text.lower()  # NFKC, case folding and the maps change nothing else in ASCII
    return _surface_word(text) if len(text) <= CACHED_WORD_CHARS else _surface(text)


#: Words whose surface form is kept, process-wide (about 60 to 160 bytes each: at most about 2.5 MiB).
SURFACES_CACHED = 16_384


@lru_cache(maxsize=SURFACES_CACHED)
def _surface_word(text: str) -> str:
    return _surface(text)


def _surface(text: str) -> str:
    # Removing marks and invisible characters can let their neighbours compose: repeat until stable.
    for _ in range(4):
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        folded = text.casefold().translate(_SURFACE_MAP)
        if folded == text:
            break
        text = folded
    return text


def deep(text: str) -> str:
    """The form spelling variants share (applied after :func:`surface`)."""
    folded = surface(text).translate(_DEEP_MAP)
    return folded if folded.isascii() or unicodedata.is_normalized("NFKC", folded) else deep(folded)


#: What :func:`sieve` drops after :func:`deep`: every language's vowel letters, and hyphens.
_SIEVE_DROPS = dict.fromkeys(map(ord, VOWEL_LETTERS + "".join(HYPHENS)))
# The three maps as one, each character's image: surface folds, then deep folds, then the drops.
_SIEVE_MAP: dict[int, str | None] = {}
for _code in {*_SURFACE_MAP, *_DEEP_MAP, *_SIEVE_DROPS}:
    _image = chr(_code).translate(_SURFACE_MAP).translate(_DEEP_MAP).translate(_SIEVE_DROPS)
    _SIEVE_MAP[_code] = _image or None


def sieve(text: str) -> str:
    """A whole text :func:`deep`-normalized without vowel letters or hyphens, where snippets look for the
    letter runs that stand for a query's words (:func:`search.languages.sieve_key`). Each word of the text,
    so folded, is a run of the folded text, and line breaks stay where they were.

    One pass of the maps :func:`surface` and :func:`deep` apply in turn; when that leaves characters that
    would compose further (only in scripts where removing a mark joins two others), it is done their way.
    """
    if text.isascii():
        return text.lower().translate(_SIEVE_MAP)
    normal = text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)
    folded = normal.casefold().translate(_SIEVE_MAP)
    if unicodedata.is_normalized("NFKC", folded):
        return folded
    return deep(text).translate(_SIEVE_DROPS)


#: Words whose :func:`sieve` fold is kept, process-wide (about 220 bytes each: at most about 7 MiB):
#: snippets fold every word of the lines they read, mostly words seen before.
SIEVED_WORDS_CACHED = 32_768


@lru_cache(maxsize=SIEVED_WORDS_CACHED)
def sieved_word(word: str) -> str:
    """:func:`sieve` of one word, remembered."""
    return sieve(word)


__all__ = ["CACHED_WORD_CHARS", "SURFACES_CACHED", "deep", "script", "sieve", "sieved_word", "surface"]
