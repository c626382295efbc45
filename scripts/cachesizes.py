"""Bytes per entry of the process-wide caches, measured with tracemalloc, and what their bounds come to.

    .venv/bin/python scripts/cachesizes.py

Fills each cache with words it has not seen (made-up words of 3 to 20
letters, with Hebrew and Arabic prefixes and suffixes: each has a dozen
readings) or with the real articles' texts, and divides the memory traced
by the entries added. Prints a table (entries bound, bytes per entry,
MiB at the bound).
"""

from __future__ import annotations

import gc
import random
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.loader import load_strict  # noqa: E402
from search import analysis, highlight, normalize  # noqa: E402

LETTERS = {
    "he": [chr(c) for c in range(0x05D0, 0x05EB)],
    "ar": [chr(c) for c in range(0x0627, 0x064B)],
    "en": list("abcdefghijklmnopqrstuvwxyz"),
}
AFFIXES = {
    "he": (["וכש", "ומה", "ה", "ב", "ל", "וב", ""], ["ים", "ות", "יהם", "נו", ""]),
    "ar": (["وال", "بال", "فال", "لل", "و", ""], ["ات", "ون", "هم", "ها", ""]),
    "en": ([""], ["ing", "s", "ed", ""]),
}


def traced(fill) -> int:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    fill()
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used


def main() -> None:
    rng = random.Random(1)
    rows = []
    for name, function, bound in (
        ("surface forms (search/normalize.py)", normalize._surface_word, normalize.SURFACES_CACHED),
        ("sieve folds of words (search/normalize.py)", normalize.sieved_word, normalize.SIEVED_WORDS_CACHED),
        ("readings (search/analysis.py variants)", analysis.variants, analysis.READINGS_CACHED),
        ("core readings (search/analysis.py core_variants)", analysis.core_variants, analysis.CORE_READINGS_CACHED),
    ):
        worst = 0.0
        for lang, letters in LETTERS.items():
            prefixes, suffixes = AFFIXES[lang]
            words = [
                rng.choice(prefixes)
                + "".join(rng.choice(letters) for _ in range(rng.randint(3, 20)))
                + rng.choice(suffixes)
                for _ in range(3000)
            ]
            for word in words:  # what the function needs besides its own cache (other caches) is filled first
                analysis.deep(word)
            per_entry = traced(lambda words=words, function=function: [function(w) for w in words]) / len(words)
            worst = max(worst, per_entry)
        rows.append((name, f"{bound:,} entries", worst, bound * worst / 2**20))
    kb = load_strict(ROOT / "content")
    texts = [(a.text, a.lang) for a in kb.articles.values()] if isinstance(kb.articles, dict) else []
    texts = texts or [(a.text, a.lang) for a in kb.articles]

    def read_whole(text: str, lang: str):
        read = highlight.ReadText(text, lang)
        for number in range(len(read.lines)):  # at worst every line of a text is split into words
            read.words(number)
        return read

    for text, lang in texts:
        read_whole(text, lang)  # words' readings cached: what stays is the text as read
    kept = []
    used = traced(lambda: kept.extend(read_whole(t, lang) for t, lang in texts))
    chars = sum(len(t) for t, _ in texts)
    bound = highlight.TEXT_CHARS_KEPT
    rows.append(
        (
            "article texts as read (search/highlight.py)",
            f"{bound:,} characters",
            used / chars,
            bound * used / chars / 2**20,
        )
    )
    reads = [read_whole(t, lang) for t, lang in texts]  # what an analysis is made from is kept anyway
    analyzed = []
    used_analyzed = traced(lambda: analyzed.extend(highlight.analyze(read) for read in reads))
    rows.append(
        (
            "analyzed article texts (search/highlight.py)",
            f"{highlight.ANALYZED_TEXTS} texts, {highlight.ANALYZED_CHARS:,} characters",
            used_analyzed / chars,
            highlight.ANALYZED_CHARS * used_analyzed / chars / 2**20,
        )
    )
    print("| cache | bound | bytes per entry (worst measured) | MiB at the bound |")
    print("|---|---|---:|---:|")
    for name, bound_text, per_entry, mib in rows:
        unit = " per character" if "texts" in name else ""
        print(f"| {name} | {bound_text} | {per_entry:,.0f}{unit} | {mib:.1f} |")
    print(f"\nthe real articles: {len(texts)} texts, {chars:,} characters, {used / 2**20:.1f} MiB as read")


if __name__ == "__main__":
    main()
