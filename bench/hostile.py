"""Hostile queries: what one costs, and what four attackers do to everyone else.

``.venv/bin/python -m bench.hostile [--per-kind 30] [--attack-seconds 10] [--rounds 2] [--workers 2] [--skip-http]``
(also run by ``bench.run`` unless ``--skip-hostile``).

Over the real content (``content/``):

1. In-process, each hostile kind alone: ``SearchEngine.search`` over fresh
   queries of that kind (distinct random words, so no cache answers), CPU
   time of the search (``time.thread_time``) and wall time, p50, p99, max.
2. Over HTTP, a ``kb serve`` subprocess on 127.0.0.1, once as one process
   and once with ``--workers`` processes: each hostile kind alone, a few
   requests one at a time (latency); then normal users (``wrk``, or a Python
   stand-in, over the normal query mix, repeated so the result cache answers)
   alone, then with four attacker connections beside them, each sending a
   fresh hostile query about once a second (the two alternate, ``--rounds``
   times). Normal p50 and p99 with and without the attack, their ratio, and
   the attackers' own latency.

Every run is bounded in time and stops by itself; servers are stopped by pid.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from kb.loader import load_strict
from kb.model import KnowledgeBase
from search import index as search_index
from search.query import SearchEngine, open_live
from web.server import tune_collector

from . import load, queries
from .stats import ms, percentile, ratio, table

REPO = Path(__file__).resolve().parents[1]
WORDS = 24  # the engine reads at most this many words of a query
LETTERS = {
    "he": [chr(c) for c in range(0x05D0, 0x05EB)],  # א..ת, final forms included
    "ar": [chr(c) for c in range(0x0628, 0x064B)],  # ب..ي
    "en": list(string.ascii_lowercase),
}
ATTACKERS = 4
ATTACK_INTERVAL = 1.0  # seconds between one attacker's requests


def log(message: str) -> None:
    print(f"[hostile {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _random_word(rng: random.Random, lang: str, low: int = 6, high: int = 9) -> str:
    return "".join(rng.choice(LETTERS[lang]) for _ in range(rng.randint(low, high)))


def _typo(rng: random.Random, word: str) -> str:
    return queries._typo(rng, word)


class Hostile:
    """Generators of hostile queries (each call a fresh one: distinct random words, so caches miss)."""

    def __init__(self, kb: KnowledgeBase, seed: int = 1) -> None:
        self.rng = random.Random(f"hostile:{seed}")
        self.words = {
            lang: sorted({w for a in kb.in_language(lang) for w in queries._words(a.text) if len(w) >= 5})
            for lang in LETTERS
        }
        self.glossary = sorted({term for concept in kb.glossary for terms in concept.terms.values() for term in terms})

    def kinds(self) -> dict[str, tuple[str, str]]:
        """Kind name -> (language searched, description)."""
        return {name: (lang, about) for name, (lang, about, _) in self._kinds().items()}

    def make(self, kind: str) -> tuple[str, str]:
        """A fresh query of ``kind``: (language, text)."""
        lang, _, build = self._kinds()[kind]
        return lang, build()

    def _kinds(self):
        rng = self.rng

        def unknown(lang: str):
            return lambda: " ".join(_random_word(rng, lang) for _ in range(WORDS))

        def mixed():
            return " ".join(_random_word(rng, rng.choice(("he", "ar", "en"))) for _ in range(WORDS))

        def thousand():
            words, size = [], 0
            while size < 1000:
                word = _random_word(rng, "he", 6, 60)
                words.append(word)
                size += len(word) + 1
            return " ".join(words)[:1000]

        def long_words():
            return " ".join(_random_word(rng, "ar", 20, 24) for _ in range(WORDS))

        def real_typos(lang: str):
            return lambda: " ".join(_typo(rng, rng.choice(self.words[lang])) for _ in range(WORDS))

        def glossary():
            return " ".join(rng.sample(self.glossary, WORDS))

        def repeated():
            return " ".join([_random_word(rng, "he", 9, 9)] * WORDS)

        def phrase_unknown():
            return '"' + " ".join(_random_word(rng, "he") for _ in range(WORDS)) + '"'

        def phrase_long():
            text = " ".join(rng.choice(self.words["he"]) for _ in range(200))[:998]
            return '"' + text.rsplit(" ", 1)[0] + '"'

        def phrases():
            return " ".join(f'"{rng.choice(self.words["ar"])} {_random_word(rng, "ar")}"' for _ in range(WORDS // 2))

        return {
            "he-unknown": ("he", f"{WORDS} random Hebrew words of 6-9 letters", unknown("he")),
            "ar-unknown": ("ar", f"{WORDS} random Arabic words of 6-9 letters", unknown("ar")),
            "en-unknown": ("en", f"{WORDS} random Latin words of 6-9 letters", unknown("en")),
            "mixed-unknown": ("he", f"{WORDS} random words, Hebrew, Arabic and Latin mixed", mixed),
            "1000-chars": ("he", "1,000 characters of random Hebrew words of 6-60 letters", thousand),
            "long-words": ("ar", f"{WORDS} random Arabic words of 20-24 letters", long_words),
            "he-typos": ("he", f"{WORDS} Hebrew words of the articles, one typo each", real_typos("he")),
            "ar-typos": ("ar", f"{WORDS} Arabic words of the articles, one typo each", real_typos("ar")),
            "glossary": ("he", f"{WORDS} glossary terms, all languages (many expansions)", glossary),
            "repeated": ("he", f"one random 9-letter Hebrew word {WORDS} times", repeated),
            "phrase-unknown": ("he", f"a quoted phrase of {WORDS} random Hebrew words", phrase_unknown),
            "phrase-long": ("he", "a quoted phrase of 1,000 characters of article words", phrase_long),
            "phrases": ("ar", f"{WORDS // 2} quoted pairs (an article word and a random one)", phrases),
        }


# --- in-process: what one hostile query costs ------------------------------------


@dataclass
class KindResult:
    kind: str
    lang: str
    about: str
    cpu: list[float] = field(default_factory=list)  # seconds of the search's own CPU time
    wall: list[float] = field(default_factory=list)
    found: list[int] = field(default_factory=list)  # articles found


def _timed_search(engine: SearchEngine, text: str, lang: str, result: KindResult) -> None:
    cpu, wall = time.thread_time(), time.perf_counter()
    found = engine.search(text, lang, limit=10)
    result.cpu.append(time.thread_time() - cpu)
    result.wall.append(time.perf_counter() - wall)
    result.found.append(found.total)


def bench_inprocess(real: KnowledgeBase, content: Path, index: Path, args) -> list[KindResult]:
    """Each hostile kind alone, ``args.per_kind`` fresh queries (at most ``args.kind_budget`` seconds each),
    beside the normal query mix, on one engine (its result cache off) warmed with other normal queries and one
    query of each kind."""
    engine = open_live(index, real, content, cache_size=0)  # every query searched
    hostile = Hostile(real, args.seed)
    for q in queries.generated(real, 40, seed=args.seed + 100):
        engine.search(q.text, q.lang, limit=10)
    for kind in hostile.kinds():
        lang, text = hostile.make(kind)
        engine.search(text, lang, limit=10)
    tune_collector()  # as kb serve runs
    normal = queries.mix(real, args.per_kind * 4, seed=args.seed)
    results = [KindResult("normal", "he/ar/en", f"the normal query mix ({len(normal)} queries)")]
    for q in normal:
        _timed_search(engine, q.text, q.lang, results[0])
    for kind, (lang, about) in hostile.kinds().items():
        result = KindResult(kind, lang, about)
        deadline = time.perf_counter() + args.kind_budget
        while len(result.cpu) < args.per_kind and time.perf_counter() < deadline:
            _timed_search(engine, hostile.make(kind)[1], lang, result)
        results.append(result)
        log(f"in-process {kind}: CPU p99 {ms(_p(result.cpu, 99))} ms, max {ms(max(result.cpu))} ms")
    return results


def _p(values: list[float], p: float) -> float:
    return percentile(sorted(values), p)


# --- over HTTP: normal users with and without attackers ------------------------------


@dataclass
class AttackRun:
    server: str
    round: int
    normal_alone: load.LoadResult
    normal_attacked: load.LoadResult
    attacks: list[float]  # seconds per attacker request answered
    attack_errors: int


def _attackers(port: int, hostile: Hostile, seconds: float, out: list[float], errors: list[int]) -> list:
    """ATTACKERS threads, each with a keep-alive connection, sending a fresh hostile query every
    ATTACK_INTERVAL seconds (or right after the previous answer, when that took longer)."""
    kinds = list(hostile.kinds())
    paths = [
        f"/api/search?lang={lang}&limit=10&q={quote(text)}"
        for lang, text in (hostile.make(kinds[i % len(kinds)]) for i in range(ATTACKERS * int(seconds + 2)))
    ]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def attack(k: int) -> None:
        conn = http.client.HTTPConnection(load.HOST, port, timeout=30)
        tick = time.perf_counter() + k * ATTACK_INTERVAL / ATTACKERS  # spread over the second
        for path in paths[k::ATTACKERS]:
            time.sleep(max(0.0, tick - time.perf_counter()))
            if time.perf_counter() >= deadline:
                break
            began = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                with lock:
                    if response.status == 200:
                        out.append(time.perf_counter() - began)
                    else:
                        errors[0] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection(load.HOST, port, timeout=30)
            tick += ATTACK_INTERVAL
        conn.close()

    threads = [threading.Thread(target=attack, args=(k,), daemon=True) for k in range(ATTACKERS)]
    for thread in threads:
        thread.start()
    return threads


def _normal(port: int, paths: list[str], args, wrk: str | None, name: str) -> load.LoadResult:
    if wrk:
        return load.run_wrk(wrk, port, name, paths, args.users, args.seconds)
    return load.run_python(port, name, paths, args.users, args.seconds)


def bench_attack(real: KnowledgeBase, content: Path, index: Path, args, work: Path):
    """(the attack runs, {server: {kind: seconds of each request of that kind sent alone}})."""
    wrk = None if args.load_generator == "python" else load.find_wrk(install=not args.no_install)
    normal = [
        f"/api/search?lang={q.lang}&limit=10&q={quote(q.text)}"
        for q in queries.mix(real, args.http_queries, seed=args.seed)
    ]
    modes = [("1 process (waitress)", None)]
    if args.workers > 1:
        modes.append((f"{args.workers} worker processes (gunicorn)", args.workers))
    runs = []
    alone_kinds: dict[str, dict[str, list[float]]] = {}
    for label, workers in modes:
        server = load.Server(content, index, work / "serve.log", workers=workers)
        try:
            server.start()
            server.wait_ready("/api/search?q=CRM&lang=he")
            for path in dict.fromkeys(normal):  # the normal queries answered once: the result cache holds them
                load.get(server.port, path, timeout=30)
            hostile = Hostile(real, args.seed + 1)
            warm: list[float] = []
            for thread in _attackers(server.port, hostile, 2.0, warm, [0]):
                thread.join(timeout=60)
            log(f"HTTP {label}: each hostile kind alone, {args.http_per_kind} requests")
            alone_kinds[label] = {}
            for kind in hostile.kinds():
                for _ in range(args.http_per_kind):
                    lang, text = hostile.make(kind)
                    began = time.perf_counter()
                    load.get(server.port, f"/api/search?lang={lang}&limit=10&q={quote(text)}", timeout=30)
                    alone_kinds[label].setdefault(kind, []).append(time.perf_counter() - began)
            # Rounds alternate the two runs, so a change in the machine's load falls on both.
            for round_ in range(1, args.rounds + 1):
                log(f"HTTP {label}, round {round_}: normal users alone, {args.seconds:.0f} s, {args.users} connections")
                alone = _normal(server.port, normal, args, wrk, "normal users alone")
                log(f"HTTP {label}, round {round_}: normal users with {ATTACKERS} attackers, {args.seconds:.0f} s")
                attacks: list[float] = []
                errors = [0]
                threads = _attackers(server.port, hostile, args.seconds, attacks, errors)
                attacked = _normal(server.port, normal, args, wrk, f"normal users, {ATTACKERS} attackers")
                for thread in threads:
                    thread.join(timeout=60)
                runs.append(AttackRun(label, round_, alone, attacked, attacks, errors[0]))
                log(f"HTTP {label}: p99 {ms(alone.p99)} -> {ms(attacked.p99)} ms; attackers p99 {ms(_p(attacks, 99))}")
        finally:
            server.stop()
    return runs, alone_kinds


# --- report ------------------------------------------------------------------------


def report(kinds: list[KindResult], attacks: list[AttackRun], alone: dict, args, where: str) -> str:
    out = ["## Hostile queries", "", where, ""]
    if kinds:
        normal = kinds[0]
        out += [
            f"In-process over the real content: each hostile kind alone, up to {args.per_kind} fresh queries "
            "(new random words each time, so no cache answers), after a warm-up; CPU is the search's own "
            "thread time; ratios against the normal query mix's p50 CPU, measured in the same run.",
            "",
            table(
                [
                    "kind",
                    "lang",
                    "queries",
                    "CPU p50 ms",
                    "CPU p99 ms",
                    "CPU max ms",
                    "wall p99 ms",
                    "p99 vs normal p50",
                    "articles found (mean)",
                    "what",
                ],
                [
                    [
                        k.kind,
                        k.lang,
                        str(len(k.cpu)),
                        ms(_p(k.cpu, 50)),
                        ms(_p(k.cpu, 99)),
                        ms(max(k.cpu)),
                        ms(_p(k.wall, 99)),
                        ratio(_p(k.cpu, 99), _p(normal.cpu, 50)),
                        f"{sum(k.found) / len(k.found):.1f}",
                        k.about,
                    ]
                    for k in kinds
                    if k.cpu
                ],
                ["l", "l"] + ["r"] * 7 + ["l"],
            ),
            "",
        ]
        worst = max((k for k in kinds[1:] if k.cpu), key=lambda k: max(k.cpu), default=None)
        if worst:
            out += [f"Most costly hostile query: {worst.kind}, {ms(max(worst.cpu))} ms of CPU.", ""]
    if alone:
        servers = list(alone)
        out += [
            f"Over HTTP, each hostile kind alone ({args.http_per_kind} requests, one at a time, one connection), "
            "milliseconds from request to answer:",
            "",
            table(
                ["kind"] + [f"{server} {what}" for server in servers for what in ("p50", "max")],
                [
                    [kind] + [ms(f(alone[server][kind])) for server in servers for f in (lambda v: _p(v, 50), max)]
                    for kind in alone[servers[0]]
                ],
            ),
            "",
        ]
    if attacks:
        generator = attacks[0].normal_alone.generator
        out += [
            f"`kb serve` over the real content on 127.0.0.1: normal users ({args.users} connections from "
            f"{generator}, the normal query mix cycled, answered from the result cache) for {args.seconds:.0f} s "
            f"alone, then for {args.seconds:.0f} s beside {ATTACKERS} attacker connections, each sending a fresh "
            f"hostile query (the kinds above in turn) every {ATTACK_INTERVAL:.0f} s; the two alternate, "
            f"{args.rounds} rounds per server:",
            "",
            table(
                [
                    "server",
                    "round",
                    "normal req/s alone",
                    "under attack",
                    "normal p50 ms alone",
                    "under attack",
                    "normal p99 ms alone",
                    "under attack",
                    "p99 ratio",
                    "normal errors",
                    "attacker requests",
                    "attacker p50 ms",
                    "attacker p99 ms",
                    "attacker max ms",
                    "attacker errors",
                ],
                [
                    [
                        r.server,
                        str(r.round),
                        f"{r.normal_alone.rps:,.0f}",
                        f"{r.normal_attacked.rps:,.0f}",
                        ms(r.normal_alone.p50),
                        ms(r.normal_attacked.p50),
                        ms(r.normal_alone.p99),
                        ms(r.normal_attacked.p99),
                        ratio(r.normal_attacked.p99, r.normal_alone.p99),
                        str(r.normal_alone.errors + r.normal_attacked.errors),
                        str(len(r.attacks)),
                        ms(_p(r.attacks, 50)),
                        ms(_p(r.attacks, 99)),
                        ms(max(r.attacks, default=0.0)),
                        str(r.attack_errors),
                    ]
                    for r in attacks
                ],
            ),
            "",
        ]
    return "\n".join(out)


def environment() -> str:
    def git(*command: str) -> str:
        try:
            done = subprocess.run(["git", *command], cwd=REPO, capture_output=True, text=True, timeout=10)
            return done.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return (
        f"Code at commit {git('rev-parse', '--short', 'HEAD')}{dirty}; {os.cpu_count()} cores; "
        f"{time.strftime('%Y-%m-%d %H:%M')}."
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of this part (shared with ``bench.run``)."""
    group = parser.add_argument_group("hostile queries")
    group.add_argument("--per-kind", type=int, default=30, help="fresh queries per hostile kind, in-process")
    group.add_argument("--kind-budget", type=float, default=20.0, help="seconds at most per hostile kind")
    group.add_argument("--attack-seconds", dest="seconds", type=float, default=10.0, help="seconds per HTTP run")
    group.add_argument("--users", type=int, default=4, help="connections of normal users")
    group.add_argument("--rounds", type=int, default=2, help="HTTP rounds (alone, then attacked) per server")
    group.add_argument("--http-per-kind", type=int, default=5, help="requests of each hostile kind alone, over HTTP")


def run(real: KnowledgeBase, args, work: Path) -> str:
    """Both parts (the HTTP one unless ``args.skip_http``); the Markdown report."""
    where = environment()  # before the run: the code measured is the code imported now
    content = Path(args.content).resolve()
    index = work / "hostile-index"
    search_index.build(real, index, content)
    kinds = bench_inprocess(real, content, index, args)
    attacks, alone = ([], {}) if args.skip_http else bench_attack(real, content, index, args, work)
    return report(kinds, attacks, alone, args, where)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="also with N workers (1: skip)")
    parser.add_argument("--http-queries", type=int, default=200, help="normal queries cycled")
    parser.add_argument("--skip-http", action="store_true", help="only the in-process part")
    parser.add_argument("--load-generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-install", action="store_true", help="do not apt-get install wrk when it is missing")
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kb-hostile-"))
    try:
        text = run(load_strict(args.content), args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
