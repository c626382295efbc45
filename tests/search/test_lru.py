"""The bounded mapping behind the search caches."""

from __future__ import annotations

import threading

from search.lru import LRU


def test_the_least_recently_used_go_first():
    cache = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now "b" is the least recently used
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2


def test_entries_weigh_what_they_hold_and_the_newest_always_stays():
    cache = LRU(10, weight=len)
    cache.put("small", "abc")
    cache.put("medium", "abcdef")
    assert cache.held == 9
    cache.put("large", "x" * 8)  # 17 > 10: the older ones go
    assert cache.get("small") is None and cache.get("medium") is None
    cache.put("huge", "x" * 50)  # heavier than the limit on its own: kept, alone
    assert len(cache) == 1 and cache.get("huge") and cache.held == 50
    cache.put("huge", "y")  # replacing an entry counts its new weight only
    assert cache.held == 1


def test_falsy_values_are_kept_and_computed_once():
    cache, calls = LRU(4), []

    def compute():
        calls.append(1)
        return 0

    assert cache.get_or_compute("zero", compute) == 0
    assert cache.get_or_compute("zero", compute) == 0
    assert calls == [1]
    assert cache.get("missing", "default") == "default"
    assert cache.pop("zero") == 0 and cache.pop("zero", "gone") == "gone" and cache.held == 0


def test_threads_share_it_within_its_bound():
    cache = LRU(100)

    def work(n):
        for i in range(2000):
            cache.put((n, i % 300), i)
            cache.get((n, (i * 7) % 300))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 100 and cache.held == 100
