"""The kinds of a word's readings, strongest first, and how a language module collects them.

A reading of a query word counts by its kind (``search/ranking.py``,
``READING_KINDS``): the word itself, an inflection (a suffix removed or a
spelling variant), a prefix or proclitic removed, a verb's tense prefix
removed (queries only), a skeleton without vowel letters.
"""

from __future__ import annotations

WORD, SUFFIX, PREFIX, VERB, SKELETON = "word", "suffix", "prefix", "verb", "skeleton"
KINDS = (WORD, SUFFIX, PREFIX, VERB, SKELETON)
_RANK = {kind: i for i, kind in enumerate(KINDS)}


def put(kinds: dict[str, str], form: str, kind: str) -> None:
    """Record ``form`` as a reading of ``kind``, unless it is already one of a stronger kind."""
    held = kinds.get(form)
    if held is None or _RANK[kind] < _RANK[held]:
        kinds[form] = kind


def core(kinds: dict[str, str]) -> set[str]:
    """The readings that are not skeletons."""
    return {form for form, kind in kinds.items() if kind != SKELETON}
