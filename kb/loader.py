"""Phase 1: read every file of the content tree.

``load(root)`` reads all articles and data files, collects every problem
(never stopping at the first), then hands over to :mod:`kb.links` to
resolve cross-links and translations once everything is known.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import frontmatter, links, yamlsource
from .datafiles import DATA_FILES, PATHS_FILE, load_categories, load_glossary, load_paths
from .errors import ConfigError, ContentErrors
from .files import MAX_FILE_BYTES, describe_size, read_limited
from .languages import LANGUAGES
from .markdown import ParsedDocument, parse
from .model import KnowledgeBase, Problem
from .text import BIDI_CONTROLS, INVISIBLE, first_invisible


@dataclass(frozen=True)
class Draft:
    """An article read and validated on its own, waiting to be linked."""

    front_matter: frontmatter.FrontMatter
    doc: ParsedDocument
    path: Path


def load(root: Path) -> KnowledgeBase:
    """Read and link the whole content tree. Problems are in ``kb.problems``."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError(f"content folder not found: {root}")
    problems: list[Problem] = []
    report = problems.append
    drafts: dict[tuple[str, str], Draft] = {}
    for path in sorted(root.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = path.relative_to(root)
        display = Path(root.name) / rel
        if not path.is_file():
            kind = "a broken link" if path.is_symlink() else "not a regular file"
            report(Problem("error", display, None, f"cannot read: {kind}"))
            continue
        size = _size(path)
        if size > MAX_FILE_BYTES and (path.suffix != ".md" if len(rel.parts) > 1 else str(rel) not in DATA_FILES):
            # Never read: a stray file (a dump, a video, a copied index) slows every check and fingerprint.
            report(Problem("warning", display, None, f"ignored: a {describe_size(size)} file in the content folder"))
            continue
        if len(rel.parts) == 1:
            continue  # data files and documentation (SOURCES.md) at the top
        lang = rel.parts[0]
        if lang not in LANGUAGES:
            if path.suffix == ".md":
                report(Problem("error", display, None, f"file outside the known languages ({', '.join(LANGUAGES)})"))
            continue
        if len(rel.parts) > 2 or path.suffix != ".md":
            where = "articles live directly in" if len(rel.parts) > 2 else "only .md files are read in"
            report(Problem("warning", display, None, f"ignored: {where} content/{lang}/"))
            continue
        draft = read_article(path, display, lang, report)
        if draft is None:
            continue
        key = (lang, draft.front_matter.id)
        if key in drafts:
            report(
                Problem(
                    "error",
                    display,
                    draft.front_matter.line("id"),
                    f"duplicate id '{key[1]}' (also in {drafts[key].path})",
                )
            )
            continue
        drafts[key] = draft
    categories = load_categories(root, report)
    paths = load_paths(root, report)
    glossary = load_glossary(root, report)
    articles = links.resolve(drafts, categories, paths, Path(root.name) / PATHS_FILE, report)
    return KnowledgeBase(
        root=root,
        articles=articles,
        categories=categories,
        paths=tuple(p for p, _ in paths),
        glossary=glossary,
        problems=tuple(problems),
    )


def load_strict(root: Path, strict: bool = False) -> KnowledgeBase:
    """Load, raising :class:`ContentErrors` when there are errors (or, if strict, warnings)."""
    kb = load(root)
    if kb.errors or (strict and kb.warnings):
        raise ContentErrors(list(kb.problems))
    return kb


def read_article(path: Path, display: Path, lang: str, report) -> Draft | None:
    """Read, decode, scan and parse one article file; ``None`` if it cannot be used."""

    def error(line: int | None, message: str) -> None:
        report(Problem("error", display, line, message))

    try:
        raw = read_limited(path)
    except OSError as exc:
        error(None, f"cannot read: {exc.strerror or exc}")
        return None
    if len(raw) > MAX_FILE_BYTES:
        error(None, f"file is too large (an article is at most {MAX_FILE_BYTES} bytes)")
        return None
    if b"\x00" in raw:
        error(raw[: raw.index(b"\x00")].count(b"\n") + 1, "binary file (NUL byte); articles are UTF-8 text")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        error(raw[: exc.start].count(b"\n") + 1, f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        column = first_invisible(line)
        if column is not None:
            bad = line[column]
            kind = "bidi control character" if ord(bad) in BIDI_CONTROLS else "invisible character"
            name = unicodedata.name(bad, "")
            error(number, f"{kind} U+{ord(bad):04X} {name} at column {column + 1}; remove it".replace("  ", " "))
    doc = parse(text)
    if doc.front_matter is None:
        error(1, "missing front matter: start the file with '---', the fields, and a closing '---'")
        return None
    first = doc.front_matter_lines[0] + 1
    try:
        meta = yamlsource.load(doc.front_matter, first_line=first)
    except yaml.YAMLError as exc:
        error(yamlsource.error_line(exc, first), yamlsource.describe(exc))
        return None
    if not isinstance(meta, dict):
        error(first, "front matter must be fields ('name: value' lines)")
        return None
    front_matter = frontmatter.validate(meta, display, lang, report)
    if front_matter is None:
        return None
    if doc.intro_words + sum(s.words for s in doc.sections) == 0:
        error(doc.front_matter_lines[1] + 1, "empty body: an article needs its sections")
        return None
    return Draft(front_matter, doc, display)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def fingerprint(root: Path) -> str:
    """A hash of every file in the content tree: it changes whenever any content changes.

    Files read as content (up to :data:`MAX_FILE_BYTES`) are hashed whole; a
    larger file, never read as content, by its size and modification time,
    so a stray large file costs one ``stat``, not reading it into memory.
    """
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            try:
                stat = path.stat()
                if stat.st_size > MAX_FILE_BYTES:
                    digest.update(f"{stat.st_size} {stat.st_mtime_ns}".encode())
                else:
                    digest.update(read_limited(path))
            except OSError as exc:  # unreadable: kb check reports it; here it is only a change
                digest.update(f"unreadable {exc.errno}".encode())
            digest.update(b"\0")
    return digest.hexdigest()[:32]


# INVISIBLE stays importable from here for search.normalize; its home is kb.text.
__all__ = ["INVISIBLE", "Draft", "fingerprint", "load", "load_strict", "read_article"]
