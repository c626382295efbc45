"""The live build: which build ``current`` points at, what its ``meta.json`` says, and opening it.

Whoosh memory-maps segment files by default. A segment truncated under a
running server (a copy or rsync over the build folder) then kills the
process with SIGBUS the next time a page of it is read. Builds are opened
with ordinary file reads instead (:data:`USE_MMAP`): a damaged file is an
error, reported as :class:`IndexCorrupt`. ``meta.json`` records each file's
size, checked whenever a build is opened.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from kb.loader import fingerprint
from kb.model import LANGUAGES

from .analysis import ANALYZER_VERSION
from .errors import IndexCorrupt, IndexMissing, IndexStale

CURRENT = "current"
META = "meta.json"
#: Memory-map segment files (Whoosh's default). Off: see the module's docstring; bench/storage.py measures
#: what it costs.
USE_MMAP = False


@dataclass(frozen=True)
class BuildInfo:
    """What ``meta.json`` says about a build."""

    path: Path
    analyzer_version: str
    fingerprint: str
    built_at: str
    documents: dict
    hashes: dict
    files: dict = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> BuildInfo:
        try:
            data = json.loads((path / META).read_text(encoding="utf-8"))
            return cls(
                path,
                data["analyzer_version"],
                data["fingerprint"],
                data["built_at"],
                data["documents"],
                data.get("hashes", {}),
                data.get("files", {}),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorrupt(f"index at {path} is unreadable ({exc}); rebuild it with 'kb index'") from None


def file_sizes(build_path: Path) -> dict[str, int]:
    """The size of every file of each language's index in a build (recorded in ``meta.json``)."""
    sizes = {}
    for lang in LANGUAGES:
        for path in sorted((build_path / lang).iterdir()):
            if path.is_file() and not path.name.endswith("LOCK"):
                sizes[f"{lang}/{path.name}"] = path.stat().st_size
    return sizes


def verify_files(info: BuildInfo) -> None:
    """:class:`IndexCorrupt` unless every file ``meta.json`` lists is there, at the size it was built."""
    for name, size in info.files.items():
        try:
            found = os.stat(info.path / name).st_size
        except OSError:
            found = None
        if found != size:
            what = "is missing" if found is None else f"is {found} bytes, built as {size}"
            raise IndexCorrupt(
                f"the search index in {info.path} is damaged ({name} {what}); rebuild it with 'kb index'"
            )


def current_name(root: Path) -> str | None:
    """The name of the build the ``current`` link points at (None: there is no link)."""
    try:
        return os.readlink(Path(root) / CURRENT)
    except OSError:
        return None


def current_build(root: Path) -> Path:
    """The live build's folder, or :class:`IndexMissing`."""
    target = current_name(root)
    if target is None:
        raise IndexMissing(f"no search index in {root}; build it with 'kb index'")
    path = Path(root) / target
    if not path.is_dir():
        raise IndexMissing(f"the search index in {root} points at a missing build; rebuild it with 'kb index'")
    return path


def check_fresh(info: BuildInfo, content_root: Path) -> None:
    """:class:`IndexStale` unless the build matches these analyzers and this content."""
    if info.analyzer_version != ANALYZER_VERSION:
        raise IndexStale(
            f"the search index was built with analyzer version {info.analyzer_version}, this is {ANALYZER_VERSION}; "
            "rebuild it with 'kb index'"
        )
    if info.fingerprint != fingerprint(content_root):
        raise IndexStale("the content changed since the search index was built; rebuild it with 'kb index'")


def open_indexes(build_path: Path, info: BuildInfo | None = None) -> dict:
    """The Whoosh index of each language in a build, its files' sizes checked and each read once."""
    verify_files(info or BuildInfo.read(build_path))
    indexes = {}
    for lang in LANGUAGES:
        try:
            ix = FileStorage(str(build_path / lang), supports_mmap=USE_MMAP).open_index()
            with ix.searcher() as searcher:  # read postings and stored fields: damaged files fail here
                reader = searcher.reader()
                for name in reader.schema.scorable_names():
                    for _ in zip(range(3), reader.lexicon(name), strict=False):
                        pass
                for docnum in range(min(reader.doc_count_all(), 3)):
                    reader.stored_fields(docnum)
        except Exception as exc:  # Whoosh raises many kinds of errors for damaged files
            raise IndexCorrupt(
                f"the search index in {build_path} is damaged ({type(exc).__name__}: {exc}); rebuild it with 'kb index'"
            ) from None
        indexes[lang] = ix
    return indexes
