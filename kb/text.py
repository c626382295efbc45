"""Characters the knowledge base treats specially: one home for every code point list.

- :data:`INVISIBLE` and :data:`BIDI_CONTROLS`: characters that change how
  text shows without showing themselves. ``kb check`` refuses them in
  articles; search removes them before analysis.
- :data:`HYPHENS`: the characters that join two words into one.
- Script ranges: the Unicode blocks of Hebrew and Arabic letters
  (:func:`script` tells a word's language by them), and every right-to-left
  block (:func:`has_rtl`, for terminals that need text reordered).
"""

from __future__ import annotations

import re

#: Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
BIDI_CONTROLS: frozenset[int] = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
#: Bidi controls, marks (LRM, RLM, ALM), joiners, soft hyphen, zero-width and invisible operators, BOM.
INVISIBLE: frozenset[int] = BIDI_CONTROLS | frozenset(
    [0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]
)
#: Hyphens that join two words (hyphen-minus, hyphen, non-breaking hyphen).
HYPHENS: frozenset[str] = frozenset("-\u2010\u2011")

#: Hebrew letters, points and presentation forms.
HEBREW_RANGES: tuple[tuple[int, int], ...] = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
#: Arabic letters, marks, supplements and presentation forms.
ARABIC_RANGES: tuple[tuple[int, int], ...] = ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFEFF), (0x08A0, 0x08FF))
#: Every block written right to left (Hebrew, Arabic, Syriac, Thaana ...), presentation forms included.
RTL_RANGES: tuple[tuple[int, int], ...] = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))

_RTL = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in RTL_RANGES) + "]")


def within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    """True when the code point ``code`` is in one of ``ranges`` (inclusive pairs)."""
    return any(lo <= code <= hi for lo, hi in ranges)


def has_rtl(text: str) -> bool:
    """True when ``text`` has a character of a right-to-left block."""
    return _RTL.search(text) is not None


def script(word: str) -> str:
    """``"he"``, ``"ar"`` or ``"en"`` (Latin and anything else) by the word's first letter."""
    for ch in word:
        code = ord(ch)
        if within(code, HEBREW_RANGES):
            return "he"
        if within(code, ARABIC_RANGES):
            return "ar"
        if ch.isalpha():
            return "en"
    return "en"


def first_invisible(line: str) -> int | None:
    """The index of the first :data:`INVISIBLE` character in ``line``, or ``None``."""
    return next((i for i, ch in enumerate(line) if ord(ch) in INVISIBLE), None)
