"""Text typed with the wrong keyboard layout, read as the keys pressed: ``keuj`` is ``לקוח`` on a Hebrew keyboard.

Two layouts beside the US English one: the Israeli standard SI-1452 and the
common Arabic PC layout (Windows' "Arabic (101)"). A query whose letters are
all Latin may be Hebrew or Arabic typed with the English layout on; one
whose letters are all Hebrew, or all Arabic, may be English typed with that
layout on. :func:`conversions` gives what the same keys type in the other
layouts; the engine searches them when the query as typed finds nothing
good (see :meth:`search.query.SearchEngine.search`).
"""

from __future__ import annotations

import unicodedata

#: The US key each Hebrew character is typed with on SI-1452 (unshifted: Hebrew has no capitals).
HEBREW_KEYS: dict[str, str] = {
    "q": "/", "w": "'", "e": "ק", "r": "ר", "t": "א", "y": "ט", "u": "ו", "i": "ן", "o": "ם", "p": "פ",
    "a": "ש", "s": "ד", "d": "ג", "f": "כ", "g": "ע", "h": "י", "j": "ח", "k": "ל", "l": "ך", ";": "ף",
    "'": ",", "z": "ז", "x": "ס", "c": "ב", "v": "ה", "b": "נ", "n": "מ", "m": "צ", ",": "ת", ".": "ץ",
    "/": ".",
}  # fmt: skip
#: The characters each US key types on the Arabic PC layout (``b`` types the ligature lam-alef: two letters).
ARABIC_KEYS: dict[str, str] = {
    "`": "ذ", "q": "ض", "w": "ص", "e": "ث", "r": "ق", "t": "ف", "y": "غ", "u": "ع", "i": "ه", "o": "خ",
    "p": "ح", "[": "ج", "]": "د", "a": "ش", "s": "س", "d": "ي", "f": "ب", "g": "ل", "h": "ا", "j": "ت",
    "k": "ن", "l": "م", ";": "ك", "'": "ط", "z": "ئ", "x": "ء", "c": "ؤ", "v": "ر", "b": "لا", "n": "ى",
    "m": "ة", ",": "و", ".": "ز", "/": "ظ",
}  # fmt: skip
#: Shifted keys of the Arabic layout that type letters (hamza forms of alef).
ARABIC_SHIFTED: dict[str, str] = {"H": "أ", "Y": "إ", "N": "آ", "G": "لأ", "T": "لإ", "B": "لآ"}
#: Longer queries are not read on other layouts (each layout tried costs one more search, typo look-ups
#: included; a query typed with the wrong layout on is noticed after a word or two).
MAX_LAYOUT_WORDS = 4
#: The layouts by the script they type.
LAYOUTS: dict[str, dict[str, str]] = {"he": HEBREW_KEYS, "ar": ARABIC_KEYS | ARABIC_SHIFTED}


def letters_script(text: str) -> str | None:
    """``"en"``, ``"he"`` or ``"ar"`` when every letter of ``text`` is Latin, Hebrew or Arabic; else None."""
    found = set()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN"):
            found.add("en")
        elif name.startswith("HEBREW"):
            found.add("he")
        elif name.startswith("ARABIC"):
            found.add("ar")
        else:
            return None
    return found.pop() if len(found) == 1 else None


def to_layout(text: str, script: str) -> str:
    """What the keys that typed ``text`` on the US layout type on ``script``'s layout."""
    keys = LAYOUTS[script]
    return "".join(keys.get(ch, keys.get(ch.lower(), ch)) for ch in text)


def to_latin(text: str, script: str) -> str:
    """What the keys that typed ``text`` on ``script``'s layout type on the US layout (lower case)."""
    back = sorted(((typed, key.lower()) for key, typed in LAYOUTS[script].items()), key=lambda p: -len(p[0]))
    out, i = [], 0
    while i < len(text):
        for typed, key in back:  # the longest first: the ligature's two letters are one key
            if text.startswith(typed, i) and (typed.isalpha() or len(typed) > 1 or not text[i].isascii()):
                out.append(key)
                i += len(typed)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def conversions(text: str, lang: str) -> list[str]:
    """``text`` as typed with the other layouts, most likely first (``lang``'s own script first); none when its
    letters mix scripts or it has none, or it has more than :data:`MAX_LAYOUT_WORDS` words."""
    script = letters_script(text)
    if script is None or len(text.split()) > MAX_LAYOUT_WORDS:
        return []
    if script == "en":
        targets = sorted(LAYOUTS, key=lambda s: s != lang)
        found = [to_layout(text, s) for s in targets]
    else:
        found = [to_latin(text, script)]
    return [converted for converted in found if converted != text and letters_script(converted) is not None]


__all__ = [
    "ARABIC_KEYS",
    "ARABIC_SHIFTED",
    "HEBREW_KEYS",
    "LAYOUTS",
    "MAX_LAYOUT_WORDS",
    "conversions",
    "letters_script",
    "to_latin",
    "to_layout",
]
