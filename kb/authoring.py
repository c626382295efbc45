"""The authoring workflow: new articles from a template, and translations that know their source's version.

- :func:`new_article` writes ``content/<lang>/<id>.md`` in every language,
  with every front-matter field and the sections the articles share, each
  holding a ``TODO:`` placeholder; :func:`check` (run by ``kb check``)
  lists every placeholder still there.
- A translation records the version of its source it was translated from,
  ``translated_from: en@<hash>`` (written by ``kb translated ar/<id>``, see
  :func:`mark_translated`); when the source changes, :func:`check` warns
  that the translation may be stale, with a diff of the source since then
  (found in git history), and the site tells readers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml

from .errors import KBError
from .languages import ENGLISH_NAMES, LANGUAGES
from .markdown import ParsedDocument, is_valid_id, parse
from .model import OVERVIEW_ID, KnowledgeBase, Problem

PLACEHOLDER = "TODO:"
#: ``translated_from``: the source's language and the first 12 hex digits of its content hash.
TRANSLATED_FROM = re.compile(rf"({'|'.join(LANGUAGES)})@([0-9a-f]{{12}})")
#: Lines of source diff shown in a staleness warning at most.
DIFF_LINES = 40
#: In the warning about a translation whose source changed (:func:`is_stale` looks for it).
STALE = "the translation may be stale"


class AuthoringError(KBError):
    """Raised by ``kb new`` and ``kb translated`` when they cannot do what was asked (the message says why)."""


#: The front-matter fields that make an article's version (with its body).
HASHED_FIELDS = ("title", "summary", "keywords")


def content_hash(doc: ParsedDocument, values: Mapping) -> str:
    """The version of an article's content: title, summary, keywords and body (not the review date)."""
    digest = hashlib.sha256()
    for name in ("title", "summary"):
        digest.update(str(values.get(name) or "").encode() + b"\0")
    for keyword in values.get("keywords") or ():
        digest.update(str(keyword).encode() + b"\0")
    for token in doc.tokens:
        if token.type != "front_matter":
            digest.update(f"{token.type}\0{token.content}\0".encode())
    return digest.hexdigest()[:12]


def file_hash(path: Path) -> str:
    """:func:`content_hash` of an article file."""
    doc = parse(path.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n"))
    values = yaml.safe_load(doc.front_matter or "") or {}
    return content_hash(doc, values if isinstance(values, dict) else {})


# --- kb check ------------------------------------------------------------------


def check(drafts: Mapping, report: Callable[[Problem], None]) -> None:
    """Report placeholders still to fill in, and translations whose source changed since they were made."""
    for (lang, _aid), draft in drafts.items():
        _placeholders(draft, report)
        meta = draft.front_matter
        marker = meta.translated_from
        if not marker:
            continue
        line = meta.line("translated_from")
        found = TRANSLATED_FROM.fullmatch(marker)
        if found is None or found.group(1) == lang:
            message = f"translated_from must be <source language>@<12 hex digits> (e.g. en@{'0' * 12}), got '{marker}'"
            report(Problem("error", draft.path, line, message))
            continue
        source_lang, recorded = found.groups()
        source = drafts.get((source_lang, meta.id))
        if source is None:
            report(Problem("warning", draft.path, line, f"translated from {source_lang}, which has no version"))
            continue
        source_meta = source.front_matter
        current = content_hash(source.doc, {name: getattr(source_meta, name) for name in HASHED_FIELDS})
        if current != recorded:
            message = (
                f"the {source_lang} source changed since this translation was made ({recorded} -> {current}); "
                f"{STALE}: update it, then run 'kb translated {lang}/{meta.id}'"
            )
            report(Problem("warning", draft.path, line, message + _source_diff(source.path, recorded)))


def is_stale(kb: KnowledgeBase, article) -> bool:
    """True when ``kb check`` warned that ``article``'s source changed since it was translated."""
    return any(p.path == article.path and STALE in p.message for p in kb.problems)


def _placeholders(draft, report) -> None:
    meta = draft.front_matter
    for name, value in meta.items():
        if isinstance(value, str) and value.startswith(PLACEHOLDER):
            report(Problem("warning", draft.path, meta.line(name), f"still to fill in: {name}"))
    for name, hint in (("sources", "he-seed, ar-seed"), ("keywords", "words searchers use")):
        if not getattr(meta, name):
            report(Problem("warning", draft.path, meta.line(name), f"still to fill in: {name} ({hint})"))
    heading = "the introduction"
    for token in draft.doc.tokens:
        if token.type == "heading_open" and token.tag == "h2":
            heading = None
        elif token.type == "inline" and heading is None:
            heading = f"section '{token.content}'"
        elif token.type == "inline" and PLACEHOLDER in token.content and token.map:
            report(Problem("warning", draft.path, token.map[0] + 1, f"still to fill in: {heading}"))


def _source_diff(display: Path, recorded: str) -> str:
    """The source's changes since the version with hash ``recorded``, from git history (when it is there)."""
    path = Path.cwd() / display
    old = _version_in_git(path, recorded) if path.is_file() else None
    if old is None:
        return " (the source's earlier text is not in git history here, so no diff can be shown)"
    new = path.read_text(encoding="utf-8").splitlines()
    diff = list(difflib.unified_diff(old.splitlines(), new, "translated from", "source now", lineterm="", n=1))
    shown = diff[:DIFF_LINES] + ([f"... {len(diff) - DIFF_LINES} more lines"] if len(diff) > DIFF_LINES else [])
    return "\n    " + "\n    ".join(shown)


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _version_in_git(path: Path, recorded: str) -> str | None:
    commits = _git(path.parent, "log", "--format=%H", "-n", "200", "--", path.name)
    if not commits:
        return None
    top = (_git(path.parent, "rev-parse", "--show-toplevel") or "").strip()
    rel = path.resolve().relative_to(Path(top).resolve()) if top else None
    for commit in commits.split():
        text = _git(path.parent, "show", f"{commit}:{rel}") if rel else None
        if text is None:
            continue
        doc = parse(text)
        values = yaml.safe_load(doc.front_matter or "") or {}
        if content_hash(doc, values if isinstance(values, dict) else {}) == recorded:
            return text
    return None


# --- kb translated --------------------------------------------------------------


def mark_translated(root: Path, target: str, source_lang: str = "en") -> tuple[Path, str]:
    """Write ``translated_from: <source_lang>@<hash>`` into ``root/<lang>/<id>.md``; the file and the marker."""
    lang, _, aid = target.partition("/")
    if lang not in LANGUAGES or not aid:
        raise AuthoringError(f"name a translation as <lang>/<id>, e.g. ar/unclear-goals (got '{target}')")
    aid = aid.removesuffix(".md")
    if source_lang == lang:
        raise AuthoringError(f"{target} cannot be a translation of itself; use --from with another language")
    path, source = Path(root) / lang / f"{aid}.md", Path(root) / source_lang / f"{aid}.md"
    for needed in (path, source):
        if not needed.is_file():
            raise AuthoringError(f"no such article: {needed}")
    marker = f"{source_lang}@{file_hash(source)}"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in [ln.strip() for ln in lines[1:]]:
        raise AuthoringError(f"{path}: no front matter block (--- ... ---) to write into")
    end = 1 + [ln.strip() for ln in lines[1:]].index("---")
    field = f"translated_from: {marker}"
    existing = next((i for i in range(1, end) if lines[i].startswith("translated_from:")), None)
    if existing is None:
        lines.insert(end, field)
    else:
        lines[existing] = field
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, marker


# --- kb new -------------------------------------------------------------------


def section_plan(kb: KnowledgeBase, lang: str) -> list[tuple[str, str]]:
    """The sections most articles in ``lang`` have, in order: (heading, kind of content)."""
    shapes = Counter()
    for article in kb.in_language(lang):
        if article.id == OVERVIEW_ID:
            continue
        shapes[tuple((s.heading.text, _kind(s)) for s in article.sections)] += 1
    if not shapes:
        raise AuthoringError(f"no {lang} articles to take the sections from")
    return list(shapes.most_common(1)[0][0])


def _kind(section) -> str:
    if section.checklist:
        return "checklist"
    if section.steps:
        return "steps"
    if section.bullets:
        return "bullets"
    return "text"


_BODY = {
    "text": "TODO: write this section in {language}.",
    "checklist": "- [ ] TODO: a warning sign, in {language}.",
    "steps": "1. **TODO: a step.** How to do it, in {language}.",
    "bullets": "- TODO: a related cause (a cross-link to its id), and why it is related.",
}


#: The tags of the template's one warning sign and one step (phases: selection, build, go-live, run;
#: roles: sponsor, project-manager, key-user, it, vendor); the author sets them with the items.
_TAGS = {"checklist": "build/project-manager", "steps": "build/project-manager"}


def render_template(aid: str, lang: str, category: str, sections: list[tuple[str, str]], today: dt.date) -> str:
    language = ENGLISH_NAMES[lang]

    def tags(kind: str) -> str:  # one tag per template item of that kind
        return ", ".join(_TAGS[kind] for heading, k in sections if k == kind)

    front = [
        "---",
        f"id: {aid}",
        f"lang: {lang}",
        f'title: "TODO: the title in {language}"',
        f'summary: "TODO: one sentence in {language}"',
        f"category: {category}",
        "related: []  # at least two ids of related causes",
        "sources: []  # he-seed, ar-seed",
        "keywords: []  # words and synonyms searchers use",
        f"reviewed: {today.isoformat()}",
        f"sign_tags: [{tags('checklist')}]  # phase/role of each warning sign, in order",
        f"step_tags: [{tags('steps')}]  # phase/role of each prevention step, in order",
        "---",
        "",
    ]
    body = []
    for heading, kind in sections:
        body += [f"## {heading}", "", _BODY[kind].format(language=language), ""]
    return "\n".join(front + body)


def new_article(root: Path, kb: KnowledgeBase, aid: str, category: str, today: dt.date | None = None) -> list[Path]:
    """Write the article ``aid`` in every language from the template; the files written."""
    if not is_valid_id(aid):
        raise AuthoringError(f"'{aid}' is not a valid id (lower-case letters, digits and hyphens)")
    if kb.category(category) is None:
        raise AuthoringError(f"unknown category '{category}'; use one of {', '.join(c.id for c in kb.categories)}")
    paths = [Path(root) / lang / f"{aid}.md" for lang in LANGUAGES]
    existing = [str(p) for p in paths if p.exists()]
    if existing or kb.translations(aid):
        raise AuthoringError(f"article '{aid}' already exists ({', '.join(existing) or 'in the content'})")
    plans = {lang: section_plan(kb, lang) for lang in LANGUAGES}
    today = today or dt.date.today()
    for lang, path in zip(LANGUAGES, paths, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_template(aid, lang, category, plans[lang], today), encoding="utf-8")
    return paths
