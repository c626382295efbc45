"""Protections for the requests that write: same-origin checks and a per-address rate limit.

No cookie is trusted (the site sets only a language cookie), so a vote
needs no session; what a cross-site page could do is post on a reader's
behalf, and :func:`cross_site` refuses that from the headers browsers send
(``Sec-Fetch-Site``, ``Origin``, else ``Referer``). Scripts without those
headers are not cross-site requests; the rate limit holds them back.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from flask import current_app, request


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def cross_site() -> bool:
    """True when a browser sent this request from another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site in ("cross-site", "same-site"):
        return True
    sent = request.headers.get("Origin") or request.headers.get("Referer")
    if not sent:
        return False
    allowed = {_origin(request.host_url)}
    base = current_app.config.get("KB_BASE_URL")
    if base:
        allowed.add(_origin(base))
    return _origin(sent) not in allowed


class RateLimit:
    """At most ``per_minute`` actions per client address in each minute, counted in memory only."""

    #: Addresses remembered at most; beyond this, addresses from earlier minutes are forgotten.
    MAX_ADDRESSES = 50_000

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        minute = int(time.monotonic() // 60)
        with self._lock:
            if len(self._counts) >= self.MAX_ADDRESSES:
                self._counts = {a: c for a, c in self._counts.items() if c[0] == minute}
                if len(self._counts) >= self.MAX_ADDRESSES:
                    return False
            seen_minute, count = self._counts.get(address, (minute, 0))
            if seen_minute != minute:
                count = 0
            if count >= self.per_minute:
                return False
            self._counts[address] = (minute, count + 1)
            return True


def rate_limited(app=None) -> bool:
    """True when this client address has voted too often this minute."""
    limit: RateLimit = (app or current_app).extensions["rate_limit"]
    return not limit.allow(request.remote_addr or "")
