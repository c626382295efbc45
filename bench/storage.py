"""What reading segment files without mmap costs queries: the same queries, mmap on and off, same run.

``.venv/bin/python -m bench.storage [--size 1000] [--queries 300] [--rounds 3]``

Builds the synthetic corpus at SIZE articles (``bench.corpus``), then, in
alternating rounds, opens a new engine over the build with Whoosh's storage
memory-mapped (Whoosh's default) and with ordinary file reads (what
``search.live`` uses, so a damaged file is an error rather than SIGBUS), and
times each query of the mix. A new engine per round reads every term's
postings from the files again (the engine keeps scores per build); the
word caches of the process are warm for both after a first, untimed round.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kb.loader import load_strict
from search import index as search_index
from search import live
from search.glossary import Glossary
from search.query import SearchEngine

from . import corpus as corpus_module
from . import queries
from .common import REPO


def _round(root: Path, glossary: Glossary, mix, use_mmap: bool) -> list[float]:
    live.USE_MMAP = use_mmap
    engine = SearchEngine(root, glossary, cache_size=0)
    times = []
    for q in mix:
        started = time.perf_counter()
        engine.search(q.text, q.lang, limit=10)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    real = load_strict(REPO / "content")
    kb = corpus_module.synthesize(real, args.size)
    mix = queries.mix(kb, args.queries)
    glossary = Glossary(kb.glossary)
    before = live.USE_MMAP
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "index"
        search_index.build(kb, root, REPO / "content")
        _round(root, glossary, mix, use_mmap=True)  # warm the process-wide word caches, untimed
        timed: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.rounds):
            for use_mmap in (True, False):
                timed[use_mmap] += _round(root, glossary, mix, use_mmap)
    live.USE_MMAP = before
    print(f"{args.size} articles, {len(mix)} queries x {args.rounds} rounds per mode, a new engine per round")
    print("| storage | queries | mean ms | p50 ms | p95 ms | p99 ms | mean ratio | p95 ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    base = timed[True]
    for use_mmap, label in ((True, "mmap (Whoosh's default)"), (False, "file reads (search.live)")):
        values = sorted(timed[use_mmap])
        p = lambda q, v=values: v[min(len(v) - 1, int(len(v) * q))]  # noqa: E731
        mean = statistics.fmean(values)
        print(
            f"| {label} | {len(values)} | {mean:.2f} | {p(0.5):.2f} | {p(0.95):.2f} | {p(0.99):.2f}"
            f" | {mean / statistics.fmean(base):.2f}× | {p(0.95) / sorted(base)[int(len(base) * 0.95)]:.2f}× |"
        )


if __name__ == "__main__":
    main()
