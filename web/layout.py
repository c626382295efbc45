"""What the page layout shows beside the content: side navigation, reading time, neighbours, heading links.

The views in :mod:`web.site` pick the content; this module turns the knowledge
base into the pieces every page's frame needs, so templates stay declarative.
"""

from __future__ import annotations

import hashlib
import re
from base64 import b64encode

from markupsafe import Markup, escape

#: Words read per minute, for the "N min read" estimates (a careful reader of a work text).
WORDS_PER_MINUTE = 180

#: Runs in ``<head>`` before the first paint: the visitor's remembered colour scheme, without a flash.
#: Its hash is allowed by the Content-Security-Policy (:data:`THEME_SCRIPT_HASH`); no other inline script is.
#: It also marks the page ``js``, so controls that need JavaScript take their place before the first paint too.
THEME_SCRIPT = (
    'var d=document.documentElement;d.classList.add("js");try{var t=localStorage.getItem("theme");'
    'if(t==="dark"||t==="light")d.setAttribute("data-theme",t)}catch(e){}'
)
THEME_SCRIPT_HASH = "sha256-" + b64encode(hashlib.sha256(THEME_SCRIPT.encode()).digest()).decode()

# The permalink the Markdown renderer puts at the end of every h2/h3: <a class="header-anchor" href="#x">#</a>.
_HEADER_ANCHOR = re.compile(r'(<h([23]) id="([^"]*)">)(.*?) ?<a class="header-anchor" href="#\3">#</a>(</h\2>)', re.S)
_TAGS = re.compile(r"<[^>]+>")
_LINK_ICON = Markup(
    '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">'
    '<path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8" '
    'fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>'
)


def reading_minutes(articles) -> int:
    """Minutes to read one article or a list of them (at least one)."""
    if not isinstance(articles, (list, tuple)):
        articles = [articles]
    words = sum(len(a.text.split()) for a in articles if a is not None)
    return max(1, round(words / WORDS_PER_MINUTE))


def heading_links(html: str, label: str) -> Markup:
    """Each section heading's ``#`` permalink as one icon link named "<label> <heading>".

    The icon shows on hover and focus (site.css);
    site.js also copies the section's address when it is clicked.
    """

    def named(match: re.Match) -> str:
        opening, _level, anchor, inner, closing = match.groups()
        text = _TAGS.sub("", inner).strip()
        name = escape(f"{label} {Markup(text).unescape()}")
        link = f'<a class="header-anchor" href="#{anchor}" aria-label="{name}">{_LINK_ICON}</a>'
        return f"{opening}{inner}{link}{closing}"

    return Markup(_HEADER_ANCHOR.sub(named, str(html)))


def nav_groups(kb, lang: str) -> list:
    """The side navigation: each category with its causes in ``lang``."""
    articles = kb.in_language(lang)
    return [(c, [a for a in articles if a.category == c.id]) for c in kb.categories]


def category_neighbours(kb, lang: str, article) -> tuple:
    """The articles before and after ``article`` in its category (None at either end)."""
    if not article.category:
        return None, None
    siblings = [a for a in kb.in_language(lang) if a.category == article.category]
    ids = [a.id for a in siblings]
    if article.id not in ids:
        return None, None
    i = ids.index(article.id)
    return (siblings[i - 1] if i > 0 else None), (siblings[i + 1] if i + 1 < len(siblings) else None)


def category_counts(hits) -> dict[str, int]:
    """How many of the hits fall in each category, for the search page's filter chips."""
    counts: dict[str, int] = {}
    for hit in hits:
        if hit.category:
            counts[hit.category] = counts.get(hit.category, 0) + 1
    return counts
