"""Performance benchmarks: synthetic corpora, index build, query latency, HTTP load.

Run with ``.venv/bin/python -m bench.run``; outside the default test run.
"""
