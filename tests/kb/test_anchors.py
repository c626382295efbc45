"""Section anchors: the same in every language for the standard sections, the text anchors kept beside them."""

from __future__ import annotations

import re

import pytest

from kb.loader import load
from kb.markdown import SECTION_ANCHORS, parse, render, slugify
from kb.model import LANGUAGES

from ..conftest import REPO

KB = load(REPO / "content")
CAUSES = sorted({aid for (_, aid) in KB.articles if aid != "overview"})


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("article_id", CAUSES)
def test_every_cause_has_the_stable_section_anchors(lang, article_id):
    article = KB.get(lang, article_id)
    anchors = [s.heading.anchor for s in article.sections]
    has_example = len(article.sections) == 6
    assert anchors == [a for a in SECTION_ANCHORS if has_example or a != "example"]
    ids = _ids(article.html)
    for section in article.sections:
        assert ids.count(section.heading.anchor) == 1
        # The anchor made from the heading's text, which older links use, is still on the page.
        old = slugify(section.heading.text)
        assert section.heading.alias == ("" if old == section.heading.anchor else old)
        assert ids.count(old) == 1
        assert f'href="#{section.heading.anchor}"' in article.html
    assert len(ids) == len(set(ids))


def test_the_example_section_is_where_the_spec_puts_it():
    # The Hebrew seed's financial-services case belongs to unclear-goals.
    for lang in LANGUAGES:
        assert "example" in [s.heading.anchor for s in KB.get(lang, "unclear-goals").sections]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_section_link_survives_a_language_switch(lang):
    """The same fragment names the same section in each language's version."""
    texts = {lang: [s.heading.text for s in KB.get(lang, "inaccurate-data").sections if s.heading.anchor == "signs"]}
    assert len(texts[lang]) == 1
    assert texts[lang][0] != "signs"


def test_other_articles_keep_their_text_anchors():
    doc = parse("---\nid: x\n---\n\n## One\n\n## Two\n\n## Three\n")
    assert [s.heading.anchor for s in doc.sections] == ["one", "two", "three"]
    assert all(not s.heading.alias for s in doc.sections)
    overview = KB.get("en", "overview")
    assert [s.heading.anchor for s in overview.sections] == [slugify(s.heading.text) for s in overview.sections]


def test_a_five_section_shape_without_a_checklist_is_not_a_cause():
    doc = parse("---\nid: x\n---\n\n## A\n\n## B\n\n## C\n\n- x\n\n## D\n\n1. y\n\n## E\n")
    assert [s.heading.anchor for s in doc.sections] == ["a", "b", "c", "d", "e"]


def test_a_cross_link_can_point_at_a_section():
    doc = parse("---\nid: x\n---\n\nSee [[goals#signs]] and [[goals#signs|the signs]].\n")
    assert [link.target for link in doc.links] == ["goals", "goals"]
    html = render(doc, lambda t: (f"/en/{t}", "Goals") if t == "goals" else None)
    assert '<a class="xref" href="/en/goals#signs">Goals</a>' in html
    assert '<a class="xref" href="/en/goals#signs">the signs</a>' in html
