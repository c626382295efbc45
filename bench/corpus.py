"""Deterministic synthetic corpora grown from the real articles.

``synthesize(kb, n, seed)`` returns a :class:`kb.model.KnowledgeBase` holding
exactly ``n`` articles **in total across the three languages**: the real
articles (63 today) plus synthetic ones, split evenly between he, ar and en
(he, then ar, get one more when the remainder is not a multiple of three).
So ``n=10_000`` means about 3,333 articles in each language's index (sizes
count the articles of all three languages together); ``per_language(n)``
gives the split.

Every synthetic id (``synthetic-00042``) exists in all three languages as
translations of one another, as the real content does: the three share a
template (one real cause article), and so their category, sources, review
date, related ids and section structure. Each language's version is built
only from that language's real text, so Hebrew and Arabic keep their real
morphology (prefixes, suffixes, construct forms, Latin terms inside):

- **body**: the template's shape (its headings, the lines of each section,
  the sentences of each line), each line refilled with real sentences drawn
  from the same heading in the same language (every "warning signs" section
  gets warning-sign sentences), about one word in seven replaced;
- **replacement words**: half are real words of the language drawn by
  frequency (so Zipf-like), half come from a *lexicon grown with the corpus*:
  new words spliced from two real words (``w1[:i] + w2[j:]``, so letters,
  final forms and endings stay plausible), some behind a real clitic prefix
  (Hebrew ו ה ב ל מ ש, Arabic و ف ب ل ال, English none), sized by Heaps'
  law (``V = K * T**0.55``, K fitted on the real articles) and drawn with a
  skew, so a few new words are common and most are rare, as in real text;
- **title**: the template's title with about a third of its words replaced;
  **summary**: a real summary of the language, more heavily mutated;
  **keywords**: a sample of the template's plus two lexicon words;
  **headings / sections**: the template's (real articles share their heading texts).

Articles hold no ``html`` and no ``links`` (search indexes neither), which
keeps 100,000 articles to well under a minute and about 1.5 GB of memory.
``write_tree`` writes a corpus out as a content tree (Markdown with front
matter) should a benchmark ever need files; the index builder does not.
"""

from __future__ import annotations

import math
import random
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb.model import LANGUAGES, OVERVIEW_ID, Article, KnowledgeBase

SYNTHETIC_PREFIX = "synthetic-"
#: Share of a body sentence's words replaced.
BODY_RATE = 1 / 7
SUMMARY_RATE = 0.2
#: Share of replacement words taken from the grown lexicon (the rest are real words).
NEW_SHARE = 0.5
#: Heaps' law exponent for the vocabulary growth.
HEAPS_BETA = 0.55
PREFIXES = {
    "he": ("ו", "ה", "ב", "ל", "מ", "ש", "וה", "וב", "ול", "כש", "שה", "מה"),
    "ar": ("و", "ف", "ب", "ل", "ال", "وال", "بال", "لل", "فال", "ك"),
    "en": (),
}
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
_STRIP = ".,;:!?؟،؛()[]{}\"'«»“”„–—-…/*"


def per_language(n: int, real: dict[str, int]) -> dict[str, int]:
    """How many synthetic articles each language gets so the total is ``n`` (real ones included)."""
    extra = max(0, n - sum(real.values()))
    base, rest = divmod(extra, len(LANGUAGES))
    return {lang: base + (1 if i < rest else 0) for i, lang in enumerate(LANGUAGES)}


def synthetic_id(number: int) -> str:
    return f"{SYNTHETIC_PREFIX}{number:05d}"


@dataclass
class _Shape:
    """The body shape of a template: per section, its heading text and the sentence count of each line."""

    sections: list[tuple[str, list[int]]]


@dataclass
class _Language:
    """Everything drawn from one language's real articles."""

    lang: str
    tokens: list[str]
    pools: dict[str, list[tuple[str, ...]]]
    everything: list[tuple[str, ...]]
    summaries: list[tuple[str, ...]]
    templates: dict[str, Article]
    shapes: dict[str, _Shape]
    lexicon: list[str] = field(default_factory=list)
    real_vocabulary: int = 0
    real_tokens: int = 0


def _split_sentences(line: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(line.strip()) if s]


def _sections(article: Article) -> Iterator[tuple[str, str]]:
    """(heading text, line) for each body line of ``article`` ("" before the first heading)."""
    headings = [h.text for h in article.headings]
    current, next_heading = "", 0
    for line in article.text.split("\n"):
        if not line.strip():
            continue
        if next_heading < len(headings) and line == headings[next_heading]:
            current, next_heading = line, next_heading + 1
            yield current, ""
            continue
        yield current, line


def _shape(article: Article) -> _Shape:
    sections: list[tuple[str, list[int]]] = [("", [])]
    for heading, line in _sections(article):
        if not line:
            sections.append((heading, []))
        else:
            sections[-1][1].append(max(1, len(_split_sentences(line))))
    if not sections[0][1]:
        sections.pop(0)
    return _Shape(sections)


def _language(kb: KnowledgeBase, lang: str) -> _Language:
    articles = kb.in_language(lang)
    tokens: list[str] = []
    pools: dict[str, list[tuple[str, ...]]] = {}
    everything: list[tuple[str, ...]] = []
    for article in articles:
        for text in (article.title, article.summary, article.text, *article.keywords):
            for raw in text.split():
                word = raw.strip(_STRIP)
                if word:
                    tokens.append(word)
        for heading, line in _sections(article):
            for sentence in _split_sentences(line) if line else ():
                words = tuple(sentence.split())
                pools.setdefault(heading, []).append(words)
                everything.append(words)
    templates = {a.id: a for a in articles if not a.is_overview and a.category}
    return _Language(
        lang=lang,
        tokens=tokens,
        pools=pools,
        everything=everything,
        summaries=[tuple(a.summary.split()) for a in articles],
        templates=templates,
        shapes={aid: _shape(a) for aid, a in templates.items()},
        real_vocabulary=len({t.lower() for t in tokens}),
        real_tokens=len(tokens),
    )


def _grow_lexicon(language: _Language, size: int, rng: random.Random) -> list[str]:
    """``size`` new words of the language, each a splice of two real words, some with a clitic prefix."""
    stems = sorted({t.lower() for t in language.tokens if len(t) >= 3 and t.isalpha()})
    known = {t.lower() for t in language.tokens}
    prefixes = PREFIXES[language.lang]
    words: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(words) < size and attempts < size * 20:
        attempts += 1
        a, b = stems[int(rng.random() * len(stems))], stems[int(rng.random() * len(stems))]
        i = 2 + int(rng.random() * (len(a) - 2)) if len(a) > 2 else len(a)
        j = 1 + int(rng.random() * (len(b) - 2)) if len(b) > 2 else 0
        word = a[:i] + b[j:]
        if prefixes and rng.random() < 0.25:
            word = prefixes[int(rng.random() * len(prefixes))] + word
        if 3 <= len(word) <= 14 and word not in known and word not in seen:
            seen.add(word)
            words.append(word)
    return words


class _Maker:
    """Makes the articles of one language; all randomness comes from ``rng``."""

    def __init__(self, language: _Language, rng: random.Random) -> None:
        self.language = language
        self.rng = rng
        self.random = rng.random

    def word(self) -> str:
        lexicon = self.language.lexicon
        if lexicon and self.random() < NEW_SHARE:
            return lexicon[int(len(lexicon) * self.random() ** 2)]
        tokens = self.language.tokens
        return tokens[int(self.random() * len(tokens))]

    def mutate(self, words: tuple[str, ...], rate: float) -> str:
        n = len(words)
        k = int(n * rate + self.random())
        if not k:
            return " ".join(words)
        out = list(words)
        for _ in range(k):
            p = int(self.random() * n)
            old = out[p]
            out[p] = self.word() + (old[-1] if not old[-1].isalnum() else "")
        return " ".join(out)

    def body(self, shape: _Shape) -> str:
        language, random_ = self.language, self.random
        lines = []
        for heading, counts in shape.sections:
            if heading:
                lines.append(heading)
            pool = language.pools.get(heading) or language.everything
            for count in counts:
                lines.append(" ".join(self.mutate(pool[int(random_() * len(pool))], BODY_RATE) for _ in range(count)))
        return "\n".join(lines)

    def article(self, number: int, template_id: str, related: tuple[str, ...]) -> Article:
        language = self.language
        template = language.templates.get(template_id) or next(iter(language.templates.values()))
        shape = language.shapes[template.id]
        title_words = template.title.split()
        for _ in range(max(1, len(title_words) // 3)):
            title_words[int(self.random() * len(title_words))] = self.word()
        summary = self.mutate(language.summaries[int(self.random() * len(language.summaries))], SUMMARY_RATE)
        keywords = list(template.keywords)
        self.rng.shuffle(keywords)
        keywords = [*keywords[: 5 + int(self.random() * 6)], self.word(), self.word()]
        aid = synthetic_id(number)
        return Article(
            id=aid,
            lang=language.lang,
            title=" ".join(title_words),
            summary=summary,
            category=template.category,
            related=related,
            sources=template.sources,
            keywords=tuple(keywords),
            reviewed=template.reviewed,
            path=Path(language.lang) / f"{aid}.md",
            headings=template.headings,
            sections=template.sections,
            links=(),
            html="",
            text=self.body(shape),
            body_line=template.body_line,
        )


def _lexicon_size(language: _Language, articles: int, real_articles: int) -> int:
    """New words for the language at this size, by Heaps' law fitted on the real articles."""
    if articles <= 0 or language.real_tokens == 0:
        return 0
    k = language.real_vocabulary / language.real_tokens**HEAPS_BETA
    tokens = language.real_tokens * (articles + real_articles) / max(1, real_articles)
    return max(0, int(k * tokens**HEAPS_BETA) - language.real_vocabulary)


def synthesize(kb: KnowledgeBase, n: int, seed: int = 1, include_real: bool = True) -> KnowledgeBase:
    """A knowledge base of ``n`` articles in total (real ones included), deterministic for (kb, n, seed)."""
    real = {lang: len(kb.in_language(lang)) for lang in LANGUAGES} if include_real else dict.fromkeys(LANGUAGES, 0)
    counts = per_language(n, real)
    shared = random.Random(f"bench-corpus:{seed}:shared")
    template_ids = sorted({a.id for a in kb.articles.values() if not a.is_overview and a.category})
    most = max(counts.values(), default=0)
    common = min(counts.values(), default=0)
    plan = []
    for number in range(most):
        template_id = template_ids[int(shared.random() * len(template_ids))]
        pool = common if common >= 3 else most
        wanted = min(2 + int(shared.random() * 3), pool - 1)
        chosen: set[str] = set()
        while len(chosen) < wanted:
            other = int(shared.random() * pool)
            if other != number:
                chosen.add(synthetic_id(other))
        related = tuple(sorted(chosen))
        plan.append((template_id, related))
    articles: dict[tuple[str, str], Article] = {}
    if include_real:
        articles.update(kb.articles)
    for lang in LANGUAGES:
        if not counts[lang]:
            continue
        rng = random.Random(f"bench-corpus:{seed}:{lang}")
        language = _language(kb, lang)
        language.lexicon = _grow_lexicon(language, _lexicon_size(language, counts[lang], real[lang] or 1), rng)
        maker = _Maker(language, rng)
        for number in range(counts[lang]):
            article = maker.article(number, *plan[number])
            articles[(lang, article.id)] = article
    return KnowledgeBase(
        root=kb.root,
        articles=articles,
        categories=kb.categories,
        paths=kb.paths,
        glossary=kb.glossary,
        problems=(),
    )


def vocabulary(kb: KnowledgeBase, lang: str) -> tuple[int, int]:
    """(tokens, distinct lowercased words) of one language's titles, summaries and bodies."""
    tokens, distinct = 0, set()
    for article in kb.in_language(lang):
        for text in (article.title, article.summary, article.text):
            for raw in text.split():
                word = raw.strip(_STRIP).lower()
                if word:
                    tokens += 1
                    distinct.add(word)
    return tokens, len(distinct)


def write_tree(kb: KnowledgeBase, root: Path, source: Path | None = None) -> int:
    """Write ``kb`` as a content tree under ``root`` (real articles copied from ``source``); return files written.

    Synthetic bodies are written back as Markdown: ``##`` headings, then each
    section's lines, the last ones as its task-list items, numbered steps and
    bullets (the counts of the template's sections), so the tree loads with
    ``kb.loader.load``.
    """
    root, source = Path(root), Path(source or kb.root)
    root.mkdir(parents=True, exist_ok=True)
    for name in ("categories.yaml", "paths.yaml", "glossary.yaml"):
        if (source / name).exists():
            shutil.copyfile(source / name, root / name)
    written = 0
    for (lang, aid), article in kb.articles.items():
        target = root / lang / f"{aid}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        original = source / lang / f"{aid}.md"
        if not aid.startswith(SYNTHETIC_PREFIX) and original.exists():
            shutil.copyfile(original, target)
        else:
            target.write_text(_markdown(article), encoding="utf-8")
        written += 1
    return written


def _markdown(article: Article) -> str:
    meta = {
        "id": article.id,
        "lang": article.lang,
        "title": article.title,
        "summary": article.summary,
        "category": article.category,
        "related": list(article.related),
        "sources": list(article.sources),
        "keywords": list(article.keywords),
        "reviewed": article.reviewed,
    }
    if article.id == OVERVIEW_ID:
        del meta["category"]
    out = ["---", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000).rstrip(), "---", ""]
    sections = {s.heading.text: s for s in article.sections}
    levels = {h.text: h.level for h in article.headings}
    blocks: list[tuple[str, list[str]]] = [("", [])]
    for heading, line in _sections(article):
        if not line:
            blocks.append((heading, []))
        else:
            blocks[-1][1].append(line)
    for heading, lines in blocks:
        if heading:
            out += ["#" * levels.get(heading, 2) + " " + heading, ""]
        section = sections.get(heading)
        items = (section.checklist + section.steps + section.bullets) if section else 0
        items = min(items, len(lines))
        paragraphs, listed = lines[: len(lines) - items], lines[len(lines) - items :]
        for line in paragraphs:
            out += [line, ""]
        if listed:
            marks = (
                ["- [ ] "] * section.checklist
                + [f"{i}. " for i in range(1, section.steps + 1)]
                + ["- "] * section.bullets
            )[-len(listed) :]
            out += [mark + line for mark, line in zip(marks, listed, strict=True)]
            out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    import argparse

    from kb.loader import load

    parser = argparse.ArgumentParser(description="Generate a synthetic corpus; print its size and timing.")
    parser.add_argument("--n", type=int, default=1000, help="articles in total across the three languages")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--out", type=Path, help="also write it as a content tree here")
    args = parser.parse_args(argv)
    kb = load(args.content)
    start = time.perf_counter()
    corpus = synthesize(kb, args.n, args.seed)
    elapsed = time.perf_counter() - start
    print(f"{len(corpus.articles)} articles in {elapsed:.2f} s")
    for lang in LANGUAGES:
        tokens, distinct = vocabulary(corpus, lang)
        real_tokens, real_distinct = vocabulary(kb, lang)
        heaps = real_distinct * (tokens / max(1, real_tokens)) ** HEAPS_BETA
        print(
            f"  {lang}: {len(corpus.in_language(lang))} articles, {tokens:,} words, {distinct:,} distinct "
            f"(real: {real_tokens:,} words, {real_distinct:,} distinct; Heaps target {math.floor(heaps):,})"
        )
    if args.out:
        print(f"wrote {write_tree(corpus, args.out, args.content)} files to {args.out}")


if __name__ == "__main__":
    main()
