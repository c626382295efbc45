"""Reading lists: a trainer's chosen articles, in order, carried whole by the URL.

``/<lang>/list?ids=a,b,c&title=...``: nothing is stored on the server. The ids
are checked (syntax, no duplicates, at most :data:`MAX_IDS`) and those that
name no article are reported on the page; the title is bounded and escaped by
the templates like any text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.markdown import is_valid_id
from kb.model import Article, KnowledgeBase

from .i18n import gettext as _

#: At most this many articles in one list (there are 21 articles in all).
MAX_IDS = 30
#: A list title is cut to this many characters.
MAX_TITLE_CHARS = 120
#: The ``ids`` argument is not read past this many characters.
MAX_IDS_CHARS = 2000


@dataclass
class ReadingList:
    """A list as a trainer asked for it: its title, its articles in order, and what was wrong with the URL."""

    title: str
    ids: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def query(self) -> dict[str, str]:
        """The URL arguments that give this list (its valid ids only)."""
        args = {"ids": ",".join(a.id for a in self.articles)}
        if self.title:
            args["title"] = self.title
        return args


def clean_title(raw: str | None) -> str:
    """The title, with control characters removed, spaces collapsed and cut to :data:`MAX_TITLE_CHARS`."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or "")[: MAX_TITLE_CHARS * 4])
    return " ".join(text.split())[:MAX_TITLE_CHARS]


def read_list(kb: KnowledgeBase, lang: str, ids_arg: str | None, title_arg: str | None, version) -> ReadingList:
    """The list a URL asks for. ``version(kb, lang, id)`` picks the article shown for an id."""
    found = ReadingList(title=clean_title(title_arg))
    raw = ids_arg or ""
    if len(raw) > MAX_IDS_CHARS:
        found.problems.append(_("The list of articles is too long; only its beginning was read."))
        raw = raw[:MAX_IDS_CHARS]
    seen: set[str] = set()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        shown = part[:80]
        if not is_valid_id(part):
            found.problems.append(_("Not an article id: %(value)s", value=shown))
        elif part in seen:
            found.problems.append(_("Listed twice, kept once: %(value)s", value=shown))
        elif len(seen) >= MAX_IDS:
            message = _("A list holds at most %(n)s articles: %(value)s was left out.", n=MAX_IDS, value=shown)
            found.problems.append(message)
        else:
            seen.add(part)
            article = version(kb, lang, part)
            if article is None:
                found.problems.append(_("No article has this id: %(value)s", value=shown))
            else:
                found.ids.append(part)
                found.articles.append(article)
    return found
