"""The JSON API: ``/api/search``, ``/api/suggest``, ``/api/analyze`` and ``/api/feedback``.

Bad parameters get a 400 with ``{"error": ...}``; nothing a client sends
can cause a 500.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request

from kb.errors import KBError
from kb.model import LANGUAGES
from search.analysis import analyze
from search.errors import BadQuery
from search.plan import MAX_LIMIT, MAX_QUERY_CHARS
from search.suggest import MAX_SUGGEST_CHARS, MAX_SUGGESTIONS, suggest

from .guard import cross_site, rate_limited
from .recording import InvalidVote, record_search, record_vote, vote_from

bp = Blueprint("api", __name__, url_prefix="/api")


class ApiError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return jsonify(error=exc.message), exc.status


@bp.errorhandler(BadQuery)
def _bad_query(exc: BadQuery):
    return jsonify(error=str(exc)), 400


@bp.errorhandler(KBError)
def _unavailable(exc: KBError):
    """The index or content cannot serve right now (damaged index, ...): say so, and how to fix it."""
    return jsonify(error=str(exc)), 503


def _lang() -> str:
    lang = request.args.get("lang", "")
    if lang not in LANGUAGES:
        raise ApiError(f"'lang' must be one of {', '.join(LANGUAGES)}")
    return lang


def _text(name: str, longest: int = MAX_QUERY_CHARS) -> str:
    value = request.args.get(name)
    if value is None:
        raise ApiError(f"'{name}' is required")
    if len(value) > longest:
        raise ApiError(f"'{name}' is too long ({len(value)} characters; at most {longest})")
    if "\x00" in value:
        raise ApiError(f"'{name}' contains a NUL character")
    return value


@bp.get("/search")
def search():
    query, lang = _text("q"), _lang()
    raw_limit = request.args.get("limit", "10")
    try:
        limit = int(raw_limit)
    except ValueError:
        raise ApiError(f"'limit' must be a whole number from 1 to {MAX_LIMIT}") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(f"'limit' must be a whole number from 1 to {MAX_LIMIT}")
    category = request.args.get("category") or None
    kb = current_app.extensions["library"].kb
    if category is not None and kb.category(category) is None:
        raise ApiError(f"unknown category '{category}'; use one of {', '.join(c.id for c in kb.categories)}")
    results = current_app.extensions["library"].search(query, lang, limit=limit, category=category)
    # Instant search asks on every keystroke: only a completed search (record=true) is recorded.
    recorded = {}
    if request.args.get("record") == "true" and query.strip():
        search_id = record_search(results, category)
        if search_id:
            recorded["search_id"] = search_id
    return jsonify(**recorded, **results.to_json())


@bp.get("/suggest")
def suggestions():
    """Instant search: up to 8 articles for the text typed so far, its last word read as a prefix."""
    query, lang = _text("q", MAX_SUGGEST_CHARS), _lang()
    raw_limit = request.args.get("limit", str(MAX_SUGGESTIONS))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_SUGGESTIONS:
        raise ApiError(f"'limit' must be a whole number from 1 to {MAX_SUGGESTIONS}")
    library = current_app.extensions["library"].open()
    kb = library.kb  # follows a new build first: the content and the index agree
    found = suggest(library.engine, kb, query, lang, int(raw_limit)) if query.strip() else ()
    return jsonify(query=query, lang=lang, results=[s.to_json() for s in found])


@bp.get("/analyze")
def analyze_text():
    text, lang = _text("text"), _lang()
    return jsonify(
        tokens=[{"term": t.term, "start": t.start, "end": t.end, "position": t.position} for t in analyze(text, lang)]
    )


@bp.post("/feedback")
def feedback():
    """A "Was this helpful?" vote: ``{"id", "lang", "helpful": true|false, "comment"?}``; 202 once queued."""
    if cross_site():
        raise ApiError("cross-site requests are refused", 403)
    if not request.is_json:
        raise ApiError("send the vote as JSON (Content-Type: application/json)", 415)
    try:
        data = json.loads(request.get_data(as_text=True))
    except ValueError:
        raise ApiError("the body is not valid JSON") from None
    try:
        row = vote_from(data, current_app.extensions["library"].kb)
    except InvalidVote as exc:
        raise ApiError(str(exc)) from None
    if rate_limited():
        raise ApiError("too many votes from this address; try again in a minute", 429)
    record_vote(row)
    return jsonify(recorded=True), 202
