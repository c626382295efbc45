"""Hebrew light morphology: prefix letters, suffixes and spelling variants.

Works on :func:`search.normalize.deep` forms (final letters already folded
to their regular forms, acronym quotes removed). Rather than guessing one
stem, it returns every plausible reading, and the index stores them all in
the stemmed field; the exact field keeps the surface form, so exact matches
still rank first.
"""

from __future__ import annotations

from kb.text import HEBREW_RANGES

from .kinds import PREFIX, SKELETON, SUFFIX, WORD, put

CODE = "he"
RANGES = HEBREW_RANGES
#: Geresh and gershayim as their ASCII look-alikes (the acronym marks are then dropped by the deep folds).
SURFACE_FOLDS = {0x05F4: '"', 0x05F3: "'"}
#: Final letters as regular ones; quote marks inside acronyms and loanwords (מנכ"ל, צ'ק) dropped.
DEEP_FOLDS = {0x05DA: "כ", 0x05DD: "מ", 0x05DF: "נ", 0x05E3: "פ", 0x05E5: "צ", 0x0022: None, 0x0027: None}


def _stop_words() -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("he"))


#: Function words (the stopwords-iso list).
STOP_WORDS = _stop_words()
#: Question words (what, why, how, when, where, who, which, whether, how many): never searched.
QUESTION_WORDS = frozenset(
    {"מה", "למה", "מדוע", "איך", "כיצד", "מתי", "איפה", "היכן", "לאן", "מאין", "מי", "איזה", "איזו", "אילו"}
    | {"האם", "כמה"}
)

# ו, then ש / כש / מש / לכש, then one of ב כ ל מ, then ה: the legal order of
# Hebrew prefix letters (וכשהלקוח, ומהמערכת, שבתהליך ...).
_CONJ = ("ו",)
_REL = ("ש", "כש", "מש", "לכש")
_PREP = ("ב", "כ", "ל", "מ")
_DEF = ("ה",)

# Suffixes in deep (final-letter-folded) form, longest first: possessive
# pronouns, plural and construct endings, feminine endings.
_SUFFIXES = (
    "ותיהמ",
    "ותינו",
    "יהמ",
    "יהנ",
    "יכמ",
    "יכנ",
    "ינו",
    "ימ",
    "ות",
    "ית",
    "יו",
    "נו",
    "המ",
    "כמ",
    "ה",
    "ת",
    "י",
)
MIN_STEM = 2
#: A word stripped of prefix letters keeps at least this many (היעד -> יעד, but not של -> ל)
MIN_PREFIXED_STEM = 3


def prefix_readings(word: str) -> set[str]:
    """The word without each legal sequence of prefix letters (the rest keeps 2+ letters)."""
    found: set[str] = set()

    def walk(rest: str, stages: tuple) -> None:
        for i, stage in enumerate(stages):
            for prefix in stage:
                if rest.startswith(prefix) and len(rest) - len(prefix) >= MIN_PREFIXED_STEM:
                    stripped = rest[len(prefix) :]
                    found.add(stripped)
                    walk(stripped, stages[i + 1 :])

    walk(word, (_CONJ, _REL, _PREP, _DEF))
    return found


def suffix_readings(word: str, depth: int = 2) -> set[str]:
    """The word without up to ``depth`` stacked suffixes (possessive, then plural ...)."""
    found: set[str] = set()
    if depth == 0 or len(word) < 4:
        return found
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= max(MIN_STEM, 3 - len(suffix) + 1):
            stem = word[: -len(suffix)]
            found.add(stem)
            found |= suffix_readings(stem, depth - 1)
    return found


#: The matres lectionis: the vowel letters a skeleton drops.
VOWEL_LETTERS = "וי"
_NO_VOWEL_LETTERS = dict.fromkeys(map(ord, VOWEL_LETTERS))


def skeleton(word: str) -> str:
    """The word without its inner matres lectionis (ו, י): ktiv male and ktiv haser meet here.

    שיתוף and שתוף, ניהול and נהול, ארגון and אירגון all have one skeleton.
    """
    return word[:1] + word[1:].translate(_NO_VOWEL_LETTERS)


def sieve_key(reading: str) -> str:
    """Letters every word read as ``reading`` holds in a row once its vowel letters are dropped: the
    reading's own (a reading only strips letters at a word's ends and vowel letters inside it)."""
    return reading.translate(_NO_VOWEL_LETTERS)


def reading_kinds(word: str) -> dict[str, str]:
    """Every form a (deep-normalized) Hebrew word is indexed and searched under, with its kind."""
    kinds = {word: WORD}
    for form in suffix_readings(word):
        put(kinds, form, SUFFIX)
    for stripped in prefix_readings(word):
        put(kinds, stripped, PREFIX)
        for form in suffix_readings(stripped):
            put(kinds, form, PREFIX)
    for form in list(kinds):
        if len(form) >= 3:
            put(kinds, skeleton(form), SKELETON)
    return {form: kind for form, kind in kinds.items() if len(form) >= MIN_STEM}


# Future tense: א ת י נ before the stem (ישתפו, נשתף), ו ("and") before them; ו, י, נה after it.
_FUTURE = ("י", "ת", "נ", "א")
_VERB_ENDINGS = ("ו", "י", "נה")


def verb_readings(word: str) -> set[str]:
    """A future-tense verb's stem without its person prefix and ending, and for a three-letter stem its
    pi'el verbal noun (ישתפו -> שתפ, שיתופ): what a query's verb is looked for under (queries only)."""
    found: set[str] = set()
    rests = {word, word[1:]} if word.startswith("ו") and len(word) > 4 else {word}
    for rest in rests:
        if len(rest) < 4 or rest[0] not in _FUTURE:
            continue
        stem = rest[1:]
        stems = {stem} | {stem[: -len(e)] for e in _VERB_ENDINGS if stem.endswith(e) and len(stem) - len(e) >= 3}
        for form in stems:
            found.add(form)
            if len(form) == 3:
                found.add(form[0] + "י" + form[1] + "ו" + form[2])
    return found
