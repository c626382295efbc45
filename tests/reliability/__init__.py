"""Reliability and security tests: hostile requests, property tests, damaged content."""
