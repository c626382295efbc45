"""Printing an article or a learning path (a booklet of articles) on paper.

On paper a link cannot be followed, so each link of an article's body gets
what to print after its text (``static/print.css`` shows it, isolated from
the text around it): the full address of the page it points to, or, for an
article inside the same booklet, "see step N". A booklet holds several
articles whose section ids are the same (``#signs`` ...), so each step's ids
get the step's prefix (``s3-signs``) and its ``#`` links follow them. A QR
code of the live page goes on each printed article and step.

A booklet (a learning path, a printed reading list) is served in parts, each
one page within the site's page budget (60 KB of HTML): the text of eight
Arabic articles alone weighs more. :func:`booklet` cuts the steps, in order,
into the fewest parts that fit, as even as it can; each part carries the cover
(title, every step, links to the other parts); a link to a step on another
part goes to its article's live page (and prints "see step N").

The HTML rewritten here is the body :mod:`kb.markdown` renders, whose
attributes are always written ``name="value"``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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
#: The pixels of one QR module (``static/print.css`` draws them crisp, without smoothing).
QR_SCALE = 3
#: The HTML of the articles of one booklet part stays under this many bytes, leaving the rest of the page
#: budget (60 KB) to the page around them: head, header, cover, QR codes and footer.
PART_BYTES = 44 * 1024
#: What a step adds to its article's body on the page: its header, its QR code, the addresses of its links.
STEP_BYTES = 1800
#: A step's line in the list of steps on the cover, which every part carries.
COVER_BYTES = 200


def site_address() -> str:
    """The site's absolute address without a trailing ``/`` (``KB_BASE_URL`` or this request's host)."""
    return external_url("site.root").rstrip("/")


def printable(
    article, steps: dict[str, int] | None = None, step: int | None = None, here: range | None = None
) -> Markup:
    """An article's body ready for paper.

    ``steps`` maps the ids of the booklet's articles to their step numbers;
    ``step`` is this article's step, whose number prefixes its ids; ``here``
    the step numbers on this page (all without it). A first heading that
    repeats the title is marked ``repeats-title`` (printed once).
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
            on_page = here is None or number in here
            new = (f"#s{number}-{anchor}" if anchor else f"#step-{number}") if on_page else href
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


#: QR codes kept, each about 1 KB: every article's, in each language, with room for reading lists. Making one
#: costs about 10 ms, several times the rest of an article page.
QR_CODES_CACHED = 1024


@lru_cache(maxsize=QR_CODES_CACHED)
def qr_code(url: str, alt: str = "") -> Markup:
    """A QR code of ``url``: a PNG of three pixels a module (about 500 bytes; an SVG path is five times that).

    Without ``alt`` it is decorative, for a page that prints the address beside it.
    """
    code = segno.make(url, error="m")
    size = code.symbol_size(scale=QR_SCALE, border=2)[0]
    uri = code.png_data_uri(scale=QR_SCALE, border=2)
    return Markup('<img class="qr-code" src="{}" width="{}" height="{}" alt="{}">').format(uri, size, size, alt)


def article_address(lang: str, article_id: str) -> str:
    """The absolute address of an article's live page."""
    return site_address() + article_url(lang, article_id)


@dataclass(frozen=True)
class Booklet:
    """The articles of a booklet, in order, and the part of them this page holds."""

    articles: list
    parts: list[range]
    part: int
    part_url: Callable[[int], str]

    @property
    def here(self) -> range:
        """The step numbers (from 1) on this page."""
        run = self.parts[self.part - 1]
        return range(run.start + 1, run.stop + 1)

    def steps(self, lang: str) -> list[tuple[int, object, Markup, Markup]]:
        """This part's steps: number, article, body for paper and QR code of the live page."""
        numbers = {a.id: n for n, a in enumerate(self.articles, start=1)}
        return [
            (n, a, printable(a, numbers, n, self.here), qr_code(article_address(lang, a.id)))
            for n, a in enumerate(self.articles, start=1)
            if n in self.here
        ]


def cut(weights: list[int], limit: int) -> list[range]:
    """Indexes of ``weights``, in order, in runs that each weigh at most ``limit`` (a heavier item runs alone).

    The runs are cut where the running total crosses an even share, so that two parts are halves, not a
    full part and a remainder.
    """
    total = sum(weights)
    runs = [range(0, len(weights))]
    for count in range(max(1, -(-total // limit)), len(weights) + 1):
        share = total / count
        runs = []
        start, weight, done = 0, 0, 0
        for i, w in enumerate(weights):
            if i > start and (weight + w > limit or done + w / 2 > share * (len(runs) + 1)):
                runs.append(range(start, i))
                start, weight = i, 0
            weight += w
            done += w
        runs.append(range(start, len(weights)))  # the last run, or the only one
        if len(runs) <= count:
            break
    return runs


def booklet(articles: list, part_arg: str | None, part_url: Callable[[int], str]) -> Booklet:
    """The booklet of ``articles`` and the part ``part_arg`` asks for (the first without it).

    Raises ``ValueError`` for a part that is not a number of this booklet.
    """
    weights = [len(a.html.encode()) + len(a.summary.encode()) + STEP_BYTES for a in articles]
    parts = cut(weights, PART_BYTES - COVER_BYTES * len(articles))
    part = 1 if part_arg is None else int(part_arg) if part_arg.isascii() and part_arg.isdigit() else 0
    if not 1 <= part <= len(parts):
        raise ValueError(part_arg)
    return Booklet(articles, parts, part, part_url)
