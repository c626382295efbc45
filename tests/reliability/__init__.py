"""Reliability and security tests: hostile requests, property tests, damaged content."""

from hypothesis import HealthCheck, settings

#: Hypothesis settings for property tests that use function-scoped fixtures: reproducible, no example database.
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
