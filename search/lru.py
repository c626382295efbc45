"""A bounded, thread-safe mapping that lets the least recently used entries go first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LRU:
    """At most ``limit`` worth of entries, each weighing ``weight(value)`` (1 unless given).

    The last entry in is always kept, however heavy. Values are shared
    between threads as they are: callers store what they will not change.
    """

    def __init__(self, limit: int, weight: Callable[[Any], int] | None = None) -> None:
        self.limit = limit
        self._weight = weight or (lambda value: 1)
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, default=None):
        with self._lock:
            found = self._entries.get(key, _MISSING)
            if found is _MISSING:
                return default
            self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            if key in self._entries:
                self._held -= self._weight(self._entries.pop(key))
            self._entries[key] = value
            self._held += self._weight(value)
            while self._held > self.limit and len(self._entries) > 1:
                _, gone = self._entries.popitem(last=False)
                self._held -= self._weight(gone)

    def pop(self, key: Hashable, default=None):
        with self._lock:
            found = self._entries.pop(key, _MISSING)
            if found is _MISSING:
                return default
            self._held -= self._weight(found)
            return found

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]):
        """The value under ``key``, computed (outside the lock) and kept when missing."""
        found = self.get(key, _MISSING)
        if found is _MISSING:
            found = compute()
            self.put(key, found)
        return found

    def keys(self) -> list:
        """The keys held, least recently used first (a copy)."""
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def held(self) -> int:
        """The total weight of the entries kept."""
        return self._held


_MISSING = object()
