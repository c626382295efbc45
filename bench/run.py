"""The performance benchmark suite: ``.venv/bin/python -m bench.run [options]``.

For each corpus size (articles in total across he/ar/en, see :mod:`bench.corpus`):

- full index build time and size on disk, and an incremental update after one
  article changed, beside SQLite FTS5 over the same articles;
- in-process query latency (p50/p95/p99, limit 10, snippets with highlights
  always built) over the query mix of :mod:`bench.queries`, beside FTS5
  (bm25 and ``snippet()``), the reference floor; ratios are ours / FTS5.

Then, over the real content (``content/``), a ``kb serve`` subprocess on
127.0.0.1: time from start to the first answered ``/api/search`` (index built
at start-up, and already built), its memory (VmRSS, VmHWM), and requests/s
with p50/p99 latency under 16 connections for ``/static/site.css`` (the
floor), the article pages and ``/api/search`` with varied queries; ratios
are against the stylesheet. The stylesheet and ``/api/search`` are measured
again with one worker process per core (``--workers``). Last, the hostile
queries of :mod:`bench.hostile` (unless ``--skip-hostile``).

Everything is measured with ``time.perf_counter`` after a warm-up, in the
same run as its baseline; nothing asserts a timing. Indexes live in a
temporary folder that is removed at the end (unless ``--keep``). Progress
goes to stderr, the Markdown tables to stdout (and ``--out``).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import quote

from kb.config import SETTINGS_BY_NAME
from kb.loader import load_strict
from kb.model import LANGUAGES, KnowledgeBase
from search import index as search_index
from search.query import open_live
from web.server import tune_collector

from . import corpus as corpus_module
from . import fts, hostile, load, queries
from .common import REPO, SEARCH_DISTINCT, SEARCH_REPEATED, SINGLE_PROCESS, HttpResult, SizeResult, log
from .report import environment, report
from .stats import mb, ms, summary, tree_size

DEFAULT_GC = gc.get_threshold()


def _changed(article, round_: int):
    """The article with one more sentence in its body and summary (a realistic small edit)."""
    extra = f" {article.title} ({round_})."
    text = article.text + "\n" + article.title + extra
    return dataclasses.replace(article, summary=article.summary + extra, text=text)


def _with(kb: KnowledgeBase, article) -> KnowledgeBase:
    articles = dict(kb.articles)
    articles[(article.lang, article.id)] = article
    return dataclasses.replace(kb, articles=articles)


def bench_size(real: KnowledgeBase, size: int, args, work: Path) -> SizeResult:
    content = Path(args.content).resolve()
    log(f"{size:,} articles: generating the corpus")
    started = time.perf_counter()
    corpus = corpus_module.synthesize(real, size, seed=args.seed)
    generate_s = time.perf_counter() - started
    counts = {lang: len(corpus.in_language(lang)) for lang in LANGUAGES}
    distinct = {lang: corpus_module.vocabulary(corpus, lang)[1] for lang in LANGUAGES}
    log(f"{size:,} articles: generated in {generate_s:.1f} s ({counts}); building our index")

    root = work / f"index-{size}"
    gc.collect()
    started = time.perf_counter()
    search_index.build(corpus, root, content)
    build_s = time.perf_counter() - started
    index_bytes = tree_size(search_index.current_build(root))
    log(f"{size:,} articles: our build {build_s:.1f} s, {mb(index_bytes)} MB; building FTS5")

    db = work / f"fts-{size}.sqlite"
    started = time.perf_counter()
    rowids = fts.build(corpus, db)
    fts_build_s = time.perf_counter() - started
    fts_bytes = db.stat().st_size
    log(f"{size:,} articles: FTS5 build {fts_build_s:.1f} s, {mb(fts_bytes)} MB; incremental updates")

    synthetic = [a for a in corpus.in_language("he") if a.id.startswith(corpus_module.SYNTHETIC_PREFIX)]
    pool = synthetic or corpus.in_language("he")
    incremental_s, fts_incremental_s, incremental_bytes = [], [], 0
    current = corpus
    for round_ in range(args.incremental_rounds):
        article = _changed(pool[(round_ * 7919) % len(pool)], round_)
        current = _with(current, article)
        gc.collect()
        started = time.perf_counter()
        info = search_index.update(current, root, content)
        incremental_s.append(time.perf_counter() - started)
        incremental_bytes = tree_size(info.path, only_new=True)
        started = time.perf_counter()
        fts.update(db, article, rowids[article.lang][article.id])
        fts_incremental_s.append(time.perf_counter() - started)
    del current

    result = SizeResult(
        size=size,
        per_language=counts,
        distinct=distinct,
        generate_s=generate_s,
        build_s=build_s,
        index_bytes=index_bytes,
        fts_build_s=fts_build_s,
        fts_bytes=fts_bytes,
        incremental_s=incremental_s,
        incremental_bytes=incremental_bytes,
        fts_incremental_s=fts_incremental_s,
    )
    bench_queries(corpus, real, root, db, args, result)
    result.rss = load.read_status(os.getpid()).get("VmRSS", 0)
    del corpus
    gc.collect()
    return result


def _measure(engine, mix, args, result: SizeResult, done: list, deadline: float) -> None:
    for i, q in enumerate(mix):
        if i >= args.min_queries and time.perf_counter() > deadline:
            log(f"{result.size:,} articles: query budget spent after {i} queries")
            break
        started = time.perf_counter()
        try:
            found = engine.search(q.text, q.lang, limit=10)
        except Exception as exc:  # a benchmark reports failures, it does not stop on them
            result.errors += 1
            log(f"query failed: {q} ({exc!r})")
            continue
        elapsed = time.perf_counter() - started
        kind = "dev" if q.kind.startswith("dev:") else q.kind
        result.ours.setdefault(kind, []).append(elapsed)
        result.hits_ours.setdefault(kind, []).append(found.total)
        done.append((kind, q))


def bench_queries(corpus: KnowledgeBase, real: KnowledgeBase, root: Path, db: Path, args, result: SizeResult) -> None:
    dev = queries.dev_queries(Path(args.dev_queries))
    mix = queries.mix(corpus, args.queries, seed=args.seed, dev=dev)
    warmup = queries.generated(corpus, args.warmup, seed=args.seed + 1000)
    result.planned = len(mix)
    engine = open_live(root, real, cache_size=0)  # measure searching, not the cache
    started = time.perf_counter()
    engine.read_ahead()  # as a site does when it opens a build (web/library.py)
    log(f"{result.size:,} articles: term lists read ahead in {time.perf_counter() - started:.2f} s")
    floor = fts.Searcher(db)
    log(f"{result.size:,} articles: warming up ({len(warmup)} queries each)")
    for q in warmup:
        engine.search(q.text, q.lang, limit=10)
        floor.search(q.text, q.lang, limit=10)
    log(f"{result.size:,} articles: {len(mix)} queries (our engine, budget {args.query_budget:.0f} s)")
    done = []
    deadline = time.perf_counter() + args.query_budget
    tune_collector()  # as kb serve runs it, for both engines
    try:
        _measure(engine, mix, args, result, done, deadline)
        log(f"{result.size:,} articles: the same {len(done)} queries on FTS5")
        for kind, q in done:
            started = time.perf_counter()
            total, _ = floor.search(q.text, q.lang, limit=10)
            result.theirs.setdefault(kind, []).append(time.perf_counter() - started)
            result.hits_theirs.setdefault(kind, []).append(total)
    finally:
        gc.set_threshold(*DEFAULT_GC)
        gc.unfreeze()
    floor.close()
    ours = summary(result.all("ours"))
    log(f"{result.size:,} articles: ours p50 {ms(ours['p50'])} ms p99 {ms(ours['p99'])} ms")


def _load_runs(server, targets, label: str, wrk, generator: str, args) -> list:
    runs = []
    for name, paths, connections, unique in targets:
        log(f"HTTP: {name} ({label}): warm-up {args.http_warmup:.0f} s, then {args.http_seconds:.0f} s ({generator})")
        for seconds, keep in ((args.http_warmup, False), (args.http_seconds, True)):
            if generator == "wrk":
                run = load.run_wrk(wrk, server.port, name, paths, connections, seconds, unique=unique)
            else:
                run = load.run_python(server.port, name, paths, connections, seconds, unique=unique)
            if keep:
                run.server = label
                runs.append(run)
        log(f"HTTP: {name}: {run.rps:,.0f} req/s, p50 {ms(run.p50)} ms, p99 {ms(run.p99)} ms")
    return runs


def bench_http(real: KnowledgeBase, args, work: Path) -> HttpResult:
    content = Path(args.content).resolve()
    index = work / "http-index"
    logfile = work / "serve.log"
    probe = "/api/search?q=CRM&lang=he"
    log("HTTP: cold start (index built at start-up)")
    server = load.Server(content, index, logfile)
    try:
        server.start()
        cold = server.wait_ready(probe)
    finally:
        server.stop()
    log(f"HTTP: cold start {cold:.2f} s; warm start")
    server = load.Server(content, index, logfile)
    try:
        server.start()
        warm = server.wait_ready(probe)
        idle = server.memory()
        generator = args.load_generator
        wrk = None
        if generator in ("auto", "wrk"):
            wrk = load.find_wrk(install=not args.no_install)
            if wrk is None and generator == "wrk":
                raise SystemExit("wrk is not installed (apt-get install wrk) and could not be installed")
        generator = "wrk" if wrk else "python"
        searches = [
            f"/api/search?lang={q.lang}&limit=10&q={quote(q.text)}"
            for q in queries.mix(real, args.http_queries, seed=args.seed, dev=queries.dev_queries(args.dev_queries))
        ]
        articles = [f"/{lang}/{quote(a.id)}" for lang in LANGUAGES for a in real.in_language(lang)]
        # (name, paths, connections, unique): "unique" gives every request a distinct raw query, which the
        # analyzer reads as the same words, so the server's result cache misses (see load.unique_suffix).
        targets = [
            ("stylesheet /static/site.css", ["/static/site.css"], args.connections, False),
            (f"article pages (/<lang>/<id>, {len(articles)} cycled)", articles, args.connections, False),
            (f"{SEARCH_REPEATED} ({len(searches)} queries cycled: cache hits)", searches, args.connections, False),
            (f"{SEARCH_DISTINCT} (cache misses)", searches, args.connections, True),
            (f"{SEARCH_DISTINCT}, 1 connection (unloaded)", searches, 1, True),
        ]
        for _name, paths, _, unique in targets:
            for path in sorted(set(paths))[:3] + paths[:3]:
                status, _ = load.get(server.port, path + (load.unique_suffix(7) if unique else ""), timeout=30)
                if status != 200:
                    log(f"HTTP: {path} answered {status}")
        log(f"HTTP: priming the result cache with the {len(set(searches))} repeated queries")
        for path in dict.fromkeys(searches):
            load.get(server.port, path, timeout=30)
        runs = _load_runs(server, targets, SINGLE_PROCESS, wrk, generator, args)
        end = server.memory()
    finally:
        server.stop()
    if args.workers > 1:
        # The same server as deployed on several cores: gunicorn, one process per worker, one read-only index.
        label = f"{args.workers} worker processes (gunicorn)"
        log(f"HTTP: {label}")
        server = load.Server(content, index, logfile, workers=args.workers)
        try:
            server.start()
            server.wait_ready(probe)
            for path in dict.fromkeys(searches):
                load.get(server.port, path, timeout=30)
            runs += _load_runs(server, [targets[0], targets[2], targets[3]], label, wrk, generator, args)
        finally:
            server.stop()
    text = logfile.read_text(errors="replace") if logfile.exists() else ""
    return HttpResult(
        cold_start_s=cold,
        warm_start_s=warm,
        rss_idle=idle.get("VmRSS", 0),
        hwm_idle=idle.get("VmHWM", 0),
        hwm_peak=end.get("VmHWM", 0),
        rss_end=end.get("VmRSS", 0),
        runs=runs,
        generator=generator,
        threads=int(os.environ.get("KB_THREADS", SETTINGS_BY_NAME["KB_THREADS"].default)),
        queue_warnings=text.count("Task queue depth"),
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="articles in total across he/ar/en, comma-separated (default 1000,10000)")
    parser.add_argument("--queries", type=int, help="queries per size, dev set included (default 400; --quick 120)")
    parser.add_argument("--warmup", type=int, help="warm-up queries per size (default 40; --quick 15)")
    parser.add_argument(
        "--query-budget", type=float, help="seconds of our queries per size before stopping early (default 240)"
    )
    parser.add_argument("--min-queries", type=int, default=60, help="queries measured even past the budget")
    parser.add_argument("--incremental-rounds", type=int, help="incremental updates measured per size (default 3)")
    parser.add_argument("--skip-http", action="store_true", help="skip the HTTP part")
    parser.add_argument("--skip-hostile", action="store_true", help="skip the hostile queries (bench.hostile)")
    hostile.add_arguments(parser)
    parser.add_argument("--skip-sizes", action="store_true", help="only the HTTP part")
    parser.add_argument("--quick", action="store_true", help="1,000 articles, fewer queries, short HTTP runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="also measure kb serve with this many worker processes (default: one per core; 1: skip)",
    )
    parser.add_argument("--http-seconds", type=float, help="seconds per HTTP run (default 10; --quick 3)")
    parser.add_argument("--http-warmup", type=float, help="seconds of warm-up before each run (default 2)")
    parser.add_argument("--http-queries", type=int, default=200, help="distinct /api/search queries cycled")
    parser.add_argument("--load-generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-install", action="store_true", help="do not apt-get install wrk when it is missing")
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--dev-queries", type=Path, default=queries.DEV_QUERIES)
    parser.add_argument("--tmp", type=Path, help="parent folder for the temporary indexes (default: system temp)")
    parser.add_argument("--keep", type=Path, help="keep the indexes and FTS5 databases in this folder")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    args = parser.parse_args(argv)
    quick = args.quick
    args.sizes = [int(s.replace("_", "")) for s in (args.sizes or ("1000" if quick else "1000,10000")).split(",")]
    args.queries = args.queries or (120 if quick else 400)
    args.warmup = args.warmup if args.warmup is not None else (15 if quick else 40)
    args.query_budget = args.query_budget or (60.0 if quick else 240.0)
    args.incremental_rounds = args.incremental_rounds or (1 if quick else 3)
    args.http_seconds = args.http_seconds or (3.0 if quick else 10.0)
    args.http_warmup = args.http_warmup if args.http_warmup is not None else (1.0 if quick else 2.0)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    where = environment()  # before the run: the code measured is the code imported now
    real = load_strict(Path(args.content))
    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        if args.tmp:
            Path(args.tmp).mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="kb-bench-", dir=args.tmp))
    sizes: list[SizeResult] = []
    http = None
    hostile_text = ""
    started = time.perf_counter()
    try:
        if not args.skip_sizes:
            for size in args.sizes:
                try:
                    sizes.append(bench_size(real, size, args, work))
                except Exception:  # report the sizes that did complete
                    log(f"{size:,} articles failed:\n{traceback.format_exc()}")
        if not args.skip_http:
            try:
                http = bench_http(real, args, work)
            except Exception:
                log(f"HTTP part failed:\n{traceback.format_exc()}")
        if not args.skip_hostile:
            try:
                hostile_text = hostile.run(real, args, work)
            except Exception:
                log(f"hostile part failed:\n{traceback.format_exc()}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = report(sizes, http, args, real, where)
    text += f"\n{hostile_text}\n" if hostile_text else ""
    text += f"\nWhole run: {time.perf_counter() - started:,.0f} s.\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
