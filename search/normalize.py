"""Character-level normalization shared by every analyzer.

Two levels:

- :func:`surface` is what a reader would call "the same word": NFKC, case
  folding, vowel marks (niqqud, cantillation, harakat) and tatweel removed,
  invisible and bidi control characters removed, Arabic-Indic digits folded
  to 0-9, Hebrew geresh/gershayim unified with their ASCII look-alikes.
- :func:`deep` also folds spelling variants that readers treat as
  equivalent: Arabic alef/hamza forms, alef maqsura, teh marbuta, Persian
  letters; Hebrew final letters and acronym quote marks.

Both are idempotent: ``surface(surface(x)) == surface(x)``.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache

from kb.loader import INVISIBLE

_INVISIBLE = dict.fromkeys(INVISIBLE)
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
_SURFACE_MAP = {
    **_INVISIBLE,
    **_DIGITS,
    0x0640: None,  # tatweel
    0x05F4: '"',  # gershayim
    0x05F3: "'",  # geresh
    0x2019: "'",
    0x2018: "'",
    0x201D: '"',
    0x201C: '"',
}
_DEEP_MAP = {
    # Arabic: alef forms, alef maqsura, teh marbuta, Persian/Urdu letters
    0x0623: "ا",
    0x0625: "ا",
    0x0622: "ا",
    0x0671: "ا",
    0x0672: "ا",
    0x0673: "ا",
    0x0649: "ي",
    0x06CC: "ي",
    0x064A: "ي",
    0x0629: "ه",
    0x06C0: "ه",
    0x06BE: "ه",
    0x06C1: "ه",
    0x06A9: "ك",
    0x06AA: "ك",
    # Hebrew final letters
    0x05DA: "כ",
    0x05DD: "מ",
    0x05DF: "נ",
    0x05E3: "פ",
    0x05E5: "צ",
    # quote marks inside Hebrew acronyms and loanwords
    0x0022: None,
    0x0027: None,
}


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


def script(word: str) -> str:
    """``"he"``, ``"ar"`` or ``"en"`` (Latin and anything else) by the word's first letter."""
    for ch in word:
        code = ord(ch)
        if 0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F:
            return "he"
        if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF or 0x08A0 <= code <= 0x08FF:
            return "ar"
        if ch.isalpha():
            return "en"
    return "en"
