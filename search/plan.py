"""The plan of a query: what is asked, checked against the limits, and what each language's index is asked.

Every query is plain text, so no input is a syntax error: words are
optional (more matches rank higher); a quoted phrase is required; a ``"``
between two Hebrew letters is part of an acronym (מנכ"ל), not a quote.

The language asked for gets every word; another language gets the words
written in its script (their matches are credited to the same article in
the language asked for). Glossary synonyms are planned in each language.
Planning is pure: it reads no index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.model import LANGUAGES

from .errors import BadQuery
from .glossary import Glossary, QueryWord, analyze_words
from .normalize import script

#: The longest query accepted, in characters.
MAX_QUERY_CHARS = 1000
#: Words of a query searched (the rest are dropped); a query's phrases count as many in all.
MAX_WORDS = 24
#: The most hits one search returns.
MAX_LIMIT = 50
_QUOTES = frozenset('"“”„')


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into free text and required phrases (pure data)."""

    text: str
    phrases: tuple[str, ...] = ()


def parse(raw: str) -> ParsedQuery:
    """Split ``raw`` into free text and quoted phrases; unbalanced quotes are ignored."""
    quotes = [
        i
        for i, ch in enumerate(raw)
        if ch in _QUOTES and not (0 < i < len(raw) - 1 and _hebrew(raw[i - 1]) and _hebrew(raw[i + 1]))
    ]
    pairs = list(zip(quotes[0::2], quotes[1::2], strict=False))
    phrases = tuple(raw[a + 1 : b].strip() for a, b in pairs if raw[a + 1 : b].strip())
    chars = list(raw)
    for i in quotes:
        chars[i] = " "
    return ParsedQuery(" ".join("".join(chars).split()), phrases)


def _hebrew(ch: str) -> bool:
    return "\u05d0" <= ch <= "\u05ea"


def check(raw: str, lang: str, limit: int) -> None:
    """Raise :class:`BadQuery` for a language we do not have, a limit out of range, or a query too long."""
    if lang not in LANGUAGES:
        raise BadQuery(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(f"limit must be between 1 and {MAX_LIMIT}")
    if len(raw) > MAX_QUERY_CHARS:
        raise BadQuery(f"the query is too long ({len(raw)} characters; at most {MAX_QUERY_CHARS})")


@dataclass
class Plan:
    """What one language's index is asked: words, glossary synonyms, required phrases (as words).

    ``stands_for``: for each synonym, the positions of the query words it stands for; ``term_of``: for each
    synonym, the glossary term it is a word of (numbered in the plan).
    """

    words: list[QueryWord]
    synonyms: list[QueryWord] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    stands_for: list[frozenset[int]] = field(default_factory=list)
    term_of: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class QueryPlan:
    """A whole query: as typed, its parse, its first :data:`MAX_WORDS` words, and each language's plan."""

    raw: str
    lang: str
    parsed: ParsedQuery
    words: list[QueryWord]
    languages: dict[str, Plan]


def plan_query(raw: str, lang: str, glossary: Glossary) -> QueryPlan:
    """The plan of ``raw`` searched in ``lang`` (checked with :func:`check` first)."""
    parsed = parse(raw)
    words = analyze_words(parsed.text, lang)[:MAX_WORDS]
    return QueryPlan(raw, lang, parsed, words, _languages(words, parsed, lang, glossary))


def _languages(words: list[QueryWord], parsed: ParsedQuery, lang: str, glossary: Glossary) -> dict[str, Plan]:
    """The target language gets every word; another language gets the words in its script."""
    plans: dict[str, Plan] = {}
    for plan_lang in LANGUAGES:
        own = words if plan_lang == lang else [w for w in words if script(w.surface) == plan_lang]
        if not own and plan_lang != lang:
            continue
        plan = Plan(list(own))
        for number, (term, positions) in enumerate(glossary.expansions(words, plan_lang)):
            analyzed = glossary.analyzed(term, plan_lang)
            plan.synonyms.extend(analyzed)
            plan.stands_for.extend([positions] * len(analyzed))
            plan.term_of.extend([number] * len(analyzed))
        left = MAX_WORDS  # the phrases' first words count, as many as a query's
        for phrase in parsed.phrases:
            phrase_words = [w.surface for w in analyze_words(phrase, plan_lang)][:left]
            if phrase_words and (plan_lang == lang or script(phrase_words[0]) == plan_lang):
                plan.phrases.append(phrase_words)
                left -= len(phrase_words)
        plans[plan_lang] = plan
    return plans


__all__ = [
    "MAX_LIMIT",
    "MAX_QUERY_CHARS",
    "MAX_WORDS",
    "ParsedQuery",
    "Plan",
    "QueryPlan",
    "check",
    "parse",
    "plan_query",
]
