"""The query mix: the shared development queries plus queries sampled from a corpus.

Generated kinds (all deterministic for a seed), in the languages' shares of
the development set (he 40 %, ar 40 %, en 20 %):

- ``word``: one word of an article body;
- ``bigram``: two neighbouring words;
- ``title``: two to four neighbouring words of a title;
- ``affix``: a word behind a clitic prefix (Hebrew ו ה ב ל מ ש…, Arabic و ال ب ل…), English a plural ``-s``;
- ``typo``: a word of five letters or more with one edit (swap, drop, double or replace a letter);
- ``question``: four to seven neighbouring words, as people type questions;
- ``phrase``: two neighbouring words in double quotes (a required phrase).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from kb.model import LANGUAGES, KnowledgeBase

DEV_QUERIES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev-queries.tsv"
LANGUAGE_SHARES = {"he": 0.4, "ar": 0.4, "en": 0.2}
KIND_SHARES = {
    "word": 0.18,
    "bigram": 0.15,
    "title": 0.15,
    "affix": 0.15,
    "typo": 0.15,
    "question": 0.15,
    "phrase": 0.07,
}
AFFIXES = {
    "he": ("ו", "ה", "ב", "ל", "מ", "ש", "וה", "כש", "וב"),
    "ar": ("و", "ال", "ب", "ل", "وال", "بال", "ف"),
}
_STRIP = ".,;:!?؟،؛()[]{}\"'«»“”„–—-…/*"


@dataclass(frozen=True)
class BenchQuery:
    lang: str
    kind: str
    text: str


def dev_queries(path: Path = DEV_QUERIES) -> list[BenchQuery]:
    """The shared development queries (kind ``dev:<bucket>``); empty when the file is missing."""
    if not Path(path).exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [BenchQuery(r["lang"], f"dev:{r['bucket']}", r["query"]) for r in rows if r.get("query")]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _words(line: str) -> list[str]:
    return [w for w in (raw.strip(_STRIP) for raw in line.split()) if w and any(ch.isalpha() for ch in w)]


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == 1:
        return word[:i] + word[i + 1 :]
    if op == 2:
        return word[:i] + word[i] + word[i:]
    letters = sorted(set(word) - {word[i]}) or [word[i]]
    return word[:i] + rng.choice(letters) + word[i + 1 :]


def generated(kb: KnowledgeBase, count: int, seed: int = 7) -> list[BenchQuery]:
    """``count`` queries sampled from the articles of ``kb``."""
    rng = random.Random(f"bench-queries:{seed}")
    articles = {lang: kb.in_language(lang) for lang in LANGUAGES}
    out: list[BenchQuery] = []
    while len(out) < count:
        lang, kind = _pick(rng, LANGUAGE_SHARES), _pick(rng, KIND_SHARES)
        if not articles[lang]:
            continue
        article = rng.choice(articles[lang])
        source = article.title if kind == "title" else rng.choice([ln for ln in article.text.split("\n") if ln])
        words = _words(source)
        long_words = [w for w in words if len(w) >= 4]
        if kind in ("word", "affix", "typo"):
            candidates = [w for w in long_words if len(w) >= 5] if kind == "typo" else long_words
            if not candidates:
                continue
            word = rng.choice(candidates)
            if kind == "affix":
                word = rng.choice(AFFIXES[lang]) + word if lang in AFFIXES else word + "s"
            elif kind == "typo":
                word = _typo(rng, word)
            out.append(BenchQuery(lang, kind, word))
            continue
        span = {"bigram": 2, "phrase": 2, "title": rng.randint(2, 4), "question": rng.randint(4, 7)}[kind]
        if len(words) < span:
            continue
        start = rng.randrange(len(words) - span + 1)
        text = " ".join(words[start : start + span])
        out.append(BenchQuery(lang, kind, f'"{text}"' if kind == "phrase" else text))
    return out


def mix(kb: KnowledgeBase, count: int, seed: int = 7, dev: list[BenchQuery] | None = None) -> list[BenchQuery]:
    """The development queries plus generated ones, ``count`` in all (at least the dev set), shuffled."""
    dev = dev_queries() if dev is None else dev
    queries = list(dev) + generated(kb, max(0, count - len(dev)), seed)
    random.Random(f"bench-mix:{seed}").shuffle(queries)
    return queries
