"""Tools for trainers and trainees, on the site's blueprint (so every page exists in every language).

- ``/<lang>/check``: the project health check (:mod:`web.healthcheck`): a GET
  form of every warning sign, and the ranked report its URL gives;
- ``/<lang>/list?ids=a,b,c&title=...``, ``/print`` and ``/<lang>/list/new``:
  reading lists (:mod:`web.readinglist`);
- ``/<lang>/glossary``: the glossary's concepts (:mod:`web.glossary`).

Nothing is stored on the server: the URL carries everything, and the
browser keeps progress (``static/tools.js``).
"""

from __future__ import annotations

import re

from babel.numbers import format_percent as _format_percent
from flask import abort, current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup

from kb.languages import direction
from kb.model import PHASES, ROLES, Article

from . import healthcheck, printing
from .glossary import GlossaryIndex, parts
from .i18n import gettext as _
from .readinglist import MAX_IDS, MAX_TITLE_CHARS, read_list
from .site import LANG, _kb, _version, booklet_part, bp

_GLOSSARY = GlossaryIndex()
#: The list tags of a rendered body, to find its top-level list items.
_LIST_TAG = re.compile(r"<(/?)(ul|ol|li)\b([^>]*)>")

bp.add_app_template_global(direction, "direction")


@bp.app_template_global()
def phase_label(phase: str | None) -> str:
    """A project phase's name in the page's language."""
    labels = {"selection": _("Selection"), "build": _("Build"), "go-live": _("Go-live"), "run": _("Run")}
    return labels.get(phase or "", phase or "")


@bp.app_template_global()
def role_label(role: str | None) -> str:
    """An owner role's name in the page's language."""
    labels = {
        "sponsor": _("Sponsor"),
        "project-manager": _("Project manager"),
        "key-user": _("Key user"),
        "it": _("IT"),
        "vendor": _("Vendor"),
    }
    return labels.get(role or "", role or "")


@bp.app_template_global()
def format_percent(share: float) -> str:
    """A share (0 to 1) as a percentage in the page's language."""
    return _format_percent(share, locale=g.get("lang", "en"))


@bp.app_template_filter()
def tagged_body(article: Article, html: str | None = None) -> Markup:
    """The article's body (``html``, else its own) with each sign and step followed by its phase and role labels.

    The n-th top-level task-list item is the n-th sign, the n-th top-level numbered item the n-th step (as
    ``kb`` counts them); a body whose counts differ from the article's is shown as it is.
    """
    html = article.html if html is None else html
    if not any(i.phase or i.role for i in (*article.signs, *article.steps)):
        return Markup(html)
    template = current_app.jinja_env.get_template("tools_tags.html")
    stack: list[tuple[str, str]] = []
    out, last, counts = [], 0, {"sign": 0, "step": 0}
    for match in _LIST_TAG.finditer(html):
        closing, tag, attrs = match.groups()
        if not closing:
            stack.append((tag, attrs))
            continue
        if not stack:
            return Markup(html)
        _tag, opened_attrs = stack.pop()
        if tag == "li" and len(stack) == 1:
            kind = "sign" if "task-list-item" in opened_attrs else "step" if stack[0][0] == "ol" else None
            items = article.signs if kind == "sign" else article.steps
            if kind and counts[kind] < len(items):
                out.append(html[last : match.start()])
                out.append(template.render(item=items[counts[kind]]))
                last = match.start()
            if kind:
                counts[kind] += 1
    if (counts["sign"], counts["step"]) != (len(article.signs), len(article.steps)):
        return Markup(html)
    out.append(html[last:])
    return Markup("".join(out))


@bp.get(f"/{LANG}/check")
def check(lang):
    """The form (also with ``edit``, the signs of a report ticked again), or the report its signs give."""
    kb = _kb()
    problems: list[str] = []
    phase, role = healthcheck.filters(request.args, problems)
    values = request.args.getlist("sign")
    ticked = healthcheck.ticked_signs(kb, lang, values, problems)
    ticked_values = [f"{i}.{n}" for i, numbers in ticked.items() for n in sorted(numbers)]
    short = healthcheck.compact(kb, lang, ticked)
    common = {"phase": phase, "role": role, "ticked": ticked, "problems": problems, "phases": PHASES, "roles": ROLES}
    editing = "edit" in request.args
    if values != short and not problems:
        # The form sends one value a sign: the page's own URL, to share, has one a cause.
        again = {"edit": 1} if editing else {}
        return redirect(url_for("site.check", lang=lang, sign=short, phase=phase, role=role, **again), 303)
    if ("sign" in request.args or "report" in request.args) and not editing:
        risks, untouched = healthcheck.report(kb, lang, ticked)
        edit_url = url_for("site.check", lang=lang, sign=short, phase=phase, role=role, edit=1)
        return render_template(
            "check_report.html",
            risks=risks,
            untouched=untouched,
            steps_shown=healthcheck.STEPS_SHOWN,
            categories=healthcheck.categories_by_id(kb),
            edit_url=edit_url,
            **common,
        )
    groups = healthcheck.grouped_signs(kb, lang, phase, role)
    shown = {s.value for _category, rows in groups for _article, signs in rows for s in signs}
    return render_template(
        "check.html", groups=groups, hidden_signs=[v for v in ticked_values if v not in shown], **common
    )


def _reading_list(lang: str):
    """The list the URL asks for; ``ids`` may also come one per checkbox (the list maker's GET form)."""
    ids = request.args.getlist("ids")
    if not ids:
        abort(400, _("A reading list needs its articles: ids=first,second,..."))
    return read_list(_kb(), lang, ",".join(ids[: MAX_IDS * 2]), request.args.get("title"), _version)


@bp.get(f"/{LANG}/list")
def reading_list(lang):
    found = _reading_list(lang)
    if len(request.args.getlist("ids")) > 1 and not found.problems:
        # The list maker's form sends one ``ids`` per article: the list's own URL is ids=a,b,c.
        return redirect(url_for("site.reading_list", lang=lang, **found.query), 303)
    return render_template("list.html", reading=found)


@bp.get(f"/{LANG}/list/print")
def reading_list_print(lang):
    from .app import external_url

    found = _reading_list(lang)
    live = external_url("site.reading_list", lang=lang, **found.query)
    parts = booklet_part(found.articles, lambda n: url_for("site.reading_list_print", lang=lang, **found.query, part=n))
    qr = printing.qr_code(live, _("QR code of the list on the site"))
    return render_template(
        "list_print.html", reading=found, live_url=live, qr=qr, booklet=parts, steps=parts.steps(lang)
    )


@bp.get(f"/{LANG}/list/new")
def reading_list_new(lang):
    kb = _kb()
    return render_template(
        "list_new.html",
        articles=kb.in_language(lang),
        max_ids=MAX_IDS,
        max_title=MAX_TITLE_CHARS,
    )


@bp.get(f"/{LANG}/glossary")
def glossary(lang):
    kb = _kb()
    entries = _GLOSSARY.entries(kb, lang)
    pages = parts(entries)
    n = request.args.get("part", "1")
    if not n.isdigit() or not 1 <= int(n) <= len(pages):
        abort(400, _("The glossary has no such part."))
    return render_template("glossary.html", entries=entries, pages=pages, part=pages[int(n) - 1])
