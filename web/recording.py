"""What the site records, and how a request hands it over: searches, result clicks and votes.

Every function here only queues a record on the process's
:class:`~web.records.recorder.Recorder` (never waits for the database).
Nothing identifying is taken from the request: no address, user agent or
cookie, only what the reader searched for, opened or voted.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from flask import current_app

from kb.model import LANGUAGES

from .records.recorder import Recorder
from .records.store import COMMENT_CHARS, QUERY_CHARS, now

#: The ``?from=`` value result links carry: the id of the recorded search.
SEARCH_ID = re.compile(r"[0-9a-f]{16}")
_VOTE_KEYS = {"id", "lang", "helpful", "comment"}


class InvalidVote(ValueError):
    """A vote that cannot be recorded; the message says why (shown to the client as it is)."""


def recorder(app=None) -> Recorder:
    return (app or current_app).extensions["recorder"]


def normalized_query(text: str) -> str:
    """The query as recorded: NFKC, case-folded, without marks or invisible characters, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf", "Cc", "Cs", "Co"))
    return " ".join(kept.split())[:QUERY_CHARS]


def record_search(results, category: str | None) -> str | None:
    """Queue a completed search; its id, for the result links (``?from=<id>``), or None when not recording."""
    if not recorder().enabled:
        return None
    search_id = secrets.token_hex(8)
    recorder().record(
        "search",
        {
            "id": search_id,
            "at": now(),
            "query": normalized_query(results.query),
            "lang": results.lang,
            "category": category,
            "results": results.total,
            "approximate": bool(getattr(results, "approximate", False)),
            "shown": " ".join(hit.id for hit in results.hits),
        },
    )
    return search_id


def record_click(search_id: str | None, article_id: str, lang: str) -> None:
    """Queue a click from a search's results, when ``search_id`` looks like one (anything else is ignored)."""
    if search_id and SEARCH_ID.fullmatch(search_id):
        recorder().record("click", {"at": now(), "search_id": search_id, "article_id": article_id, "lang": lang})


def vote_from(data, kb) -> dict:
    """A vote's record from a request's JSON (or form) data, or :class:`InvalidVote` saying what is wrong."""
    if not isinstance(data, dict):
        raise InvalidVote('the body must be a JSON object: {"id", "lang", "helpful", "comment"?}')
    unknown = sorted(set(data) - _VOTE_KEYS)
    if unknown:
        raise InvalidVote(f"unknown field(s): {', '.join(map(str, unknown))}; use id, lang, helpful, comment")
    lang, article_id, helpful = data.get("lang"), data.get("id"), data.get("helpful")
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise InvalidVote(f"'lang' must be one of {', '.join(LANGUAGES)}")
    if not isinstance(article_id, str) or not article_id:
        raise InvalidVote("'id' must be an article id (text)")
    if kb.get(lang, article_id) is None:
        raise InvalidVote(f"no article '{article_id[:100]}' in '{lang}'")
    if not isinstance(helpful, bool):
        raise InvalidVote("'helpful' must be true or false")
    comment = data.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise InvalidVote("'comment' must be text")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_CHARS:
        raise InvalidVote(f"'comment' is too long ({len(comment)} characters; at most {COMMENT_CHARS})")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in comment):
        raise InvalidVote("'comment' contains control characters")
    return {"at": now(), "article_id": article_id, "lang": lang, "helpful": helpful, "comment": comment or None}


def record_vote(row: dict) -> None:
    recorder().record("vote", row)
