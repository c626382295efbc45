"""What the benchmark's parts share: the repository, its targets, the results of a run, progress lines."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import load

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (1000, 10_000)
SEARCH_REPEATED = "/api/search, repeated queries"
SEARCH_DISTINCT = "/api/search, every request distinct"
SINGLE_PROCESS = "1 process (waitress)"
#: The goals of the optimisation work (informational: never asserted).
TARGETS = {
    "p50_ms": 10.0,
    "p99_ms": 60.0,
    "build_s": 60.0,
    "incremental_s": 1.0,
    "http_p99_ms": 25.0,
    "http_share": 0.5,
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class SizeResult:
    size: int
    per_language: dict[str, int]
    distinct: dict[str, int]
    generate_s: float
    build_s: float
    index_bytes: int
    fts_build_s: float
    fts_bytes: int
    incremental_s: list[float]
    incremental_bytes: int
    fts_incremental_s: list[float]
    ours: dict[str, list[float]] = field(default_factory=dict)  # kind -> latencies
    theirs: dict[str, list[float]] = field(default_factory=dict)
    hits_ours: dict[str, list[int]] = field(default_factory=dict)
    hits_theirs: dict[str, list[int]] = field(default_factory=dict)
    planned: int = 0
    errors: int = 0
    rss: int = 0

    def all(self, which: str) -> list[float]:
        return [x for values in getattr(self, which).values() for x in values]


@dataclass
class HttpResult:
    cold_start_s: float
    warm_start_s: float
    rss_idle: int
    hwm_idle: int
    hwm_peak: int
    rss_end: int
    runs: list[load.LoadResult]
    generator: str
    threads: int
    queue_warnings: int
