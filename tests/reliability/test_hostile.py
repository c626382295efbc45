"""Hostile requests against the site and the JSON API (Flask test client).

For every request: the status is 200 or 4xx (never 5xx); a 4xx under
``/api/`` is JSON ``{"error": ...}``; an HTML error page is in the
visitor's language; no script/HTML payload comes back unescaped in an HTML
page; and a single request completes within one second (a bound on one
hostile request, not a benchmark: it catches unbounded work).
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote, urlsplit

import pytest

#: One hostile request must finish within this many seconds.
BOUND = 1.0
LANGS = ("he", "ar", "en")
PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
RAW_MARKERS = ("<script>alert(1)</script>", "onerror=alert(1)>")

NOT_FOUND = {"he": "הדף לא נמצא", "ar": "الصفحة غير موجودة", "en": "Page not found"}
NOT_ALLOWED = {"he": "הפעולה אינה מותרת", "ar": "هذا الإجراء غير مسموح به", "en": "This action is not allowed"}
BAD_REQUEST = {"he": "בקשה שגויה", "ar": "طلب غير صالح", "en": "Bad request"}

HE_LETTERS = "אבגדהוזחטיכלמנסעפצקרשת"
AR_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
EN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _word(n: int, alphabet: str, length: int = 4) -> str:
    """A distinct word for each ``n`` (``n`` written in base len(alphabet), padded)."""
    out = []
    for _ in range(length):
        n, r = divmod(n, len(alphabet))
        out.append(alphabet[r])
    return "".join(out)


def _distinct_words(count: int) -> str:
    alphabets = (HE_LETTERS, AR_LETTERS, EN_LETTERS)
    return " ".join(_word(i, alphabets[i % 3]) for i in range(count))


def _fit(text: str, limit: int = 1000) -> str:
    """The longest prefix of ``text`` ending at a word boundary within ``limit`` characters."""
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit + 1)]


#: Query texts made of query syntax, sizes and characters that break naive parsers.
HOSTILE_TEXTS = {
    "boolean": "AND OR NOT (",
    "field-group": "title:(",
    "star": "*",
    "question": "?",
    "fuzzy": "data~",
    "boost": "data^5",
    "range": "[a TO",
    "range-closed": "[a TO z]",
    "unbalanced-quote": '"unbalanced',
    "odd-quotes": '"a" "b',
    "only-quotes": '"""""',
    "acronym-quote": 'מנכ"ל "',
    "syntax-soup": 'title:(CRM AND "נתונים OR *ا?~ ^5 [a TO {z} \\ / : !',
    "empty": "",
    "whitespace": " \t\n\r ",
    "nul": "a\x00b",
    "bidi-overrides": "\u202edata\u202c \u2066נתונים\u2069 \u202bالبيانات\u202c",
    "zero-width": "נת\u200bונים\u200d \ufeffda\u200cta \u2060",
    "emoji": "😀 👩‍💻 🏳️‍🌈 CRM 🇮🇱 🇸🇦",
    "combining-only": "\u05b0\u05b1\u0651\u0301\u0591",
    "replacement-char": "\ufffd\ufffd",
    "script": PAYLOADS[0],
    "img-onerror": PAYLOADS[1],
    "20000-chars": ("נתונים data البيانات " * 1000)[:20_000],
    "500-distinct-words": _distinct_words(500),
    # The longest query the API accepts (1000 characters), as many distinct words as fit.
    "max-many-words": _fit(_distinct_words(500)),
}
assert len(HOSTILE_TEXTS["max-many-words"]) <= 1000

#: The longest queries accepted (1000 characters) as one single word: the work must stay bounded
#: (one case per script; each is slow while the bug is there, so they are not crossed with every language).
LONG_WORDS = [
    ("hebrew-word", "he", "ו" + HE_LETTERS * 45 + "אבגדהוזחט"),
    ("arabic-word", "ar", (AR_LETTERS * 40)[:1000]),
    ("hebrew-acronym", "he", 'א"' * 500),
]
assert all(len(w) == 1000 for _, _, w in LONG_WORDS)


@pytest.fixture(scope="module", autouse=True)
def _warm(app):
    """Open the searchers and catalogs once, so the first timed request is not a cold start."""
    client = app.test_client()
    for lang in LANGS:
        client.get("/api/search", query_string={"q": "data", "lang": lang})
        client.get(f"/{lang}/search", query_string={"q": "data"})


def _timed(client, method: str, url: str, **kwargs):
    started = time.perf_counter()
    response = client.open(url, method=method, **kwargs)
    elapsed = time.perf_counter() - started
    return response, elapsed


def _html_lang(body: str) -> str | None:
    found = re.search(r'<html[^>]*\blang="?([^"\s>]+)', body)
    return found.group(1) if found else None


def _check(response, elapsed: float, path: str, page_lang: str | None = None, redirect_ok: bool = False) -> str:
    """The common assertions; returns the body.

    ``redirect_ok``: a redirect is expected here (``/`` picks a language; ``//`` is merged by the router);
    it must stay on this site.
    """
    body = response.get_data(as_text=True)
    status = response.status_code
    assert status < 500, f"{status} for {path!r}: {body[:300]!r}"
    if redirect_ok and 300 <= status < 400:
        location = urlsplit(response.headers.get("Location", ""))
        assert location.netloc in ("", "localhost") and location.path.startswith("/"), f"redirect to {location!r}"
    else:
        assert status == 200 or 400 <= status < 500, f"{status} for {path!r}"
    if path.startswith("/api/") and status >= 400:
        assert response.is_json, f"{status} from the API is not JSON: {response.content_type} {body[:200]!r}"
        data = response.get_json()
        assert isinstance(data, dict) and isinstance(data.get("error"), str) and data["error"], data
    if response.mimetype == "text/html":
        for marker in RAW_MARKERS:
            assert marker not in body, f"raw payload {marker!r} in the HTML of {path!r}"
        if page_lang is not None:
            assert _html_lang(body) == page_lang, f"<html lang> is {_html_lang(body)!r}, not {page_lang!r}"
    assert elapsed < BOUND, f"{path!r} took {elapsed:.2f}s (bound {BOUND}s)"
    return body


# ---------------------------------------------------------------------------
# Query texts made of syntax, odd characters and extreme sizes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_api_search_survives_hostile_queries(client, name, lang):
    q = HOSTILE_TEXTS[name]
    response, elapsed = _timed(client, "GET", "/api/search", query_string={"q": q, "lang": lang, "limit": "50"})
    _check(response, elapsed, "/api/search")
    assert response.status_code in (200, 400)
    data = response.get_json()
    if response.status_code == 200:
        assert isinstance(data["results"], list) and isinstance(data["total"], int)
        for hit in data["results"]:
            for marker in RAW_MARKERS:
                assert marker not in hit["snippet"] and marker not in hit["title"]
    if len(q) > 1000 or "\x00" in q:
        assert response.status_code == 400


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_api_analyze_survives_hostile_text(client, name, lang):
    text = HOSTILE_TEXTS[name]
    response, elapsed = _timed(client, "GET", "/api/analyze", query_string={"text": text, "lang": lang})
    _check(response, elapsed, "/api/analyze")
    if response.status_code == 200:
        for token in response.get_json()["tokens"]:
            assert 0 <= token["start"] < token["end"] <= len(text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_site_search_survives_hostile_queries(client, name, lang):
    q = HOSTILE_TEXTS[name]
    response, elapsed = _timed(client, "GET", f"/{lang}/search", query_string={"q": q})
    body = _check(response, elapsed, f"/{lang}/search", page_lang=lang)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert BAD_REQUEST[lang] in body


@pytest.mark.parametrize(("name", "lang", "word"), LONG_WORDS, ids=[w[0] for w in LONG_WORDS])
def test_api_search_longest_single_word_is_bounded(client, name, lang, word):
    response, elapsed = _timed(client, "GET", "/api/search", query_string={"q": word, "lang": lang})
    _check(response, elapsed, "/api/search")
    assert response.status_code == 200


def test_site_search_longest_single_word_is_bounded(client):
    _, lang, word = LONG_WORDS[0]
    response, elapsed = _timed(client, "GET", f"/{lang}/search", query_string={"q": word})
    _check(response, elapsed, f"/{lang}/search", page_lang=lang)
    assert response.status_code == 200


# ---------------------------------------------------------------------------
# Script/HTML payloads in every parameter of every endpoint
# ---------------------------------------------------------------------------

VALID_API_SEARCH = {"q": "data", "lang": "en", "limit": "5", "category": "data"}
VALID_API_ANALYZE = {"text": "data", "lang": "en"}


def _payload_requests():
    """(label, path, query args, expected page language or None) with a payload in one place."""
    for p_index, payload in enumerate(PAYLOADS):
        quoted = quote(payload, safe="")
        for name in VALID_API_SEARCH:
            yield f"api-search-{name}-{p_index}", "/api/search", {**VALID_API_SEARCH, name: payload}, None
        for name in VALID_API_ANALYZE:
            yield f"api-analyze-{name}-{p_index}", "/api/analyze", {**VALID_API_ANALYZE, name: payload}, None
        for lang in LANGS:
            yield f"site-search-q-{lang}-{p_index}", f"/{lang}/search", {"q": payload}, lang
            yield f"site-search-category-{lang}-{p_index}", f"/{lang}/search", {"q": "data", "category": payload}, lang
            yield f"article-id-{lang}-{p_index}", f"/{lang}/{quoted}", {}, lang
            yield f"article-path-arg-{lang}-{p_index}", f"/{lang}/goals", {"path": payload}, lang
            yield f"category-id-{lang}-{p_index}", f"/{lang}/categories/{quoted}", {}, lang
            yield f"path-id-{lang}-{p_index}", f"/{lang}/paths/{quoted}", {}, lang
            yield f"path-print-id-{lang}-{p_index}", f"/{lang}/paths/{quoted}/print", {}, lang
            yield f"unknown-arg-{lang}-{p_index}", f"/{lang}/", {"x": payload}, lang
        yield f"lang-segment-{p_index}", f"/{quoted}/", {}, None
        yield f"lang-segment-article-{p_index}", f"/{quoted}/goals", {}, None


PAYLOAD_REQUESTS = list(_payload_requests())


@pytest.mark.parametrize(("label", "path", "args", "page_lang"), PAYLOAD_REQUESTS, ids=[r[0] for r in PAYLOAD_REQUESTS])
def test_payload_in_every_parameter(client, label, path, args, page_lang):
    response, elapsed = _timed(client, "GET", path, query_string=args)
    _check(response, elapsed, path, page_lang)
    if response.status_code == 404 and page_lang:
        assert NOT_FOUND[page_lang] in response.get_data(as_text=True)


API_PAYLOAD_REQUESTS = [r for r in PAYLOAD_REQUESTS if r[1].startswith("/api/")]


@pytest.mark.parametrize(
    ("label", "path", "args", "page_lang"), API_PAYLOAD_REQUESTS, ids=[r[0] for r in API_PAYLOAD_REQUESTS]
)
def test_api_json_never_carries_raw_markup(client, label, path, args, page_lang):
    """Defence in depth: JSON bodies escape ``<`` and ``>`` (``\\u003c``), so a payload is never raw in any body."""
    response, _ = _timed(client, "GET", path, query_string=args)
    body = response.get_data(as_text=True)
    for marker in RAW_MARKERS:
        assert marker not in body, f"{response.status_code} {path} echoes {marker!r} raw: {body[:200]}"


# ---------------------------------------------------------------------------
# Bad lang / limit / category values
# ---------------------------------------------------------------------------

BAD_LANGS = ["", "HE", "he ", " he", "fr", "he\x00", "../he", "he,ar", "x" * 10_000, "עב", "ع"]
BAD_LIMITS = [
    "",
    "0",
    "-1",
    "51",
    "1e3",
    "1.5",
    "ten",
    "0x10",
    "9" * 5000,
    "5\x00",
    "NaN",
    "inf",
    "-0",
    "٥",
    " 7 ",
    "+3",
    "1_0",
    "²",
]
BAD_CATEGORIES = ["nope", " ", "STRATEGY", "strategy\x00", "../data", "x" * 10_000, "data ", "__proto__", "%00"]


@pytest.mark.parametrize("value", BAD_LANGS, ids=range(len(BAD_LANGS)))
@pytest.mark.parametrize("path", ["/api/search", "/api/analyze"])
def test_api_bad_lang(client, path, value):
    args = {"q": "data", "text": "data", "lang": value}
    response, elapsed = _timed(client, "GET", path, query_string=args)
    _check(response, elapsed, path)
    assert response.status_code == 400


@pytest.mark.parametrize("value", BAD_LIMITS, ids=range(len(BAD_LIMITS)))
def test_api_bad_limit(client, value):
    response, elapsed = _timed(client, "GET", "/api/search", query_string={"q": "data", "lang": "en", "limit": value})
    _check(response, elapsed, "/api/search")
    if response.status_code == 200:
        assert 1 <= len(response.get_json()["results"]) <= 50


@pytest.mark.parametrize("value", BAD_CATEGORIES, ids=range(len(BAD_CATEGORIES)))
def test_api_bad_category(client, value):
    response, elapsed = _timed(
        client, "GET", "/api/search", query_string={"q": "data", "lang": "en", "category": value}
    )
    _check(response, elapsed, "/api/search")
    if value.strip():
        assert response.status_code == 400


@pytest.mark.parametrize("value", BAD_CATEGORIES, ids=range(len(BAD_CATEGORIES)))
@pytest.mark.parametrize("lang", LANGS)
def test_site_search_bad_category(client, lang, value):
    response, elapsed = _timed(client, "GET", f"/{lang}/search", query_string={"q": "data", "category": value})
    body = _check(response, elapsed, f"/{lang}/search", page_lang=lang)
    if response.status_code == 400:
        assert BAD_REQUEST[lang] in body


# ---------------------------------------------------------------------------
# Raw (undecodable) query strings: invalid UTF-8, lone surrogates, NUL
# ---------------------------------------------------------------------------

RAW_VALUES = [
    "%ED%A0%80",
    "%FF%FE",
    "%C0%AF",
    "%E2%80%AE",
    "%00",
    "a%00b",
    "%",
    "%zz",
    "%F0%9F%98",
    "%ED%B2%A9%ED%A0%80",
]


def _raw_requests():
    for index, raw in enumerate(RAW_VALUES):
        yield f"api-search-q-{index}", "/api/search", f"q={raw}&lang=he"
        yield f"api-search-lang-{index}", "/api/search", f"q=data&lang={raw}"
        yield f"api-search-limit-{index}", "/api/search", f"q=data&lang=he&limit={raw}"
        yield f"api-search-category-{index}", "/api/search", f"q=data&lang=he&category={raw}"
        yield f"api-analyze-text-{index}", "/api/analyze", f"text={raw}&lang=ar"
        yield f"api-analyze-lang-{index}", "/api/analyze", f"text=data&lang={raw}"
        for lang in LANGS:
            yield f"site-search-q-{lang}-{index}", f"/{lang}/search", f"q={raw}"
            yield f"site-search-category-{lang}-{index}", f"/{lang}/search", f"q=data&category={raw}"
            yield f"article-path-arg-{lang}-{index}", f"/{lang}/data", f"path={raw}"
    yield "repeated-q", "/api/search", "q=a&q=b&lang=he&lang=ar"
    yield "semicolon", "/api/search", "q=data;lang=he"
    yield "no-values", "/api/search", "q&lang"
    yield "array-style", "/api/search", "q[]=data&lang[]=he"


RAW_REQUESTS = list(_raw_requests())


@pytest.mark.parametrize(("label", "path", "raw"), RAW_REQUESTS, ids=[r[0] for r in RAW_REQUESTS])
def test_raw_query_strings(client, label, path, raw):
    response, elapsed = _timed(client, "GET", path, query_string=raw)
    lang = path.split("/")[1] if path.split("/")[1] in LANGS else None
    _check(response, elapsed, path, page_lang=lang)


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%C0%AF", "%00", "%E2%80%AE"])
@pytest.mark.parametrize("lang", LANGS)
def test_undecodable_path_segments(client, lang, raw):
    for path in (f"/{lang}/{raw}", f"/{lang}/categories/{raw}", f"/{lang}/paths/{raw}", f"/{lang}/paths/{raw}/print"):
        response, elapsed = _timed(client, "GET", path)
        body = _check(response, elapsed, path, page_lang=lang)
        assert response.status_code == 404
        assert NOT_FOUND[lang] in body


# ---------------------------------------------------------------------------
# Path traversal, plain and percent-encoded
# ---------------------------------------------------------------------------

TRAVERSALS = [
    "/he/../../etc/passwd",
    "/static/..%2fapp.py",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/%2e%2e/",
    "/he/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/static/..%5capp.py",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/....//....//pyproject.toml",
    "/he/..%2f..%2fpyproject.toml",
    "/ar/categories/..%2f..%2fpyproject.toml",
    "/en/paths/%2e%2e/print",
    "/ar/%2e%2e/",
    "/..%c0%af..%c0%afetc/passwd",
    "/static/%252e%252e/app.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_refused(client, path):
    response, elapsed = _timed(client, "GET", path)
    first = path.strip("/").split("/", 1)[0]
    lang = first if first in LANGS else "he"  # no cookie, no Accept-Language: Hebrew
    _check(response, elapsed, path, redirect_ok=True)
    if response.status_code in (301, 308):  # the router merges "//": follow it once
        response, elapsed = _timed(client, "GET", response.headers["Location"])
    body = _check(response, elapsed, path)
    assert response.status_code in (400, 404), f"{response.status_code} for {path}"
    assert "[project]" not in body and "root:" not in body and "def create_app" not in body
    assert _html_lang(body) == lang
    assert NOT_FOUND[lang] in body or BAD_REQUEST[lang] in body


@pytest.mark.parametrize("path", ["/static/..%2fapp.py", "/%2e%2e/", "/nope/deeper"])
@pytest.mark.parametrize(("headers", "lang"), [({"Accept-Language": "ar"}, "ar"), ({"Cookie": "lang=en"}, "en")])
def test_error_page_outside_a_language_follows_the_visitor(app, path, headers, lang):
    client = app.test_client(use_cookies=False)  # with a cookie jar, the test client drops a Cookie header
    response, elapsed = _timed(client, "GET", path, headers=headers)
    body = _check(response, elapsed, path, page_lang=lang)
    assert response.status_code == 404 and NOT_FOUND[lang] in body


HOSTILE_HEADERS = [
    {"Accept-Language": PAYLOADS[1]},
    {"Accept-Language": "*;q=abc, ,,;;, he;q=2, ar;q=-1"},
    {"Accept-Language": "x" * 8000},
    {"Cookie": "lang=" + quote(PAYLOADS[0])},
    {"Cookie": 'lang="\\"\\x00'},
    {"Cookie": "lang=he; lang=ar; lang=xx"},
]


@pytest.mark.parametrize("headers", HOSTILE_HEADERS, ids=range(len(HOSTILE_HEADERS)))
@pytest.mark.parametrize("path", ["/", "/nope", "/he/", "/api/search?q=data&lang=he"])
def test_hostile_language_headers(app, path, headers):
    client = app.test_client(use_cookies=False)  # with a cookie jar, the test client drops a Cookie header
    response, elapsed = _timed(client, "GET", path, headers=headers)
    body = _check(response, elapsed, path.split("?")[0], redirect_ok=path == "/")
    if path == "/":
        assert response.status_code == 302
        assert response.headers["Location"] in ("/he/", "/ar/", "/en/")
    if response.mimetype == "text/html":
        assert _html_lang(body) in LANGS


# ---------------------------------------------------------------------------
# Query arguments named like the route's own values (url_for keywords)
# ---------------------------------------------------------------------------

PAGES = ["/he/", "/ar/goals", "/en/paths/basics/print", "/he/search?q=data"]
RESERVED_ARGS = [
    "lang",
    "article_id",
    "category_id",
    "path_id",
    "endpoint",
    "values",
    "_method",
    "_external",
    "_anchor",
    "_scheme",
]


@pytest.mark.parametrize("name", RESERVED_ARGS)
@pytest.mark.parametrize("page", PAGES)
def test_query_args_named_like_route_values(client, page, name):
    """A visitor's ``?lang=`` or ``?_external=`` must not break the page or rewrite its language links."""
    sep = "&" if "?" in page else "?"
    value = {"_scheme": "javascript", "_anchor": PAYLOADS[1]}.get(name, "ar")
    path = page.split("?")[0]
    lang = path.strip("/").split("/")[0]
    response, elapsed = _timed(
        client, "GET", f"{page}{sep}{quote(name)}={quote(value)}", headers={"Host": "evil.example"}
    )
    body = _check(response, elapsed, path, page_lang=lang)
    assert response.status_code == 200, f"{response.status_code} for {page}{sep}{name}={value}"
    alternates = re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]*)"', body)
    assert len(alternates) == 3
    for other, href in alternates:
        # Absolute, on the address the request came to when KB_BASE_URL is not set (a public site sets it).
        parts = urlsplit(href)
        assert parts.scheme == "http" and parts.path.startswith(f"/{other}/"), f"hreflang {other} link is {href!r}"
        assert "#" not in href and "javascript" not in href


# ---------------------------------------------------------------------------
# Unknown methods
# ---------------------------------------------------------------------------

METHODS = ["PUT", "DELETE", "PATCH", "TRACE", "POST", "PROPFIND"]
METHOD_PAGES = [
    "/",
    "/he/",
    "/ar/goals",
    "/en/search?q=data",
    "/he/categories/strategy",
    "/ar/paths/basics",
    "/en/paths/basics/print",
    "/static/site.css",
    "/he/no-such-article",
]
METHOD_API = ["/api/search?q=data&lang=he", "/api/analyze?text=data&lang=ar", "/api/nope"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("page", METHOD_PAGES)
def test_unknown_methods_on_pages(client, page, method):
    response, elapsed = _timed(client, method, page)
    path = page.split("?")[0]
    first = path.strip("/").split("/")[0]
    lang = first if first in LANGS else "he"
    body = _check(response, elapsed, path, page_lang=lang)
    assert response.status_code in (404, 405)
    if response.status_code == 405:
        assert NOT_ALLOWED[lang] in body
    else:
        assert NOT_FOUND[lang] in body


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("page", METHOD_API)
def test_unknown_methods_on_the_api(client, page, method):
    response, elapsed = _timed(client, method, page)
    _check(response, elapsed, page.split("?")[0])
    assert response.status_code in (404, 405)


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS"])
@pytest.mark.parametrize("page", ["/he/", "/ar/goals", "/api/search?q=data&lang=he"])
def test_safe_methods_answer(client, page, method):
    response, elapsed = _timed(client, method, page)
    _check(response, elapsed, page.split("?")[0])
    assert response.status_code == 200


@pytest.mark.parametrize(
    "page", ["/he/", "/ar/goals", "/static/site.css", "/api/search?q=data&lang=he", "/api/analyze"]
)
def test_405_says_which_methods_are_allowed(client, page):
    """RFC 9110 (15.5.6): a 405 response must carry an ``Allow`` header."""
    response, _ = _timed(client, "PUT", page)
    assert response.status_code == 405
    assert "GET" in response.headers.get("Allow", ""), f"405 without Allow: {dict(response.headers)}"
