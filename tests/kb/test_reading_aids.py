"""The reading aids around the seed material: examples, the overview's symptom index, role-based paths."""

from __future__ import annotations

import re

import pytest

from kb.model import LANGUAGES

from .test_content import CAUSES, KB

EXAMPLE = {"en": "Example", "he": "דוגמה", "ar": "مثال"}
RELATED = {"en": "Related causes", "he": "סיבות קשורות", "ar": "أسباب ذات صلة"}
ILLUSTRATIVE = {"en": "Illustrative scenario", "he": "תרחיש להמחשה", "ar": "سيناريو توضيحي"}
SYMPTOMS = {
    "en": "What you see and the causes it may point to",
    "he": "מה רואים בפרויקט ולאילו סיבות זה עשוי להצביע",
    "ar": "ما تلاحظونه وإلى أي الأسباب قد يشير",
}
SEED_EXAMPLE = "unclear-goals"  # the one example that comes from a seed, not an illustrative scenario
LINK = re.compile(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]")


def _section_text(article, heading: str) -> str:
    """The Markdown of one level-2 section of an article, heading excluded."""
    body = article.path.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", body, flags=re.M | re.S)
    assert match, f"{article.path}: no section '{heading}'"
    return match.group(1).strip()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("article_id", CAUSES)
def test_every_cause_has_an_example_just_before_related_causes(lang, article_id):
    article = KB.get(lang, article_id)
    headings = [s.heading.text for s in article.sections]
    assert headings[-2:] == [EXAMPLE[lang], RELATED[lang]]
    example = _section_text(article, EXAMPLE[lang])
    first_line = example.splitlines()[0]
    if article_id == SEED_EXAMPLE:
        assert ILLUSTRATIVE[lang] not in example
    else:
        assert first_line.strip("*").startswith(ILLUSTRATIVE[lang] + ":"), first_line
        assert 80 <= article.sections[-2].words <= 150, article.sections[-2].words
        assert {m.group(1) for m in LINK.finditer(example)} <= set(CAUSES) - {article_id}


@pytest.mark.parametrize("article_id", sorted(set(CAUSES) - {SEED_EXAMPLE}))
def test_an_example_links_the_same_causes_in_every_language(article_id):
    links = {
        lang: [m.group(1) for m in LINK.finditer(_section_text(KB.get(lang, article_id), EXAMPLE[lang]))]
        for lang in LANGUAGES
    }
    assert len({tuple(v) for v in links.values()}) == 1, links


def _symptoms(lang: str) -> list[list[str]]:
    """The overview's symptom index: for each symptom, the causes it links, in order."""
    text = _section_text(KB.get(lang, "overview"), SYMPTOMS[lang])
    return [[m.group(1) for m in LINK.finditer(line)] for line in text.splitlines() if line.startswith("- ")]


def test_the_overview_symptom_index_points_every_symptom_to_one_to_three_causes():
    index = {lang: _symptoms(lang) for lang in LANGUAGES}
    assert 10 <= len(index["en"]) <= 15
    assert index["he"] == index["en"] and index["ar"] == index["en"]
    for causes in index["en"]:
        assert 1 <= len(causes) <= 3 and len(set(causes)) == len(causes)
        assert set(causes) <= set(CAUSES), causes


@pytest.mark.parametrize("path_id", ["sponsors-and-managers", "key-users"])
def test_role_based_paths(path_id):
    path = next(p for p in KB.paths if p.id == path_id)
    assert 5 <= len(path.steps) <= 8 and len(set(path.steps)) == len(path.steps)
    for lang in LANGUAGES:
        assert path.title[lang].strip() and path.intro[lang].strip()
        assert all(KB.get(lang, step) for step in path.steps)
