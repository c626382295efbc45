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
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.system import pack_uint

from kb.loader import fingerprint
from kb.model import LANGUAGES, Article, KnowledgeBase

from .analysis import ANALYZER_VERSION, stem_analyzer, surface_analyzer, surface_words, variants
from .errors import IndexCorrupt, IndexMissing, IndexStale

#: Searchable parts of an article, most important first, with their weights.
FIELD_WEIGHTS: dict[str, float] = {"title": 5.0, "keywords": 4.0, "summary": 3.0, "headings": 2.0, "body": 1.0}
CURRENT = "current"
META = "meta.json"
KEEP_BUILDS = 2
#: From this many articles in a language, builds index in several processes.
PARALLEL_FROM = 500
#: Postings each indexing process sorts in memory before spilling a run to disk, in Whoosh's estimate
#: (real use is about the same). Spilled runs are merged back with pickle and heapq: at 10,000 articles
#: the default 128 MB spills several runs per process and the build takes half again as long.
POOL_MB = 1024


#: Parts where a query word's skeletons are looked for (in the long body they match too many unrelated
#: words for what they add). Every part indexes them: a query spelled without vowel letters meets the
#: body's words through them.
SKELETON_PARTS = ("title", "keywords", "summary", "headings")


class ExactText(TEXT):
    """Surface forms with positions (exact matches, phrases).

    Indexes what its analyzer would (the tests compare the two), but from
    :func:`surface_words`, so the part's text is tokenized once for both of
    its fields.
    """

    def __init__(self, lang: str) -> None:
        super().__init__(analyzer=surface_analyzer(lang), phrase=True)
        self.lang = lang

    def index(self, value, **kwargs):
        positions = defaultdict(list)
        for word, pos in surface_words(value, self.lang):
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
        for word, n in Counter(word for word, _ in surface_words(value, self.lang)).items():
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
    for part in FIELD_WEIGHTS:
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
        doc[f"{part}_x"] = value
        doc[f"{part}_s"] = value
    return doc


@dataclass(frozen=True)
class BuildInfo:
    """What ``meta.json`` says about a build."""

    path: Path
    analyzer_version: str
    fingerprint: str
    built_at: str
    documents: dict
    hashes: dict

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
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorrupt(f"index at {path} is unreadable ({exc}); rebuild it with 'kb index'") from None


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


def build(kb: KnowledgeBase, root: Path, content_root: Path | None = None) -> BuildInfo:
    """Index every article of ``kb`` into a new build under ``root`` and make it current."""
    return _publish(kb, Path(root), content_root, incremental=False)


def update(kb: KnowledgeBase, root: Path, content_root: Path | None = None) -> BuildInfo:
    """Like :func:`build`, but starts from the current build and re-indexes only changed articles.

    The current build's files are hard-linked, not copied (Whoosh never
    rewrites a segment file), so this costs about the articles changed.
    Falls back to a full build when there is no usable current build.
    """
    return _publish(kb, Path(root), content_root, incremental=True)


def _publish(kb: KnowledgeBase, root: Path, content_root: Path | None, incremental: bool) -> BuildInfo:
    with _lock(root):
        for stale in root.glob(".build-*"):
            shutil.rmtree(stale, ignore_errors=True)
        base = _reusable_build(root) if incremental else None
        staging = root / f".build-{uuid.uuid4().hex[:8]}"
        try:
            documents = _documents(kb)
            hashes = {
                f"{lang}/{aid}": _document_hash(doc) for lang, docs in documents.items() for aid, doc in docs.items()
            }
            if base is None:
                _write_all(staging, documents)
            else:
                shutil.copytree(base.path, staging, copy_function=os.link)
                _write_changes(staging, documents, hashes, base.hashes)
            now = dt.datetime.now(dt.UTC)
            meta = {
                "analyzer_version": ANALYZER_VERSION,
                "fingerprint": fingerprint(content_root or kb.root),
                "built_at": now.isoformat(timespec="seconds"),
                "documents": {lang: len(docs) for lang, docs in documents.items()},
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


def _write_all(staging: Path, documents: dict) -> None:
    for lang, docs in documents.items():
        (staging / lang).mkdir(parents=True)
        ix = whoosh_index.create_in(str(staging / lang), schema(lang))
        # Large builds use every core: Whoosh analyzes and indexes in worker processes, each writing a
        # segment of its own. The segments are not merged (a merge rewrites every posting, single-threaded):
        # searches read them together.
        procs = min(os.cpu_count() or 1, 4) if len(docs) >= PARALLEL_FROM else 1
        with _no_cycle_collection():
            writer = ix.writer(limitmb=POOL_MB, procs=procs, multisegment=procs > 1)
            for doc in docs.values():
                writer.add_document(**doc)
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
    link = root / f".{CURRENT}-{uuid.uuid4().hex[:8]}"
    os.symlink(target.name, link)
    os.replace(link, root / CURRENT)  # atomic: readers see the old build or the new one


def _prune(root: Path, keep: Path) -> None:
    builds = sorted(p for p in root.glob("build-*") if p.is_dir())
    old = [p for p in builds if p != keep][: max(0, len(builds) - KEEP_BUILDS)]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)


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


def open_indexes(build_path: Path) -> dict:
    """The Whoosh index of each language in a build, each checked by reading it once."""
    indexes = {}
    for lang in LANGUAGES:
        try:
            ix = whoosh_index.open_dir(str(build_path / lang))
            with ix.searcher() as searcher:  # read postings and stored fields: damaged files fail here
                reader = searcher.reader()
                for part in FIELD_WEIGHTS:
                    for _ in zip(range(3), reader.lexicon(f"{part}_s"), strict=False):
                        pass
                for docnum in range(min(reader.doc_count_all(), 3)):
                    reader.stored_fields(docnum)
        except Exception as exc:  # Whoosh raises many kinds of errors for damaged files
            raise IndexCorrupt(
                f"the search index in {build_path} is damaged ({type(exc).__name__}: {exc}); rebuild it with 'kb index'"
            ) from None
        indexes[lang] = ix
    return indexes
