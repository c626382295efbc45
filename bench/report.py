"""The benchmark's Markdown report: the environment, one table per part, and the optimisation targets."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import subprocess
from pathlib import Path

from kb.model import LANGUAGES, KnowledgeBase

from .common import REPO, SEARCH_DISTINCT, SEARCH_REPEATED, TARGETS, HttpResult, SizeResult
from .stats import mb, ms, ratio, secs, summary, table


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def environment() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )

    def git(*command: str) -> str:
        try:
            return subprocess.run(
                ["git", *command], cwd=REPO, capture_output=True, text=True, timeout=10, check=False
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    commit = git("rev-parse", "--short", "HEAD")
    if git("status", "--porcelain", "--untracked-files=no", "--", "kb", "search", "web"):
        commit += " plus uncommitted changes in kb/ search/ web/"
    from importlib.metadata import version

    return (
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, code at commit {commit or '?'}; {os.cpu_count()} × {cpu}; "
        f"Python {platform.python_version()}, Whoosh-Reloaded {version('Whoosh-Reloaded')}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def report(sizes: list[SizeResult], http: HttpResult | None, args, real: KnowledgeBase, where: str) -> str:
    out = ["# Search performance benchmark", "", where, ""]
    if sizes:
        out += _corpora(sizes, args) + _builds(sizes, args) + _latency(sizes)
    if http:
        out += _http(http, args, real)
    out += targets(sizes, http)
    return "\n".join(out)


def _corpora(sizes: list[SizeResult], args) -> list[str]:
    return [
        "## Corpora",
        "",
        "Articles in total across the three languages: the real ones plus synthetic ones grown from them "
        "(bench/corpus.py, seed " + str(args.seed) + ").",
        "",
        table(
            ["articles", "he", "ar", "en", "distinct words he / ar / en", "generated in s"],
            [
                [
                    f"{r.size:,}",
                    f"{r.per_language['he']:,}",
                    f"{r.per_language['ar']:,}",
                    f"{r.per_language['en']:,}",
                    " / ".join(f"{r.distinct[lang]:,}" for lang in LANGUAGES),
                    secs(r.generate_s),
                ]
                for r in sizes
            ],
        ),
        "",
    ]


def _builds(sizes: list[SizeResult], args) -> list[str]:
    return [
        "## Index build",
        "",
        f"Full build (`search.index.build`, three languages) and incremental update (`search.index.update` "
        f"after one article changed; median of {args.incremental_rounds}, max in brackets), beside SQLite FTS5 "
        "over title, summary and body (build includes `optimize`; update is one row and a commit).",
        "",
        table(
            [
                "articles",
                "full build s",
                "FTS5 s",
                "ratio",
                "index MB",
                "FTS5 MB",
                "ratio",
                "incremental s",
                "FTS5 s",
                "ratio",
                "new files MB",
            ],
            [
                [
                    f"{r.size:,}",
                    secs(r.build_s),
                    secs(r.fts_build_s),
                    ratio(r.build_s, r.fts_build_s),
                    mb(r.index_bytes),
                    mb(r.fts_bytes),
                    ratio(r.index_bytes, r.fts_bytes),
                    f"{secs(_median(r.incremental_s))} ({secs(max(r.incremental_s, default=0))})",
                    f"{secs(_median(r.fts_incremental_s))}",
                    ratio(_median(r.incremental_s), _median(r.fts_incremental_s)),
                    mb(r.incremental_bytes),
                ]
                for r in sizes
            ],
        ),
        "",
    ]


def _latency(sizes: list[SizeResult]) -> list[str]:
    out = [
        "## In-process query latency",
        "",
        "`SearchEngine.search(q, lang, limit=10)` (snippets with highlights always built) over the query mix: "
        "the shared dev queries plus queries sampled from the corpus (words, bigrams, title words, prefixed "
        "words, typos, questions, quoted phrases), after a warm-up; FTS5: top 10 by bm25 with `snippet()`, "
        "plus the total count. Milliseconds; ratio = ours / FTS5.",
        "",
    ]
    rows = []
    for r in sizes:
        o, t = summary(r.all("ours")), summary(r.all("theirs"))
        rows.append(
            [
                f"{r.size:,}",
                f"{o['n']}" + (f" of {r.planned}" if o["n"] < r.planned else ""),
                ms(o["p50"]),
                ms(o["p95"]),
                ms(o["p99"]),
                ms(t["p50"]),
                ms(t["p95"]),
                ms(t["p99"]),
                ratio(o["p50"], t["p50"]),
                ratio(o["p95"], t["p95"]),
                ratio(o["p99"], t["p99"]),
                f"{1 / o['mean']:.1f}" if o["mean"] else "–",
            ]
        )
    out += [
        table(
            [
                "articles",
                "queries",
                "p50",
                "p95",
                "p99",
                "FTS5 p50",
                "FTS5 p95",
                "FTS5 p99",
                "p50 ratio",
                "p95 ratio",
                "p99 ratio",
                "our q/s (1 thread)",
            ],
            rows,
        ),
        "",
    ]
    for r in sizes:
        out += [f"By kind of query, {r.size:,} articles (ms; hits = mean total found):", ""]
        rows = []
        for kind in sorted(r.ours, key=lambda k: (k != "dev", k)):
            o, t = summary(r.ours[kind]), summary(r.theirs.get(kind, []))
            hits_o = sum(r.hits_ours[kind]) / len(r.hits_ours[kind])
            hits_t = sum(r.hits_theirs.get(kind, [0])) / max(1, len(r.hits_theirs.get(kind, [])))
            rows.append(
                [
                    kind,
                    str(o["n"]),
                    ms(o["p50"]),
                    ms(o["p99"]),
                    ms(o["max"]),
                    ms(t["p50"]),
                    ms(t["p99"]),
                    ratio(o["p50"], t["p50"]),
                    f"{hits_o:,.0f}",
                    f"{hits_t:,.0f}",
                ]
            )
        out += [
            table(["kind", "n", "p50", "p99", "max", "FTS5 p50", "FTS5 p99", "p50 ratio", "hits", "FTS5 hits"], rows),
            "",
        ]
        if r.errors:
            out += [f"{r.errors} queries raised an error at {r.size:,} articles (see stderr).", ""]
    out += [
        "FTS5 has no readings, prefixes or typo tolerance: on `affix` and `typo` queries it finds (almost) "
        "nothing, so its time there is that of an empty result and those ratios overstate the gap.",
        "",
    ]
    return out


def _http(http: HttpResult, args, real: KnowledgeBase) -> list[str]:
    out = [
        "## HTTP (real content)",
        "",
        f"`kb serve` ({http.threads} threads per process) over content/ ({len(real.articles)} articles) on "
        f"127.0.0.1; load by {http.generator}, {args.http_seconds:.0f} s per row after a "
        f"{args.http_warmup:.0f} s warm-up, latency in ms; ratios against the stylesheet served by the same "
        "server (the floor). The load generator shares the machine's 2 cores with the server.",
        "",
        table(
            [
                "server",
                "target",
                "connections",
                "req/s",
                "p50",
                "p99",
                "max",
                "errors (non-2xx / socket)",
                "req/s vs stylesheet",
                "p99 vs stylesheet",
            ],
            [
                [
                    run.server,
                    run.name,
                    str(run.connections),
                    f"{run.rps:,.0f}",
                    ms(run.p50),
                    ms(run.p99),
                    ms(run.max),
                    f"{run.non_2xx} / {run.socket_errors}",
                    ratio(run.rps, _floor(http, run).rps),
                    ratio(run.p99, _floor(http, run).p99),
                ]
                for run in http.runs
            ],
        ),
        "",
        table(
            ["server", "value"],
            [
                ["start to first answered /api/search, index built at start-up", f"{http.cold_start_s:.2f} s"],
                ["start to first answered /api/search, index already built", f"{http.warm_start_s:.2f} s"],
                ["RSS when ready (VmRSS)", f"{mb(http.rss_idle)} MB"],
                ["peak RSS after the load runs (VmHWM)", f"{mb(http.hwm_peak)} MB"],
                ["waitress 'Task queue depth' warnings in the log (all runs)", str(http.queue_warnings)],
            ],
            ["l", "r"],
        ),
        "",
    ]
    notes = sorted({note for run in http.runs for note in run.notes})
    out += [f"Note: {note}." for note in notes] + ([""] if notes else [])
    return out


def _floor(http: HttpResult, run):
    """The stylesheet run of the server that served ``run``."""
    return next(r for r in http.runs if r.server == run.server)


def targets(sizes: list[SizeResult], http: HttpResult | None) -> list[str]:
    rows = []

    def add(goal: str, measured: str, met: bool | None) -> None:
        rows.append([goal, measured, "–" if met is None else ("yes" if met else "no")])

    at = next((r for r in sizes if r.size == 10_000), None)
    if at:
        o = summary(at.all("ours"))
        add(f"10k articles: in-process p50 < {TARGETS['p50_ms']:.0f} ms", f"{ms(o['p50'])} ms", o["p50"] * 1000 < 10)
        add(f"10k articles: in-process p99 < {TARGETS['p99_ms']:.0f} ms", f"{ms(o['p99'])} ms", o["p99"] * 1000 < 60)
        add(
            f"10k articles: full build < {TARGETS['build_s']:.0f} s",
            f"{secs(at.build_s)} s",
            at.build_s < TARGETS["build_s"],
        )
        inc = _median(at.incremental_s)
        add(f"10k articles: incremental < {TARGETS['incremental_s']:.0f} s", f"{secs(inc)} s", inc < 1)
    for server in dict.fromkeys(r.server for r in http.runs) if http else ():
        css = next(r for r in http.runs if r.server == server)
        for prefix in (SEARCH_DISTINCT, SEARCH_REPEATED):
            search = next(
                (r for r in http.runs if r.server == server and r.name.startswith(prefix) and r.connections > 1), None
            )
            if not search:
                continue
            what = "distinct queries (cache misses)" if prefix == SEARCH_DISTINCT else "repeated queries (cache hits)"
            what += f", {server}"
            add(
                f"real KB: /api/search p99 < {TARGETS['http_p99_ms']:.0f} ms at {search.connections} connections, "
                + what,
                f"{ms(search.p99)} ms",
                search.p99 * 1000 < TARGETS["http_p99_ms"],
            )
            share = search.rps / css.rps if css.rps else 0
            add(
                "real KB: /api/search throughput ≥ half the stylesheet's, " + what,
                f"{share:.1%} ({search.rps:,.0f} vs {css.rps:,.0f} req/s)",
                share >= TARGETS["http_share"],
            )
    if not rows:
        return []
    return [
        "## Against the optimisation targets (informational)",
        "",
        table(["target", "measured", "met"], rows, ["l", "r", "c"]),
        "",
    ]
