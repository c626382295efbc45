"""Real servers under hostile connections and malformed requests, in both serving modes.

The flood (idle, slowloris and keep-alive connections) is the one of
``scripts/flood.py``, which also measures the visitors' waiting times; here
the assertions are on behaviour: every new visitor is answered (a generous
timeout stands for "locked out"), bodies are refused before they are read,
the servers' own errors carry the security headers.
"""

from __future__ import annotations

import json
import socket
import urllib.parse

import pytest

from scripts.flood import Flood, visit
from web.headers import SECURITY_HEADERS

MODES = [1, 2]


@pytest.fixture(params=MODES, ids=["waitress", "gunicorn"], scope="module")
def site(request, tmp_path_factory):
    from .conftest import Site

    site = Site(tmp_path_factory.mktemp("site"), request.param)
    yield site
    site.stop()


def raw(port: int, data: bytes, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """Send ``data`` on a new connection; the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                head, _, body = answer.partition(b"\r\n\r\n")
                length = [int(v) for k, v in _headers(head).items() if k == "content-length"]
                if length and len(body) >= length[0]:
                    break
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), _headers(head), body


def _headers(head: bytes) -> dict:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def test_a_new_visitor_is_answered_while_idle_slow_and_keepalive_connections_are_held(site):
    flood = Flood(site.port, idle=300, slow=100, keepalive=100).start(settle=2.0)
    try:
        answered = [visit(site.port, timeout=10.0) for _ in range(5)]
        held = flood.counts()
    finally:
        flood.stop()
    assert None not in answered
    assert held == {"idle": 300, "slow": 100, "keepalive": 100}


def test_a_large_body_is_refused_before_it_is_sent(site):
    # Only the headers go out: an answer proves the server did not wait for (or store) 300 MB.
    status, headers, _ = raw(
        site.port, b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 314572800\r\n\r\n", timeout=10
    )
    assert status == 413
    for name in SECURITY_HEADERS:
        assert name.lower() in headers


@pytest.mark.parametrize("lang, letter", [("he", "ש"), ("ar", "س")])
def test_a_query_of_the_longest_allowed_length_works(site, lang, letter):
    query = " ".join([letter * 8] * 120)[:1000]
    assert len(query) == 1000
    status, body = site.search(query, lang=lang)
    assert status == 200 and body["query"] == query


def test_a_request_line_over_the_server_limit_gets_headers_and_no_html(site):
    path = "/api/search?lang=he&q=" + urllib.parse.quote("ש" * 3000)
    status, headers, body = raw(site.port, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert status in (400, 414, 431)
    for name in SECURITY_HEADERS:
        assert name.lower() in headers
    assert b"<html" not in body.lower()


def test_malformed_and_oversized_headers_get_security_headers(site):
    for request in (
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
    ):
        status, headers, _ = raw(site.port, request)
        assert 400 <= status < 500
        for name in SECURITY_HEADERS:
            assert name.lower() in headers


def test_redirects_never_reflect_the_host_header(site):
    status, headers, _ = raw(site.port, b"GET /en HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n")
    assert status in (301, 308)
    assert headers["location"] == "/en/"
    status, headers, _ = raw(site.port, b"GET / HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n")
    assert status == 302 and headers["location"].startswith("/")


def test_a_nul_in_the_site_search_is_a_400(site):
    close = b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    status, _, body = raw(site.port, b"GET /en/search?q=a%00b" + close)
    assert status == 400 and b"cannot be searched for" in body
    status, _, body = raw(site.port, b"GET /api/search?lang=en&q=a%00b" + close)
    assert status == 400 and "NUL" in json.loads(body)["error"]
