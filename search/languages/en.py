"""English: Snowball (Porter2) stemming through PyStemmer, with British spellings folded to American."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from whoosh.analysis import STOP_WORDS as _WHOOSH_STOP_WORDS

from .kinds import SUFFIX, WORD

CODE = "en"
#: The fallback language: Latin words, and words of every script without a module of its own.
RANGES: tuple[tuple[int, int], ...] = ()
SURFACE_FOLDS: dict[int, str | None] = {}
DEEP_FOLDS: dict[int, str | None] = {}
#: Function words (Whoosh's English list).
STOP_WORDS = frozenset(_WHOOSH_STOP_WORDS)
#: Question words and the auxiliaries questions start with: never searched.
QUESTION_WORDS = frozenset(
    {"what", "why", "how", "when", "where", "who", "whom", "whose", "which", "do", "does", "did"}
)

# British -> American endings, applied to words long enough that the rule
# cannot turn one common word into another (four/for, hour/hor).
_SPELLING = (
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"is(e|es|ed|ing)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|able)?$"), r"or\1"),
    (re.compile(r"(?<=\w{3})tre(s?)$"), r"ter\1"),
    (re.compile(r"(?<=\w{3})ogue(s?)$"), r"og\1"),
    (re.compile(r"(?<=\w{3})mme(s?)$"), r"m\1"),
    (re.compile(r"(?<=\w{3})([aeiou])ll(ed|ing|er|ers)$"), r"\1l\2"),
)


@lru_cache(maxsize=1)
def _stemmer():
    return Stemmer.Stemmer("english")


#: Every ending a rule above can rewrite (most words end otherwise, and skip the patterns).
_ENDINGS = (
    *("isation", "isations", "ise", "ises", "ised", "ising", "yse", "yses", "ysed", "ysing"),
    *("our", "ours", "oured", "ouring", "ourable", "tre", "tres", "ogue", "ogues", "mme", "mmes"),
    *("lled", "lling", "ller", "llers"),
)


def americanize(word: str) -> str:
    return word if not word.endswith(_ENDINGS) else respell(word)


def respell(word: str) -> str:
    """The first British -> American rule that changes ``word`` applied (every rule tried)."""
    if len(word) < 6:
        return word
    for pattern, replacement in _SPELLING:
        changed = pattern.sub(replacement, word)
        if changed != word:
            return changed
    return word


def variants(word: str) -> set[str]:
    """The word, its American spelling and their stems."""
    american = americanize(word)
    stem = _stemmer().stemWord
    return {word, american, stem(word), stem(american)}


def reading_kinds(word: str) -> dict[str, str]:
    """:func:`variants` with their kinds: the word, then its spelling and stems as inflections."""
    kinds = dict.fromkeys(variants(word), SUFFIX)
    kinds[word] = WORD
    return kinds


#: No letters are dropped inside an English word.
VOWEL_LETTERS = ""


def sieve_key(reading: str) -> str:
    """Letters every word read as ``reading`` holds in a row: a stem or respelling keeps a word's first two
    letters (rising -> rizing), and a stem of three letters or fewer may change all but the first (dying ->
    die, skies -> sky)."""
    return reading[:2] if len(reading) > 3 else reading[:1]


def verb_readings(word: str) -> set[str]:
    """None: the stems above already meet a verb's nouns where English spells them alike."""
    return set()


def prefix_readings(word: str) -> set[str]:
    """English writes no prefix letters onto its words: nothing to strip."""
    return set()
