"""Hostile connections against a real `kb serve` on 127.0.0.1: can a new visitor still search?

    .venv/bin/python scripts/flood.py [--idle 300] [--slow 100] [--keepalive 100] [--visits 20] [--workers 1 2]

For each serving mode (one process with waitress; N gunicorn workers), starts
`kb serve` over the repository's content (index in a temporary folder) and
times a new visitor's `/api/search` (a fresh connection each time) twice:
first with nothing else connected (the baseline), then while the flood is
held:

- IDLE connections that connect and never send a byte;
- SLOW (slowloris) connections that send a request line, then one header
  line a second, never finishing;
- KEEPALIVE connections that made one complete request and stay open, as
  browsers do.

Connections the server closes are opened again, so the counts stay held for
the whole measurement. Bounded: VISITS visits a mode, each with a 10 s
timeout; the flood is stopped and the server shut down afterwards. Prints a
table and exits 1 if any visit failed or took longer than --max-seconds (2).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = "/api/search?" + urllib.parse.urlencode({"q": "והלקוחות", "lang": "he"})


class Flood:
    """Holds idle, slow and keep-alive connections to a server until :meth:`stop`."""

    def __init__(self, port: int, idle: int, slow: int, keepalive: int) -> None:
        self.port = port
        self.wanted = {"idle": idle, "slow": slow, "keepalive": keepalive}
        self.held: dict[str, list[socket.socket]] = {kind: [] for kind in self.wanted}
        self.reopened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._hold, daemon=True)

    def start(self, settle: float = 1.0) -> Flood:
        self._top_up()
        self._thread.start()
        time.sleep(settle)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for sockets in self.held.values():
            for sock in sockets:
                sock.close()

    def counts(self) -> dict[str, int]:
        return {kind: len(sockets) for kind, sockets in self.held.items()}

    def _connect(self, kind: str) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            if kind == "slow":
                sock.sendall(b"GET /api/search?q=crm&lang=en HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            elif kind == "keepalive":
                sock.sendall(b"GET /static/site.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
                sock.recv(65536)  # the start of the answer; the connection stays open
            sock.setblocking(False)
            return sock
        except OSError:
            return None

    def _top_up(self) -> None:
        for kind, wanted in self.wanted.items():
            while len(self.held[kind]) < wanted and not self._stop.is_set():
                sock = self._connect(kind)
                if sock is None:
                    break
                self.held[kind].append(sock)

    def _alive(self, sock: socket.socket, kind: str, tick: int) -> bool:
        try:
            if kind == "slow":
                sock.send(f"X-Slow-{tick}: 1\r\n".encode())
            data = sock.recv(65536)
            return data != b""  # b"": the server closed it
        except BlockingIOError:
            return True
        except OSError:
            return False

    def _hold(self) -> None:
        tick = 0
        while not self._stop.wait(1.0):
            tick += 1
            for kind, sockets in self.held.items():
                keep = []
                for sock in sockets:
                    if self._alive(sock, kind, tick):
                        keep.append(sock)
                    else:
                        sock.close()
                        self.reopened += 1
                sockets[:] = keep
            self._top_up()


def visit(port: int, timeout: float = 10.0) -> float | None:
    """Seconds a new visitor waits for a search answer (None: no answer within ``timeout``)."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{QUERY}", timeout=timeout) as response:
            response.read()
            return time.monotonic() - start if response.status == 200 else None
    except OSError:
        return None


def visits(port: int, count: int, pause: float = 0.5) -> list[float | None]:
    found = []
    for _ in range(count):
        found.append(visit(port))
        time.sleep(pause)
    return found


def start_server(workers: int, port: int, index_dir: str) -> subprocess.Popen:
    env = {**os.environ, "KB_INDEX_DIR": index_dir, "KB_CONTENT_DIR": str(ROOT / "content")}
    subprocess.run([sys.executable, "-m", "kb.cli", "index"], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "kb.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while visit(port, timeout=2) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"kb serve --workers {workers} did not start")
        time.sleep(0.3)
    return process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _row(mode: str, load: str, times: list[float | None], baseline_p50: float | None, held: str) -> str:
    answered = sorted(t for t in times if t is not None)
    failed = len(times) - len(answered)
    p50 = statistics.median(answered) * 1000 if answered else float("nan")
    worst = answered[-1] * 1000 if answered else float("nan")
    ratio = "1.00×" if baseline_p50 is None else f"{p50 / (baseline_p50 * 1000):.2f}×" if answered else "-"
    return f"| {mode} | {load} | {held} | {len(times)} | {failed} | {p50:.1f} | {worst:.1f} | {ratio} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle", type=int, default=300)
    parser.add_argument("--slow", type=int, default=100)
    parser.add_argument("--keepalive", type=int, default=100)
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--max-seconds", type=float, default=2.0)
    args = parser.parse_args()
    rows, bad = [], False
    for workers in args.workers:
        mode = "1 process (waitress)" if workers == 1 else f"{workers} workers (gunicorn)"
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            server = start_server(workers, port, tmp)
            try:
                quiet = visits(port, args.visits)
                base = statistics.median([t for t in quiet if t is not None] or [0]) or None
                rows.append(_row(mode, "none (baseline)", quiet, None, "0 / 0 / 0"))
                flood = Flood(port, args.idle, args.slow, args.keepalive).start()
                try:
                    loud = visits(port, args.visits)
                    held = "{idle} / {slow} / {keepalive}".format(**flood.counts())
                finally:
                    flood.stop()
                rows.append(_row(mode, "flood", loud, base, held))
                bad |= any(t is None or t > args.max_seconds for t in loud + quiet)
                bad |= server.poll() is not None
            finally:
                os.killpg(server.pid, 15)
                server.wait(timeout=20)
    print("| server | connections held | idle / slow / keep-alive held at the end | visits | failed | p50 ms | max ms | p50 vs baseline |")  # noqa: E501
    print("|---|---|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(f"every visit answered within {args.max_seconds} s: {'no' if bad else 'yes'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
