"""Printing an article or a learning path (a booklet of articles) on paper.

On paper a link cannot be followed, so each link of an article's body gets
what to print after its text (``static/print.css`` shows it, isolated from
the text around it): the full address of the page it points to, or, for an
article inside the same booklet, "see step N". A booklet holds several
articles whose section ids are the same (``#signs`` ...), so each step's ids
get the step's prefix (``s3-signs``) and its ``#`` links follow them. A QR
code of the live page goes on each printed article and step.

The HTML rewritten here is the body :mod:`kb.markdown` renders, whose
attributes are always written ``name="value"``.
"""

from __future__ import annotations

import html
import re

import segno
from markupsafe import Markup

from kb.model import article_url

from .app import external_url
from .i18n import format_number
from .i18n import gettext as _

_ID = re.compile(r'(\sid=")([^"]*)(")')
_LINK = re.compile(r"<a\s([^>]*)>")
_HREF = re.compile(r'\bhref="([^"]*)"')
#: An article's address as the content renders it: ``/<lang>/<id>`` and maybe ``#anchor``.
_ARTICLE = re.compile(r"/[a-z]{2,3}/([a-z0-9]+(?:-[a-z0-9]+)*)(?:#(.*))?")


def site_address() -> str:
    """The site's absolute address without a trailing ``/`` (``KB_BASE_URL`` or this request's host)."""
    return external_url("site.root").rstrip("/")


def printable(article, steps: dict[str, int] | None = None, step: int | None = None) -> Markup:
    """An article's body ready for paper.

    ``steps`` maps the ids of the booklet's articles to their step numbers;
    ``step`` is this article's step, whose number prefixes its ids. A first
    heading that repeats the title is marked ``repeats-title`` (printed once).
    """
    body = article.html
    if article.headings and article.headings[0].text.casefold() == article.title.casefold():
        body = body.replace("<h2 ", '<h2 class="repeats-title" ', 1)
    steps = steps or {}
    prefix = f"s{step}-" if step else ""
    base = site_address()

    def link(match: re.Match) -> str:
        attributes = match.group(1)
        found = _HREF.search(attributes)
        if not found:
            return match.group(0)
        href = html.unescape(found.group(1))
        article = _ARTICLE.fullmatch(href)
        if href.startswith("#"):
            new, extra = f"#{prefix}{href[1:]}", ""
        elif article and article.group(1) in steps:
            number, anchor = steps[article.group(1)], article.group(2)
            new = f"#s{number}-{anchor}" if anchor else f"#step-{number}"
            note = _("see step %(n)s", n=format_number(number))
            extra = f' data-print-note="{html.escape(note)}"'
        else:
            new = href
            absolute = base + href if href.startswith("/") else href
            extra = f' data-print-url="{html.escape(absolute)}"'
        attributes = attributes[: found.start()] + f'href="{html.escape(new)}"' + attributes[found.end() :]
        return f"<a {attributes}{extra}>"

    body = _LINK.sub(link, body)
    if prefix:
        body = _ID.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", body)
    return Markup(body)


def qr_code(url: str) -> Markup:
    """A small QR code of ``url`` as inline SVG (hidden from screen readers: the address is printed beside it)."""
    svg = segno.make(url, error="m").svg_inline(scale=2, border=2, svgclass="qr-code", omitsize=False)
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def article_address(lang: str, article_id: str) -> str:
    """The absolute address of an article's live page."""
    return site_address() + article_url(lang, article_id)
