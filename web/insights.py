"""``/<lang>/insights``: what readers search for and find, and how they vote, for the content team.

Closed unless ``KB_INSIGHTS_TOKEN`` is set, and then open only with that
token: an ``Authorization: Bearer <token>`` header (scripts), or the page's
login form, which sets a cookie holding a keyed hash of the token (never the
token itself), so changing the token closes every open session. The token is
compared in constant time, never logged, and never accepted in a URL.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for

from kb.model import LANGUAGES

from .guard import RateLimit, cross_site
from .i18n import gettext as _
from .records.store import DatabaseError, open_engine
from .site import LANG

bp = Blueprint("insights", __name__)
COOKIE = "kb_insights"
#: The periods offered, in days.
PERIODS = (7, 30, 90, 180)
#: Login attempts per minute from one address.
LOGINS_PER_MINUTE = 10


def _token() -> str:
    return current_app.config.get("KB_INSIGHTS_TOKEN") or ""


def _session_value(token: str) -> str:
    return hmac.new(token.encode(), b"kb insights session", hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _authorized() -> bool:
    token = _token()
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return _same(header.removeprefix("Bearer "), token)
    return _same(request.cookies.get(COOKIE, ""), _session_value(token))


def _closed_unless_configured() -> None:
    if not _token():
        abort(403, _("This page is closed on this server."))


@bp.get("/insights")
def root():
    lang = request.cookies.get("lang")
    if lang not in LANGUAGES:
        lang = request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]
    return redirect(url_for("insights.page", lang=lang))


@bp.get(f"/{LANG}/insights")
def page(lang):
    _closed_unless_configured()
    if not _authorized():
        return _no_store(make_response(render_template("insights_login.html", failed=False), 401))
    days = request.args.get("days", "30")
    days = int(days) if days.isdigit() and int(days) in PERIODS else 30
    only = request.args.get("only") if request.args.get("only") in LANGUAGES else None
    from .records.insights import gather

    try:
        figures = gather(_engine(), days, only)
    except (DatabaseError, OSError):
        current_app.logger.warning("insights: the records database cannot be read")
        abort(503, _("The records database cannot be read right now. Please try again in a few minutes."))
    recorder = current_app.extensions["recorder"]
    return _no_store(
        make_response(
            render_template(
                "insights.html", figures=figures, days=days, only=only, periods=PERIODS, dropped=recorder.dropped
            )
        )
    )


@bp.post(f"/{LANG}/insights")
def login(lang):
    _closed_unless_configured()
    if cross_site():
        abort(403, _("This form can only be sent from this site."))
    limit: RateLimit = current_app.extensions.setdefault("insights_logins", RateLimit(LOGINS_PER_MINUTE))
    if not limit.allow(request.remote_addr or ""):
        abort(429, _("Too many attempts. Please try again in a minute."))
    if not _same(request.form.get("token", ""), _token()):
        return _no_store(make_response(render_template("insights_login.html", failed=True), 401))
    response = redirect(url_for("insights.page", lang=lang), 303)
    response.set_cookie(
        COOKIE,
        _session_value(_token()),
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
        path="/",
        max_age=8 * 3600,
    )
    return response


@bp.post(f"/{LANG}/insights/logout")
def logout(lang):
    if cross_site():
        abort(403, _("This form can only be sent from this site."))
    response = redirect(url_for("insights.page", lang=lang), 303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _engine():
    engine = current_app.extensions.get("insights_engine")
    if engine is None:
        engine = current_app.extensions["insights_engine"] = open_engine(current_app.config["KB_DATABASE_URL"])
    return engine


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def bar(value: float, largest: float, width: int = 160) -> int:
    """The length of a chart's bar for ``value`` when ``largest`` fills ``width``."""
    return round(width * value / largest) if largest else 0


def percent(share: float) -> str:
    from babel.numbers import format_percent
    from flask import g

    return format_percent(share, locale=g.get("lang", "en"))


@bp.context_processor
def _chart_helpers():
    return {"bar": bar, "percent": percent}
