"""Arabic light stemming, after Lucene's ArabicNormalizer and ArabicStemmer.

Works on :func:`search.normalize.deep` forms (alef forms, alef maqsura and
teh marbuta already folded). Like the Hebrew module it returns every
plausible reading: proclitics (و ف, then ب ك ل, then ال; لل) and suffixes
(pronouns, then plural and feminine endings) removed, plus a skeleton
without inner long vowels, so that typos and broken spellings still meet.
"""

from __future__ import annotations

from kb.text import ARABIC_RANGES

from .kinds import PREFIX, SKELETON, SUFFIX, WORD, put

CODE = "ar"
RANGES = ARABIC_RANGES
#: Arabic-Indic and Persian digits as 0-9; tatweel (the stretching stroke) removed.
SURFACE_FOLDS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}, 0x0640: None}
#: Alef and hamza-on-alef forms, alef maqsura, teh marbuta, and Persian/Urdu letters as the Arabic ones.
DEEP_FOLDS = {
    **dict.fromkeys((0x0623, 0x0625, 0x0622, 0x0671, 0x0672, 0x0673), "ا"),
    **dict.fromkeys((0x0649, 0x06CC, 0x064A), "ي"),
    **dict.fromkeys((0x0629, 0x06C0, 0x06BE, 0x06C1), "ه"),
    **dict.fromkeys((0x06A9, 0x06AA), "ك"),
}


def _stop_words() -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("ar"))


#: Function words (the stopwords-iso list).
STOP_WORDS = _stop_words()
#: Question words (what, why, how, when, where, who, which, whether, how many), with and without hamza:
#: never searched.
QUESTION_WORDS = frozenset(
    {"ما", "ماذا", "لماذا", "لم", "كيف", "متى", "أين", "اين", "من", "أي", "اي", "أيّ", "هل", "كم", "ايش", "ليش"}
)

_CONJ = ("و", "ف")
_PREP = ("ب", "ك", "ل")
_DEF = ("ال",)
# Pronoun suffixes, then plural, dual and feminine endings (deep forms: ة is ه).
_PRONOUNS = ("هما", "كما", "هم", "هن", "كم", "كن", "نا", "ها", "ه", "ي")
_ENDINGS = ("ات", "ون", "ين", "ان", "يه", "ه", "ي")
MIN_STEM = 2
#: Words never stemmed: stripping them leaves a different word.
PROTECTED = frozenset({"الله", "لله", "بالله", "والله", "فالله", "تالله"})


def prefix_readings(word: str) -> set[str]:
    """The word without each legal proclitic sequence (وبال, فال, لل, ك ...)."""
    found: set[str] = set()

    def keep(stripped: str, single_letter: bool) -> bool:
        return len(stripped) >= (3 if single_letter else MIN_STEM)

    def walk(rest: str, stages: tuple) -> None:
        for i, stage in enumerate(stages):
            for prefix in stage:
                if rest.startswith(prefix):
                    stripped = rest[len(prefix) :]
                    if keep(stripped, len(prefix) == 1):
                        found.add(stripped)
                        walk(stripped, stages[i + 1 :])
        # لل is ل + ال with the alef dropped (للمشروع = ل + المشروع)
        if stages and stages[0] is not _DEF and _DEF in stages and rest.startswith("لل") and len(rest) > 3:
            found.add(rest[2:])

    walk(word, (_CONJ, _PREP, _DEF))
    return found


def suffix_readings(word: str) -> set[str]:
    """The word without a pronoun suffix, an ending, or a pronoun then an ending."""
    found: set[str] = set()
    if len(word) < 4:
        return found
    for group in (_PRONOUNS, _ENDINGS):
        for suffix in group:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM + 1:
                stem = word[: -len(suffix)]
                found.add(stem)
                if group is _PRONOUNS:
                    found |= {
                        stem[: -len(e)] for e in _ENDINGS if stem.endswith(e) and len(stem) - len(e) >= MIN_STEM + 1
                    }
    return found


#: The long vowels: the letters a skeleton drops.
VOWEL_LETTERS = "اوي"
_NO_VOWEL_LETTERS = dict.fromkeys(map(ord, VOWEL_LETTERS))


def skeleton(word: str) -> str:
    """The word without inner long vowels (ا و ي): a typo-tolerant key (الإدراة, الإدارة)."""
    return word[:1] + word[1:].translate(_NO_VOWEL_LETTERS)


def sieve_key(reading: str) -> str:
    """Letters every word read as ``reading`` holds in a row once its long vowels are dropped: the
    reading's own (a reading only strips letters at a word's ends and long vowels inside it)."""
    return reading.translate(_NO_VOWEL_LETTERS)


def reading_kinds(word: str) -> dict[str, str]:
    """Every form a (deep-normalized) Arabic word is indexed and searched under, with its kind."""
    if word in PROTECTED or len(word) <= 2:
        return {word: WORD}
    kinds = {word: WORD}
    for form in suffix_readings(word):
        put(kinds, form, SUFFIX)
    for stripped in prefix_readings(word):
        put(kinds, stripped, PREFIX)
        for form in suffix_readings(stripped):
            put(kinds, form, PREFIX)
    for form in list(kinds):
        if len(form) >= 4:
            put(kinds, skeleton(form), SKELETON)
    for form, kind in list(kinds.items()):
        # A final hamza after alef is often left out (العملاء written العملا); not skeletonized, or
        # العملا's skeleton would be العمل, another word.
        if form.endswith("اء") and len(form) >= 5 and kind != SKELETON:
            put(kinds, form[:-1], SUFFIX if kind == WORD else kind)
    return {form: kind for form, kind in kinds.items() if len(form) >= MIN_STEM}


# Present tense: ي ت ن أ before the stem (يتعاون, نخطط), و ف then the future's س before them; ون ين ان وا after.
_PRESENT = ("ي", "ت", "ن", "ا")
_VERB_ENDINGS = ("ون", "ين", "ان", "وا")


def verb_readings(word: str) -> set[str]:
    """A present-tense verb's stem without its person prefix and ending, and for a three-letter stem its
    form II verbal noun (يتعاونون -> تعاون; نخطط -> خطط, تخطيط): what a query's verb is looked for under
    (queries only)."""
    found: set[str] = set()
    rests = {word}
    if word[:1] in _CONJ and len(word) > 4:
        rests.add(word[1:])
    rests |= {rest[1:] for rest in rests if rest.startswith("س") and len(rest) > 4}
    for rest in rests:
        if len(rest) < 4 or rest[0] not in _PRESENT or rest.startswith("ال"):
            continue
        stem = rest[1:]
        stems = {stem} | {stem[: -len(e)] for e in _VERB_ENDINGS if stem.endswith(e) and len(stem) - len(e) >= 3}
        for form in stems:
            found.add(form)
            if len(form) == 3:
                found.add("ت" + form[:2] + "ي" + form[2])
    return found
