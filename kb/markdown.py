"""Markdown: one parser for every article, parsed once per file.

The parser is CommonMark with raw HTML off, plus the plugins an article
uses: YAML front matter, task lists (warning-sign checklists), heading
anchors that work for Hebrew and Arabic headings, and cross-links
``[[id]]`` / ``[[id|shown text]]`` / ``[[id#signs]]``, which render to the target article in
the same language.

The standard sections of a cause article get anchors that are the same in
every language (:data:`SECTION_ANCHORS`: ``#what`` ... ``#related``), so a
link to the warning signs works in any language; the anchor made from the
heading's text stays as a second anchor on the heading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from .model import CrossLink, Heading, Item, Section

#: Resolves a cross-link target to ``(url, title)``, or ``None`` if unknown.
Resolver = Callable[[str], "tuple[str, str] | None"]

_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: The anchors of a cause article's level-2 sections, in the content spec's order; ``example`` only where
#: the article has one (six sections rather than five).
SECTION_ANCHORS: tuple[str, ...] = ("what", "why", "signs", "prevent", "example", "related")


def slugify(text: str) -> str:
    """A stable heading anchor: words of any script joined by ``-``.

    Vowel marks (niqqud, harakat) are dropped so that a pointed and an
    unpointed heading get the same anchor; letters stay as they are.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return "-".join(re.findall(r"[^\W_]+", text)) or "section"


def _wikilink(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2)
    if end < 0 or "\n" in src[pos:end]:
        return False
    target, _, text = src[pos + 2 : end].partition("|")
    target, _, anchor = target.strip().partition("#")
    if not target:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {
            "target": target,
            "anchor": anchor.strip() or None,
            "text": text.strip() or None,
            "line_offset": src.count("\n", 0, pos),
        }
    state.pos = end + 2
    return True


def _render_wikilink(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    resolve: Resolver | None = env.get("resolve")
    found = resolve(meta["target"]) if resolve else None
    if found is None:
        shown = meta["text"] or meta["target"]
        return f'<span class="broken-link">{escapeHtml(shown)}</span>'
    url, title = found
    if meta.get("anchor"):
        url = f"{url}#{meta['anchor']}"
    shown = meta["text"] or title
    return f'<a class="xref" href="{escapeHtml(url)}">{escapeHtml(shown)}</a>'


def _render_heading_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    html = self.renderToken(tokens, idx, options, env)
    alias = tokens[idx].meta.get("alias")
    return html + f'<span class="anchor-alias" id="{escapeHtml(alias)}"></span>' if alias else html


def _stable_anchors(tokens: list[Token], shape: list[dict]) -> None:
    """Give a cause article's standard sections their stable anchors (see :data:`SECTION_ANCHORS`).

    The sections are known by position and checked by role: five or six of
    them, the third a checklist (warning signs), the fourth numbered steps
    (prevention). Any other article (the overview) keeps its text anchors.
    """
    if len(shape) not in (5, 6) or not shape[2]["checklist"] or not shape[3]["steps"]:
        return
    names = SECTION_ANCHORS if len(shape) == 6 else tuple(a for a in SECTION_ANCHORS if a != "example")
    for section, name in zip(shape, names, strict=True):
        heading_open, inline = tokens[section["token"]], tokens[section["token"] + 1]
        old = heading_open.attrGet("id")
        if not old or old == name:
            continue
        heading_open.attrSet("id", name)
        heading_open.meta = {**(heading_open.meta or {}), "alias": old}
        for child in inline.children or ():
            if child.type == "link_open" and child.attrGet("href") == f"#{old}":
                child.attrSet("href", f"#{name}")


#: A Hebrew prefix joined by a hyphen to a Latin word or a number (ה-CRM, ב-2017) is read as one word: a word
#: joiner after the hyphen keeps a line from breaking there (search drops it: ``kb/text.py``'s INVISIBLE).
_PREFIX_HYPHEN = re.compile(r"(?<=[\u05d0-\u05ea])-(?=[A-Za-z0-9])")


def _render_text(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return escapeHtml(_PREFIX_HYPHEN.sub("-\u2060", tokens[idx].content))


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(front_matter_plugin)
    md.use(tasklists_plugin, enabled=True, label=True)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify, permalink=True, permalinkSymbol="#")
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("heading_open", _render_heading_open)
    md.add_render_rule("text", _render_text)
    return md


_PARSER = make_parser()


@dataclass(frozen=True)
class ListItem:
    """A warning sign or prevention step as parsed: its inline tokens and its source line."""

    inlines: tuple[Token, ...]
    line: int


@dataclass(frozen=True)
class ParsedDocument:
    """What one parse of a file yields, before cross-links are resolved."""

    tokens: list[Token]
    front_matter: str | None
    front_matter_lines: tuple[int, int] | None  # 1-based first and last line of the block
    headings: tuple[Heading, ...]
    sections: tuple[Section, ...]
    links: tuple[CrossLink, ...]
    intro_words: int
    signs: tuple[ListItem, ...] = ()  # top-level task-list items ("- [ ]"), in order
    steps: tuple[ListItem, ...] = ()  # top-level numbered items, in order


def parse(source: str) -> ParsedDocument:
    """Parse a whole file (front matter included) once."""
    tokens = _PARSER.parse(source, {})
    front, front_lines = None, None
    if tokens and tokens[0].type == "front_matter":
        front = tokens[0].content
        front_lines = (tokens[0].map[0] + 1, tokens[0].map[1])
    links: list[CrossLink] = []
    sections: list[dict] = []
    intro_words = 0
    list_stack: list[str] = []
    signs: list[ListItem] = []
    steps: list[ListItem] = []
    current_item: list[Token] | None = None  # the inline tokens of the sign or step being read
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append(tok.type)
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif tok.type == "heading_open" and tok.tag == "h2":
            sections.append({"token": i, "checklist": 0, "steps": 0, "bullets": 0, "words": 0})
        elif tok.type == "list_item_open" and len(list_stack) == 1:
            current_item = None
            is_sign = "task-list-item" in str(tok.attrGet("class") or "")
            is_step = not is_sign and list_stack[-1] == "ordered_list_open"
            if is_sign or is_step:
                current_item = []
                (signs if is_sign else steps).append(ListItem(current_item, tok.map[0] + 1))  # filled below
            if sections:
                sections[-1]["checklist" if is_sign else "steps" if is_step else "bullets"] += 1
        elif tok.type == "list_item_close" and len(list_stack) == 1:
            current_item = None
        elif tok.type == "inline":
            if current_item is not None and len(list_stack) == 1:
                current_item.append(tok)
            line = (tok.map[0] + 1) if tok.map else 0
            for child in tok.children or ():
                if child.type == "wikilink":
                    links.append(CrossLink(child.meta["target"], child.meta["text"], line + child.meta["line_offset"]))
            words = len(_inline_text(tok).split())
            if sections:
                sections[-1]["words"] += words
            else:
                intro_words += words
    _stable_anchors(tokens, sections)
    by_token = {
        i: Heading(int(tok.tag[1]), _inline_text(tokens[i + 1]), tok.attrGet("id") or "", tok.map[0] + 1, alias)
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
        for alias in [(tok.meta or {}).get("alias", "")]
    }
    headings = list(by_token.values())
    for section in sections:
        section["heading"] = by_token[section.pop("token")]
    return ParsedDocument(
        tokens=tokens,
        front_matter=front,
        front_matter_lines=front_lines,
        headings=tuple(headings),
        sections=tuple(Section(**s) for s in sections),
        links=tuple(links),
        intro_words=intro_words,
        signs=tuple(ListItem(tuple(item.inlines), item.line) for item in signs),
        steps=tuple(ListItem(tuple(item.inlines), item.line) for item in steps),
    )


def render(doc: ParsedDocument, resolve: Resolver) -> str:
    """The body as HTML, cross-links resolved through ``resolve``."""
    return _PARSER.renderer.render(doc.tokens, _PARSER.options, {"resolve": resolve})


def plain_text(doc: ParsedDocument, resolve: Resolver) -> str:
    """The body as plain text, one block per line (for search and snippets)."""
    blocks = []
    for tok in doc.tokens:
        if tok.type == "inline":
            blocks.append(_inline_text(tok, resolve))
    return "\n".join(b for b in blocks if b)


def items(found: tuple[ListItem, ...], tags, resolve: Resolver) -> tuple[Item, ...]:
    """The signs or steps as :class:`Item`, rendered, with the n-th tag's phase and role (if any)."""
    env = {"resolve": resolve}
    result = []
    for number, item in enumerate(found):
        # Drop the task list's checkbox and label: the item is its words.
        html = " ".join(
            _PARSER.renderer.renderInline(
                [c for c in tok.children or () if c.type != "html_inline"], _PARSER.options, env
            ).strip()
            for tok in item.inlines
        )
        text = " ".join(filter(None, (_inline_text(tok, resolve) for tok in item.inlines)))
        phase, role = tags[number] if number < len(tags) else (None, None)
        result.append(Item(html=html, text=text, phase=phase, role=role))
    return tuple(result)


def _inline_text(inline: Token, resolve: Resolver | None = None) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "wikilink":
            found = resolve(child.meta["target"]) if resolve else None
            parts.append(child.meta["text"] or (found[1] if found else child.meta["target"]))
    return "".join(parts).strip()


def is_valid_id(value: str) -> bool:
    """Ids are lower-case ASCII words joined by single hyphens."""
    return bool(_ID_RE.fullmatch(value))
