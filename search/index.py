"""The Whoosh index: one per language, built together and swapped in atomically.

Layout of ``KB_INDEX_DIR``::

    build-20261122T101500-1a2b/    a complete build: he/ ar/ en/ and meta.json
    current -> build-...           a symlink, replaced atomically (os.replace)
    .build-*                       a build in progress (removed if abandoned)

A build is written beside the live one and only becomes live when it is
complete, so an interrupted or failed ``kb index`` never damages what is
being served. ``meta.json`` records the analyzer version and a fingerprint
of the content, so a server can tell that its index is stale.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gc
import hashlib
import json
import os
import shutil
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.system import pack_uint

from kb.loader import fingerprint
from kb.model import LANGUAGES, Article, KnowledgeBase

from .analysis import ANALYZER_VERSION, stem_analyzer, surface_analyzer, variants
from .errors import IndexCorrupt, IndexMissing, IndexUnwritable
from .live import CURRENT, META, BuildInfo, check_fresh, current_build, current_name, file_sizes, open_indexes
from .words import text_words

#: Searchable parts of an article, most important first (their weights: :data:`search.ranking.FIELD_WEIGHTS`).
PARTS = ("title", "keywords", "summary", "headings", "body")
KEEP_BUILDS = 2
#: From this many articles in a language, builds index in several processes.
PARALLEL_FROM = 500
#: Postings each indexing process sorts in memory before spilling a run to disk, in Whoosh's estimate
#: (real use is about the same). Spilled runs are merged back with pickle and heapq: at 10,000 articles
#: the default 128 MB spills several runs per process and the build takes half again as long.
POOL_MB = 1024


__all__ = [
    "CURRENT",
    "META",
    "PARTS",
    "BuildInfo",
    "PartText",
    "build",
    "check_fresh",
    "current_build",
    "current_name",
    "document_for",
    "open_indexes",
    "schema",
    "update",
]


class PartText(str):
    """The text of one part of an article, given to both of the part's fields: the first field to index
    it finds its words (:func:`search.words.text_words`), the second reads them from here."""

    def words(self, lang: str) -> list[tuple[str, int]]:
        """(surface form, position) of each indexed word (function words left out)."""
        found = self.__dict__.get("_words")
        if found is None or found[0] != lang:
            found = self._words = (lang, [(w.form, w.position) for w in text_words(self, lang) if not w.stop])
        return found[1]


def _indexed_words(value, lang: str) -> list[tuple[str, int]]:
    if isinstance(value, PartText):
        return value.words(lang)
    return [(w.form, w.position) for w in text_words(value, lang) if not w.stop]


class ExactText(TEXT):
    """Surface forms with positions (exact matches, phrases).

    Indexes what Whoosh would with its analyzer (the tests compare the two),
    from the words a :class:`PartText` already holds.
    """

    def __init__(self, lang: str) -> None:
        super().__init__(analyzer=surface_analyzer(lang), phrase=True)
        self.lang = lang

    def index(self, value, **kwargs):
        positions = defaultdict(list)
        for word, pos in _indexed_words(value, self.lang):
            positions[word].append(pos)
        boost = self.format.field_boost
        for word, found in positions.items():
            yield word.encode("utf-8"), len(found), len(found) * boost, self.format.encode(found)


class ReadingText(TEXT):
    """Every reading of every word, counted per distinct word rather than per occurrence."""

    def __init__(self, lang: str) -> None:
        super().__init__(analyzer=stem_analyzer(lang), phrase=False)
        self.lang = lang

    def index(self, value, **kwargs):
        counts: Counter[str] = Counter()
        for word, n in Counter(word for word, _ in _indexed_words(value, self.lang)).items():
            for form in variants(word):
                counts[form] += n
        boost = self.format.field_boost
        for form, n in counts.items():
            yield form.encode("utf-8"), n, n * boost, pack_uint(n)


def schema(lang: str) -> Schema:
    """Each part twice: ``<part>_x`` holds surface forms (exact), ``<part>_s`` the readings (stemmed)."""
    fields = {
        "id": ID(stored=True, unique=True),
        "category": ID(stored=True),
        "title": STORED(),
        "summary": STORED(),
        "text": STORED(),
    }
    for part in PARTS:
        fields[f"{part}_x"] = ExactText(lang)
        fields[f"{part}_s"] = ReadingText(lang)
    return Schema(**fields)


def document_for(article: Article) -> dict:
    """The search document of one article (pure: no I/O)."""
    parts = {
        "title": article.title,
        "keywords": "\n".join(article.keywords),
        "summary": article.summary,
        "headings": "\n".join(h.text for h in article.headings),
        "body": article.text,
    }
    doc = {
        "id": article.id,
        "category": article.category or "",
        "title": article.title,
        "summary": article.summary,
        "text": article.text,
    }
    for part, value in parts.items():
        doc[f"{part}_x"] = doc[f"{part}_s"] = PartText(value)  # one object: its words are found once
    return doc


@contextmanager
def _lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _document_hash(doc: dict) -> str:
    return hashlib.sha1(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _documents(kb: KnowledgeBase) -> dict[str, dict[str, dict]]:
    return {lang: {a.id: document_for(a) for a in kb.in_language(lang)} for lang in LANGUAGES}


def build(kb: KnowledgeBase, root: Path, content_root: Path | None = None, progress=None) -> BuildInfo:
    """Index every article of ``kb`` into a new build under ``root`` and make it current.

    ``progress(lang, total)``, when given, is called as each language starts and returns a context
    manager whose value's ``update(n)`` is called as articles are indexed (a ``tqdm`` bar fits).
    A folder that cannot be written (read-only, full, not a folder) raises :class:`IndexUnwritable`,
    and the live index stays as it was.
    """
    return _publish(kb, Path(root), content_root, incremental=False, progress=progress)


def update(kb: KnowledgeBase, root: Path, content_root: Path | None = None, progress=None) -> BuildInfo:
    """Like :func:`build`, but starts from the current build and re-indexes only changed articles.

    The current build's files are hard-linked, not copied (Whoosh never
    rewrites a segment file), so this costs about the articles changed.
    Falls back to a full build when there is no usable current build.
    """
    return _publish(kb, Path(root), content_root, incremental=True, progress=progress)


def _publish(kb: KnowledgeBase, root: Path, content_root: Path | None, incremental: bool, progress) -> BuildInfo:
    if root.exists() and not root.is_dir():
        raise IndexUnwritable(f"the index folder {root} is a file, not a folder; set KB_INDEX_DIR to a folder")
    content = fingerprint(content_root or kb.root)  # before indexing: content changed meanwhile shows as stale
    try:
        with _lock(root):
            return _publish_locked(kb, root, content, incremental, progress or _no_progress)
    except OSError as exc:
        where = exc.filename or root
        raise IndexUnwritable(
            f"cannot write the search index in {root} ({exc.strerror or exc}: {where}); the live index is unchanged"
        ) from None


def _publish_locked(kb: KnowledgeBase, root: Path, content: str, incremental: bool, progress) -> BuildInfo:
    for stale in [*root.glob(".build-*"), *root.glob(f".{CURRENT}-*")]:  # left by a build killed midway
        if stale.is_symlink() or not stale.is_dir():
            stale.unlink(missing_ok=True)
        else:
            shutil.rmtree(stale, ignore_errors=True)
    base = _reusable_build(root) if incremental else None
    staging = root / f".build-{uuid.uuid4().hex[:8]}"
    try:
        documents = _documents(kb)
        hashes = {f"{lang}/{aid}": _document_hash(doc) for lang, docs in documents.items() for aid, doc in docs.items()}
        if base is None:
            _write_all(staging, documents, progress)
        else:
            shutil.copytree(base.path, staging, copy_function=os.link)
            _write_changes(staging, documents, hashes, base.hashes)
        now = dt.datetime.now(dt.UTC)
        meta = {
            "analyzer_version": ANALYZER_VERSION,
            "fingerprint": content,
            "built_at": now.isoformat(timespec="seconds"),
            "documents": {lang: len(docs) for lang, docs in documents.items()},
            "files": file_sizes(staging),
            "hashes": hashes,
        }
        (staging / META).unlink(missing_ok=True)  # a hard link to the base build's file
        (staging / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        final = _new_build_name(root, now)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _make_current(root, final)
    _prune(root, keep=final)
    return BuildInfo.read(final)


@contextmanager
def _no_progress(lang: str, total: int):
    yield _Silent()


class _Silent:
    def update(self, n: int = 1) -> None:
        pass


def _new_build_name(root: Path, now: dt.datetime) -> Path:
    """A build folder name that sorts by time and is not taken (builds are serialized by the lock)."""
    while True:
        final = root / f"build-{now:%Y%m%dT%H%M%S.%f}-{uuid.uuid4().hex[:8]}"
        if not final.exists():
            return final


def _reusable_build(root: Path) -> BuildInfo | None:
    try:
        info = BuildInfo.read(current_build(root))
    except (IndexMissing, IndexCorrupt):
        return None
    return info if info.analyzer_version == ANALYZER_VERSION and info.hashes else None


def _write_all(staging: Path, documents: dict, progress) -> None:
    for lang, docs in documents.items():
        (staging / lang).mkdir(parents=True)
        ix = whoosh_index.create_in(str(staging / lang), schema(lang))
        # Large builds use every core: Whoosh analyzes and indexes in worker processes, each writing a
        # segment of its own. The segments are not merged (a merge rewrites every posting, single-threaded):
        # searches read them together.
        procs = min(os.cpu_count() or 1, 4) if len(docs) >= PARALLEL_FROM else 1
        with _no_cycle_collection(), progress(lang, len(docs)) as bar:
            writer = ix.writer(limitmb=POOL_MB, procs=procs, multisegment=procs > 1)
            for doc in docs.values():
                writer.add_document(**doc)
                bar.update(1)
            writer.commit()


@contextmanager
def _no_cycle_collection():
    """Bulk indexing makes millions of small objects and no reference cycles: the cycle collector would
    only walk them, again and again (worker processes inherit the setting)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_changes(staging: Path, documents: dict, hashes: dict, old_hashes: dict) -> None:
    for lang, docs in documents.items():
        changed = [aid for aid in docs if old_hashes.get(f"{lang}/{aid}") != hashes[f"{lang}/{aid}"]]
        removed = [key.split("/", 1)[1] for key in old_hashes if key.startswith(f"{lang}/") and key not in hashes]
        if not changed and not removed:
            continue
        ix = whoosh_index.open_dir(str(staging / lang))
        writer = ix.writer(limitmb=64)
        for aid in removed:
            writer.delete_by_term("id", aid)
        for aid in changed:
            writer.update_document(**docs[aid])
        writer.commit()


def _make_current(root: Path, target: Path) -> None:
    link = root / f".{CURRENT}-{uuid.uuid4().hex[:8]}"  # a kill before the swap leaves it: the next build removes it
    os.symlink(target.name, link)
    try:
        os.replace(link, root / CURRENT)  # atomic: readers see the old build or the new one
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def _prune(root: Path, keep: Path) -> None:
    builds = sorted(p for p in root.glob("build-*") if p.is_dir())
    old = [p for p in builds if p != keep][: max(0, len(builds) - KEEP_BUILDS)]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
