"""The site: home, article, category, learning path and search pages, in three languages.

URLs are permanent (trainers share them): ``/<lang>/``, ``/<lang>/<id>``,
``/<lang>/categories/<id>``, ``/<lang>/paths/<id>`` (and ``/print``),
``/<lang>/search?q=``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from urllib.parse import unquote

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, url_for
from werkzeug.local import LocalProxy

from kb.authoring import is_stale
from kb.errors import KBError
from kb.languages import FALLBACK_ORDER, LANGUAGES, direction
from search.errors import BadQuery
from search.plan import MAX_LIMIT

from . import printing
from .guard import cross_site, rate_limited
from .i18n import LANG_COOKIE, negotiate_language
from .i18n import gettext as _
from .layout import category_counts, category_neighbours, nav_groups
from .recording import InvalidVote, record_click, record_search, record_vote, vote_from

bp = Blueprint("site", __name__)
LANG = f"<any({','.join(LANGUAGES)}):lang>"
SEARCH_LIMIT = 20
#: Query arguments a page uses, kept when linking to the same page in another language.
PAGE_ARGUMENTS = ("q", "category", "path", "sign", "phase", "role", "report", "ids", "title", "edit")


def _kb():
    return current_app.extensions["library"].kb


@bp.url_value_preprocessor
def _pull_lang(endpoint, values):
    if values and "lang" in values:
        g.lang = values["lang"]


@bp.app_context_processor
def _page_context():
    lang = g.get("lang", "en")
    # kb is looked up when a template uses it: an error page renders even when the content cannot be opened.
    kb = LocalProxy(_kb)
    return {"lang": lang, "dir": direction(lang), "kb": kb, "languages": LANGUAGES, "alternate_url": alternate_url}


def alternate_url(other: str) -> str:
    """This page in another language (the home page when the page has no language version)."""
    args = request.view_args or {}
    if request.endpoint and request.endpoint.startswith("site.") and "lang" in args:
        # Only the page's own query arguments: never url_for's (_external, _anchor ...) from the visitor.
        kept = {k: v for k, v in request.args.lists() if k in PAGE_ARGUMENTS}
        return url_for(request.endpoint, **{**kept, **args, "lang": other})
    return url_for("site.home", lang=other)


@bp.after_request
def _remember_language(response):
    lang = (request.view_args or {}).get("lang")
    if lang and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.get("/")
def root():
    response = make_response(redirect(url_for("site.home", lang=negotiate_language(request))))
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.get(f"/{LANG}/")
def home(lang):
    kb = _kb()
    paths = [(p, [_version(kb, lang, step) for step in p.steps]) for p in kb.paths]
    return render_template("home.html", overview=kb.get(lang, "overview"), groups=nav_groups(kb, lang), paths=paths)


@bp.get(f"/{LANG}/<article_id>")
def article(lang, article_id):
    kb = _kb()
    shown = _version(kb, lang, article_id)
    if shown is None:
        abort(404)
    fallback = shown if shown.lang != lang else None
    path, step = _path_step(request.args.get("path"), article_id)
    record_click(request.args.get("from"), shown.id, shown.lang)
    return render_template(
        "article.html",
        article=shown,
        fallback=fallback,
        category=kb.category(shown.category) if shown.category else None,
        # Related causes the body does not already link to (its own "Related causes" section is the list).
        related=[a for rid in shown.related if rid not in {x.target for x in shown.links} and (a := kb.get(lang, rid))],
        nav=nav_groups(kb, lang),
        neighbours=category_neighbours(kb, lang, shown),
        path=path,
        step=step,
        voted=request.args.get("voted") in ("yes", "no"),
        stale=is_stale(kb, shown),
        body=printing.printable(shown),
        qr_code=printing.qr_code(printing.article_address(lang, article_id)),
    )


@bp.post(f"/{LANG}/<article_id>/feedback")
def feedback(lang, article_id):
    """The "Was this helpful?" form, without JavaScript: records the vote and goes back to the article."""
    if cross_site():
        abort(403, _("This form can only be sent from this site."))
    answer = request.form.get("helpful")
    if answer not in ("yes", "no"):
        abort(400, _("Choose yes or no."))
    kb = _kb()
    shown = _version(kb, lang, article_id)
    if shown is None:
        abort(404)
    data = {"id": shown.id, "lang": shown.lang, "helpful": answer == "yes", "comment": request.form.get("comment")}
    try:
        row = vote_from(data, kb)
    except InvalidVote:
        abort(400, _("Your comment is too long or contains characters that cannot be sent."))
    if rate_limited():
        abort(429, _("Too many votes from this address. Please try again in a minute."))
    record_vote(row)
    return redirect(url_for("site.article", lang=lang, article_id=article_id, voted=answer, _anchor="feedback"), 303)


def _path_step(path_id, article_id):
    if not path_id:
        return None, None
    path = _kb().path(path_id)
    if path is None or article_id not in path.steps:
        return None, None
    return path, path.steps.index(article_id)


@bp.get(f"/{LANG}/categories/<category_id>")
def category(lang, category_id):
    kb = _kb()
    found = kb.category(category_id)
    if found is None:
        abort(404)
    articles = [a for a in kb.in_language(lang) if a.category == category_id]
    return render_template("category.html", category=found, articles=articles, nav=nav_groups(kb, lang))


@bp.get(f"/{LANG}/paths/<path_id>")
def path(lang, path_id):
    kb = _kb()
    found = kb.path(path_id)
    if found is None:
        abort(404)
    return render_template("path.html", path=found, steps=[_version(kb, lang, step) for step in found.steps])


@bp.get(f"/{LANG}/paths/<path_id>/print")
def path_print(lang, path_id):
    """The path as a booklet, in parts within the page budget: every step on its own pages, its links made for paper."""
    kb = _kb()
    found = kb.path(path_id)
    if found is None:
        abort(404)
    articles = [a for step in found.steps if (a := _version(kb, lang, step))]
    parts = booklet_part(articles, lambda n: url_for("site.path_print", lang=lang, path_id=path_id, part=n))
    return render_template("path_print.html", path=found, booklet=parts, steps=parts.steps(lang), today=dt.date.today())


def booklet_part(articles, part_url):
    """The part of a booklet that ``?part=`` asks for; a 400 page for a part the booklet does not have."""
    try:
        return printing.booklet(articles, request.args.get("part"), part_url)
    except ValueError:
        abort(400, _("This booklet has no such part."))


def _version(kb, lang: str, article_id: str):
    """The article in ``lang``, else the first version in :data:`FALLBACK_ORDER` (None if there is none)."""
    translations = kb.translations(article_id)
    return translations.get(lang) or next((translations[o] for o in FALLBACK_ORDER if o in translations), None)


@bp.get(f"/{LANG}/search")
def search(lang):
    kb = _kb()
    query = request.args.get("q", "")
    if "\x00" in query:
        abort(400, _("This search contains a character that cannot be searched for."))
    category_id = request.args.get("category") or None
    if category_id is not None and kb.category(category_id) is None:
        abort(400, _("Unknown category."))
    results, search_id, counts, everywhere = None, None, {}, 0
    if query.strip():
        library = current_app.extensions["library"]
        try:
            # Every match once (a language holds a few dozen articles), for the category chips' counts.
            everything = library.search(query, lang, limit=min(MAX_LIMIT, max(1, len(kb.in_language(lang)))))
            counts, everywhere = category_counts(everything.hits), everything.total
            results = library.search(query, lang, limit=SEARCH_LIMIT, category=category_id)
        except BadQuery:
            abort(400, _("This search is too long. Please shorten it."))
        except KBError:
            abort(503, _("Search is unavailable right now. Please try again in a few minutes."))
        search_id = record_search(results, category_id)
    return render_template(
        "search.html",
        query=query,
        category_id=category_id,
        results=results,
        search_id=search_id,
        counts=counts,
        everywhere=everywhere,
    )


def near_miss(path: str, lang: str) -> tuple[str, str] | None:
    """For an address with no page, the page it most likely meant, as ``(url, title)`` in ``lang``.

    The address's last part is compared with every article's, category's
    and path's id and title (``/he/unclear-goal`` -> ``/he/unclear-goals``).
    """
    words = [w for w in unquote(path).split("/") if w]
    if not words:
        return None
    wanted = words[-1].casefold()
    kb = _kb()
    pages: dict[str, tuple[str, str]] = {}
    for a in kb.in_language(lang):
        page = (url_for("site.article", lang=lang, article_id=a.id), a.title)
        pages.setdefault(a.id, page)
        pages.setdefault(a.title.casefold(), page)
    for c in kb.categories:
        page = (url_for("site.category", lang=lang, category_id=c.id), c.title[lang])
        pages.setdefault(c.id, page)
        pages.setdefault(c.title[lang].casefold(), page)
    for p in kb.paths:
        page = (url_for("site.path", lang=lang, path_id=p.id), p.title[lang])
        pages.setdefault(p.id, page)
        pages.setdefault(p.title[lang].casefold(), page)
    for text in (wanted, wanted.replace("-", " ")):  # an id, or a title typed with hyphens for spaces
        best = difflib.get_close_matches(text, pages, n=1, cutoff=0.6)
        if best:
            return pages[best[0]]
    return None
