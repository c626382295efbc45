"""The content tree's data files: categories, learning paths and the search glossary.

Each is a YAML list in ``content/``; every entry carries text for the three
languages. Problems are reported with the file and line, like articles'.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from . import yamlsource
from .files import MAX_FILE_BYTES, read_limited
from .languages import LANGUAGES
from .markdown import is_valid_id
from .model import Category, Concept, LearningPath, Problem

CATEGORIES_FILE = "categories.yaml"
PATHS_FILE = "paths.yaml"
GLOSSARY_FILE = "glossary.yaml"
DATA_FILES = (CATEGORIES_FILE, PATHS_FILE, GLOSSARY_FILE)

Report = Callable[[Problem], None]


def _entries(path: Path, display: Path, report: Report) -> list:
    """The file's entries (mappings), or [] after reporting why there are none."""
    if not path.exists():
        report(Problem("error", display, None, "file is missing"))
        return []
    if not path.is_file():
        report(Problem("error", display, None, "cannot read: not a regular file"))
        return []
    try:
        raw = read_limited(path)
        if len(raw) > MAX_FILE_BYTES:
            report(Problem("error", display, None, f"file is too large (at most {MAX_FILE_BYTES} bytes)"))
            return []
        data = yamlsource.load(raw.decode("utf-8"))
    except OSError as exc:
        report(Problem("error", display, None, f"cannot read: {exc.strerror or exc}"))
        return []
    except UnicodeDecodeError:
        report(Problem("error", display, None, "invalid UTF-8"))
        return []
    except yaml.YAMLError as exc:
        report(Problem("error", display, yamlsource.error_line(exc), yamlsource.describe(exc)))
        return []
    if not isinstance(data, list):
        report(Problem("error", display, getattr(data, "line", 1), "expected a list of entries"))
        return []
    good = []
    for item, line in zip(data, data.lines, strict=True):
        if isinstance(item, dict):
            good.append(item)
        else:
            report(Problem("error", display, line, "each entry must be a mapping"))
    return good


def _per_language(entry, key: str, display: Path, report: Report) -> dict[str, str]:
    value = entry.get(key)
    line = entry.lines.get(key, entry.line)
    if not isinstance(value, dict):
        report(Problem("error", display, line, f"'{key}' must map each language ({', '.join(LANGUAGES)}) to a text"))
        return {}
    missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        report(Problem("error", display, line, f"'{key}' has no text for {', '.join(missing)}"))
    for extra in value:
        if extra not in LANGUAGES:
            report(Problem("warning", display, value.lines[extra], f"unknown language '{extra}' in '{key}'"))
    return {lang: str(value[lang]).strip() for lang in LANGUAGES if isinstance(value.get(lang), str)}


def _entry_id(entry, key: str, display: Path, report: Report, seen: set) -> str | None:
    value = entry.get(key)
    if not isinstance(value, str) or not is_valid_id(value):
        report(Problem("error", display, entry.line, f"'{key}' must be an id (lower-case letters, digits, hyphens)"))
        return None
    if value in seen:
        report(Problem("error", display, entry.lines[key], f"duplicate {key} '{value}'"))
        return None
    seen.add(value)
    return value


def load_categories(root: Path, report: Report) -> tuple[Category, ...]:
    display = Path(root.name) / CATEGORIES_FILE
    seen: set[str] = set()
    found = []
    for entry in _entries(root / CATEGORIES_FILE, display, report):
        cid = _entry_id(entry, "id", display, report, seen)
        title = _per_language(entry, "title", display, report)
        description = _per_language(entry, "description", display, report)
        if cid:
            found.append(Category(cid, title, description))
    return tuple(found)


def load_paths(root: Path, report: Report) -> tuple[tuple[LearningPath, list[int]], ...]:
    """Learning paths with the line of each step (steps are checked after articles load)."""
    display = Path(root.name) / PATHS_FILE
    seen: set[str] = set()
    found = []
    for entry in _entries(root / PATHS_FILE, display, report):
        pid = _entry_id(entry, "id", display, report, seen)
        title = _per_language(entry, "title", display, report)
        intro = _per_language(entry, "intro", display, report)
        steps = entry.get("steps")
        if not isinstance(steps, list) or not steps or not all(isinstance(s, str) for s in steps):
            report(
                Problem("error", display, entry.lines.get("steps", entry.line), "'steps' must be a list of article ids")
            )
            continue
        if pid:
            found.append((LearningPath(pid, title, intro, tuple(steps)), list(steps.lines)))
    return tuple(found)


def load_glossary(root: Path, report: Report) -> tuple[Concept, ...]:
    display = Path(root.name) / GLOSSARY_FILE
    seen: set[str] = set()
    found = []
    for entry in _entries(root / GLOSSARY_FILE, display, report):
        name = _entry_id(entry, "concept", display, report, seen)
        terms: dict[str, tuple[str, ...]] = {}
        for lang in LANGUAGES:
            value = entry.get(lang, [])
            if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
                report(
                    Problem("error", display, entry.lines.get(lang, entry.line), f"'{lang}' must be a list of terms")
                )
                continue
            terms[lang] = tuple(t.strip() for t in value)
        if sum(len(t) for t in terms.values()) < 2:
            report(Problem("warning", display, entry.line, "a concept needs at least two terms to be of use"))
        if name:
            found.append(Concept(name, terms))
    return tuple(found)
