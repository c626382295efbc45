"""The real knowledge base: structure of every article, parity of translations, the seed trace."""

from __future__ import annotations

import re

import pytest

from kb.loader import load
from kb.model import LANGUAGES, PHASES, ROLES, SOURCES

from ..conftest import REPO

KB = load(REPO / "content")
SOURCE_TEXTS = REPO / "content" / "sources"  # the source texts, one <source id>.txt each
CAUSES = sorted({aid for (_, aid) in KB.articles if aid != "overview"})


def test_the_repository_content_has_no_problem_at_all():
    assert [str(p) for p in KB.problems] == []


def test_twenty_causes_and_an_overview_in_three_languages():
    assert len(CAUSES) == 20
    for lang in LANGUAGES:
        assert {a.id for a in KB.in_language(lang)} == {*CAUSES, "overview"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("article_id", CAUSES)
def test_cause_article_structure(lang, article_id):
    article = KB.get(lang, article_id)
    words = sum(s.words for s in article.sections)
    assert 400 <= words <= 900, words
    assert len(article.sections) >= 5
    assert max(s.checklist for s in article.sections) >= 4  # warning signs
    assert max(s.steps for s in article.sections) >= 4  # how to prevent or fix it
    assert len(article.related) >= 2
    targets = {link.target for link in article.links} - {article_id}
    assert len(targets) >= 2 and set(article.related) <= targets
    assert article.keywords and article.summary and article.category


@pytest.mark.parametrize("article_id", CAUSES)
def test_every_warning_sign_and_step_is_tagged_the_same_in_every_language(article_id):
    versions = KB.translations(article_id)
    tags = {lang: [(i.phase, i.role) for i in a.signs + a.steps] for lang, a in versions.items()}
    assert len({tuple(t) for t in tags.values()}) == 1, tags
    en = versions["en"]
    assert 4 <= len(en.signs) <= 7 and len(en.steps) >= 4
    assert all(phase in PHASES and role in ROLES for phase, role in tags["en"])
    assert all(item.text and item.html for a in versions.values() for item in a.signs + a.steps)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_warning_sign_is_shared_by_two_causes(lang):
    seen: dict[str, str] = {}
    for article_id in CAUSES:
        for sign in KB.get(lang, article_id).signs:
            assert sign.text not in seen, (sign.text, seen.get(sign.text), article_id)
            seen[sign.text] = article_id


def test_the_overview_has_no_signs_or_steps():
    assert all(not a.signs and not a.steps for a in KB.translations("overview").values())


@pytest.mark.parametrize("article_id", CAUSES)
def test_translations_are_one_article(article_id):
    versions = KB.translations(article_id).values()
    shapes = {(a.category, a.related, a.sources, tuple((s.checklist, s.steps) for s in a.sections)) for a in versions}
    assert len(shapes) == 1


def test_overview_links_every_cause_in_every_language():
    for lang in LANGUAGES:
        assert {link.target for link in KB.get(lang, "overview").links} == set(CAUSES)


def test_categories_and_paths():
    assert [c.id for c in KB.categories] == [
        "strategy",
        "leadership",
        "planning",
        "people",
        "technology",
        "data",
        "customer",
    ]
    assert len(KB.paths) >= 3
    for path in KB.paths:
        assert all(KB.get(lang, step) for lang in LANGUAGES for step in path.steps)


def _seed_sentences(source_id: str) -> list[str]:
    text = (SOURCE_TEXTS / f"{source_id}.txt").read_text(encoding="utf-8")
    parts = re.split(r"(?<=[.!?:])\s+|\n+|·", text)
    return [p.strip(" -·.") for p in parts if len(p.strip(" -·.").split()) >= 3]


def test_every_source_id_has_its_text_and_only_those():
    assert sorted(p.name for p in SOURCE_TEXTS.iterdir()) == sorted(f"{source_id}.txt" for source_id in SOURCES)
    for source_id in SOURCES:
        assert len(_seed_sentences(source_id)) >= 20, source_id


def _bare(text: str) -> str:
    return " ".join(re.sub(r"[.,:;!?()\"'-]", " ", text).split())


def test_the_seed_trace_covers_every_seed_sentence():
    trace = (REPO / "content" / "SOURCES.md").read_text(encoding="utf-8")
    rows = [line for line in trace.splitlines() if re.match(r"\| [HA]", line)]
    pieces = [_bare(piece) for row in rows for piece in row.split("|")[2].split("…") if _bare(piece)]
    assert all("✗" not in row for row in rows)
    for row in rows:
        article = row.split("|")[3].strip()
        assert article in CAUSES or article == "overview", row
    uncovered = []
    for source_id in SOURCES:
        for sentence in _seed_sentences(source_id):
            sentence = _bare(sentence)
            if not any(piece in sentence or sentence in piece for piece in pieces):
                uncovered.append(sentence)
    assert uncovered == []
