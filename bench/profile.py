"""Where query time goes: cProfile over the query mix at one corpus size.

``.venv/bin/python -m bench.profile [--size 10000] [--queries 200] [--index DIR]``

Builds the synthetic corpus (and its index, unless ``--index`` points at one
kept by ``bench.run --keep DIR``, e.g. ``DIR/index-10000``), warms up, then
profiles ``SearchEngine.search`` over the queries and prints the time spent in
each stage of a search, and the top functions by own and cumulative time.
Profiling slows Python code down, so read the shares, not the milliseconds.
The profiled pass runs on a new engine; process-wide caches (readings of
words, analyzed texts) are warmer than in the timed pass before it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from kb.loader import load_strict
from search import index as search_index
from search.errors import IndexMissing
from search.query import SearchEngine, open_live

from . import corpus as corpus_module
from . import queries
from .common import REPO, log
from .stats import table

#: Stages of a search: (label, file suffix, function name).
STAGES = (
    ("SearchEngine.search (everything)", "search/query.py", "search"),
    ("  query words: analyze_words", "search/glossary.py", "analyze_words"),
    ("  plans: glossary expansion and phrases", "search/plan.py", "_languages"),
    ("  compile: words' queries and scores (kept per build)", "search/ranking.py", "compile_plan"),
    ("    a word compiled for the first time", "search/ranking.py", "compile_word"),
    ("      a term's postings scored (first use)", "search/scoring.py", "_score_term"),
    ("      typo look-up: near / close_terms", "search/typos.py", "close_terms"),
    ("  scores combined, coordination, phrases", "search/ranking.py", "score_plan"),
    ("    phrases (Whoosh's phrase matcher)", "search/scoring.py", "matching"),
    ("  best hits", "search/ranking.py", "best"),
    ("  snippets: hit_snippet (first time per hit and query words)", "search/results.py", "hit_snippet"),
    ("    a text's lines sieved and folded (first time per build)", "search/highlight.py", "__init__"),
    ("    lines split into words (first time per build)", "search/highlight.py", "words"),
    ("    look-up in a text kept analyzed", "search/highlight.py", "_look_up"),
    ("  suggestion: suggest", "search/typos.py", "suggest"),
    ("  stored fields (first time per hit)", "whoosh/reading.py", "stored_fields"),
    ("ICU tokenizer (all uses)", "search/words.py", "spans"),
    ("variants() readings (all uses)", "search/analysis.py", "variants"),
)


def stage_rows(stats: pstats.Stats, total: float) -> list[list[str]]:
    rows = []
    for label, suffix, name in STAGES:
        found = [
            (cc, nc, ct)
            for (path, _, func), (cc, nc, _tt, ct, _) in stats.stats.items()
            if func == name and path.endswith(suffix)
        ]
        if not found:
            continue
        calls = sum(nc for _, nc, _ in found)
        cumulative = max(ct for _, _, ct in found) if len(found) > 1 else found[0][2]
        rows.append([label, f"{calls:,}", f"{cumulative:.2f}", f"{cumulative / total:.0%}" if total else "–"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="articles in total across he/ar/en")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--index", type=Path, help="an index folder built for this size and seed (skips the build)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--dump", type=Path, help="also save the raw profile here (for snakeviz, pstats)")
    args = parser.parse_args(argv)

    real = load_strict(args.content)
    corpus = corpus_module.synthesize(real, args.size, seed=args.seed)
    work = None
    root = args.index
    try:
        if root is None or not _has_build(root):
            work = Path(tempfile.mkdtemp(prefix="kb-profile-"))
            root = work / "index"
            log(f"building the index of {args.size:,} articles")
            started = time.perf_counter()
            search_index.build(corpus, root, args.content)
            log(f"built in {time.perf_counter() - started:.1f} s")
        mix = queries.mix(corpus, args.queries, seed=args.seed)[: args.queries]

        def warmed_engine() -> SearchEngine:
            # A new engine for each pass: the engine keeps what it computed for the index (term scores,
            # compiled words, snippets), so a second pass over the same queries would find it all done.
            engine = open_live(root, real, cache_size=0)
            for q in queries.generated(corpus, 20, seed=args.seed + 1000):
                engine.search(q.text, q.lang, limit=10)
            return engine

        engine = warmed_engine()
        started = time.perf_counter()
        for q in mix:
            engine.search(q.text, q.lang, limit=10)
        plain = time.perf_counter() - started
        engine = warmed_engine()
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for q in mix:
            engine.search(q.text, q.lang, limit=10)
        profiler.disable()
        profiled = time.perf_counter() - started
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)
    if args.dump:
        profiler.dump_stats(str(args.dump))
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"# Profile of {len(mix)} queries at {args.size:,} articles\n")
    print(
        f"Without the profiler: {plain:.1f} s ({plain / len(mix) * 1000:.1f} ms a query); with it: {profiled:.1f} s.\n"
    )
    print(table(["stage (cumulative)", "calls", "s", "share"], stage_rows(stats, total)))
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(key).print_stats(args.top)
        lines = buffer.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
        print(f"\nTop {args.top} functions by {title}:\n\n```")
        print("\n".join(lines[start:]).rstrip())
        print("```")
    return 0


def _has_build(root: Path) -> bool:
    try:
        search_index.current_build(root)
        return True
    except IndexMissing:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
