"""HTTP load against a ``kb serve`` subprocess on 127.0.0.1: start-up, memory, throughput and latency.

The load generator is ``wrk`` (Debian's package; installed with apt-get when
missing and we are root) with a Lua script that cycles through the request
paths and prints exact figures as JSON; without wrk, a bounded Python
generator (one thread and one keep-alive connection per concurrent
connection, ``http.client``) stands in. Every run is bounded in time; the
server is stopped by its own pid.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .stats import percentile

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[1]


@dataclass
class LoadResult:
    """One load run: requests answered, errors and latency percentiles (seconds)."""

    name: str
    generator: str
    connections: int
    duration: float
    requests: int
    non_2xx: int
    socket_errors: int
    p50: float
    p99: float
    mean: float
    max: float
    notes: list[str] = field(default_factory=list)
    server: str = ""  # how the server ran (processes)

    @property
    def rps(self) -> float:
        return self.requests / self.duration if self.duration else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def read_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in bytes, from /proc/<pid>/status."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def get(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """``kb serve`` in a subprocess, over a content tree, with its own index folder."""

    def __init__(
        self, content: Path, index: Path, log: Path, threads: int | None = None, workers: int | None = None
    ) -> None:
        self.content, self.index, self.log_path = Path(content), Path(index), Path(log)
        self.port = free_port()
        self.threads = threads
        self.workers = workers
        self.proc: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self) -> None:
        env = dict(os.environ, KB_AUTO_INDEX="true", PYTHONUNBUFFERED="1")
        if self.threads:
            env["KB_THREADS"] = str(self.threads)
        if self.workers:
            env["KB_WORKERS"] = str(self.workers)
        kb = Path(sys.executable).with_name("kb")
        command = [str(kb)] if kb.exists() else [sys.executable, "-m", "kb.cli"]
        command += ["serve", "--host", HOST, "--port", str(self.port)]
        command += ["--content", str(self.content), "--index", str(self.index)]
        self._log = open(self.log_path, "ab")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, path: str, limit: float = 180.0) -> float:
        """Seconds from start to the first 200 on ``path`` (polled every 20 ms)."""
        deadline = self.started_at + limit
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kb serve exited with {self.proc.returncode}; see {self.log_path}")
            try:
                status, _ = get(self.port, path, timeout=2.0)
                if status == 200:
                    return time.perf_counter() - self.started_at
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"kb serve did not answer {path} within {limit:.0f} s; see {self.log_path}")

    def memory(self) -> dict[str, int]:
        return read_status(self.proc.pid) if self.proc else {}

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()


def find_wrk(install: bool) -> str | None:
    """wrk's path; with ``install`` and root, try ``apt-get install -y wrk`` first (bounded in time)."""
    found = shutil.which("wrk")
    if found or not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install_wrk = ["apt-get", "install", "-y", "-q", "wrk"]
    for command in (install_wrk, ["apt-get", "update", "-q"], install_wrk):
        if shutil.which("wrk"):
            break
        try:
            subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
        except subprocess.TimeoutExpired:
            break
    return shutil.which("wrk")


_LUA = r"""
local paths = {%(paths)s}
local unique = %(unique)s
local i = 0
local n = 0
-- A distinct run of '.' and ',' for request n (URL-encoded, after a space): no word for the analyzer.
local function suffix(k)
  local out = "%%20"
  repeat
    out = out .. ((k %% 2 == 0) and "." or "%%2C")
    k = math.floor(k / 2)
  until k == 0
  return out
end
request = function()
  i = i %% #paths + 1
  n = n + 1
  if unique then
    return wrk.format("GET", paths[i] .. suffix(n))
  end
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-JSON {\"requests\": %%d, \"duration_us\": %%d, \"connect\": %%d, \"read\": %%d, \"write\": %%d, "
    .. "\"status\": %%d, \"timeout\": %%d, \"p50\": %%d, \"p99\": %%d, \"mean\": %%f, \"max\": %%d}\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
"""


def unique_suffix(n: int) -> str:
    """A distinct run of '.' and ',' (URL-encoded, after a space) for request ``n``, as the Lua script makes it.

    Appended to an ``/api/search`` ``q`` (the last parameter), it makes every
    request's raw query distinct, so the server's result cache (keyed on the
    raw query) misses, while the analyzer finds no extra word in it: the
    search does the same work as for the bare query.
    """
    out = "%20"
    while True:
        out += "." if n % 2 == 0 else "%2C"
        n //= 2
        if n == 0:
            return out


def _lua_string(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(
    wrk: str,
    port: int,
    name: str,
    paths: list[str],
    connections: int,
    seconds: float,
    unique: bool = False,
    threads: int = 1,
) -> LoadResult:
    """``paths`` cycled by wrk; with ``unique``, each request gets :func:`unique_suffix` (the path must end in q)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as script:
        lua_paths = ", ".join(_lua_string(p) for p in paths)
        script.write(_LUA % {"paths": lua_paths, "unique": "true" if unique else "false"})
    try:
        command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
        command += ["-s", script.name, f"http://{HOST}:{port}"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    finally:
        os.unlink(script.name)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {done.stdout[-500:]} {done.stderr[-500:]}")
    data = json.loads(line.removeprefix("BENCH-JSON "))
    duration = data["duration_us"] / 1e6
    # wrk counts a timed-out request as a socket error and leaves it out of the latencies.
    socket_errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
    return LoadResult(
        name=name,
        generator="wrk",
        connections=connections,
        duration=duration,
        requests=data["requests"],
        non_2xx=data["status"],
        socket_errors=socket_errors,
        p50=data["p50"] / 1e6,
        p99=data["p99"] / 1e6,
        mean=data["mean"] / 1e6,
        max=data["max"] / 1e6,
    )


def run_python(
    port: int, name: str, paths: list[str], connections: int, seconds: float, unique: bool = False
) -> LoadResult:
    """The fallback: ``connections`` threads, each with one keep-alive connection, for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    non_2xx = [0] * connections
    socket_errors = [0] * connections
    start = time.perf_counter()
    deadline = start + seconds

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        i = k * max(1, len(paths) // connections)
        n = k * 10_000_000
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)] + (unique_suffix(n) if unique else "")
            i += 1
            n += 1
            began = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - began
                if 200 <= response.status < 300:
                    latencies[k].append(elapsed)
                else:
                    non_2xx[k] += 1
                if response.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
            except (OSError, http.client.HTTPException):
                socket_errors[k] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
        conn.close()

    workers = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=seconds + 30)
    duration = time.perf_counter() - start
    flat = sorted(x for chunk in latencies for x in chunk)
    return LoadResult(
        name=name,
        generator="python",
        connections=connections,
        duration=duration,
        requests=len(flat) + sum(non_2xx),
        non_2xx=sum(non_2xx),
        socket_errors=sum(socket_errors),
        p50=percentile(flat, 50),
        p99=percentile(flat, 99),
        mean=sum(flat) / len(flat) if flat else 0.0,
        max=flat[-1] if flat else 0.0,
        notes=["Python load generator (wrk unavailable): it shares the GIL and the 2 cores, so rates are a floor"],
    )
