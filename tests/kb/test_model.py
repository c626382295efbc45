"""The content model and Markdown rendering, in all three languages."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kb.languages import FALLBACK_ORDER, LANGUAGES, NATIVE_NAMES, RTL_LANGUAGES
from kb.markdown import parse, slugify
from kb.model import PHASES, ROLES, article_url, direction

TITLES = {"en": "Unclear goals", "he": "מטרות לא ברורות", "ar": "أهداف غير واضحة"}


def test_directions():
    assert RTL_LANGUAGES == {"he", "ar"}
    assert [direction(lang) for lang in ("he", "ar", "en")] == ["rtl", "rtl", "ltr"]
    assert direction("xx") == "ltr"


def test_the_language_registry():
    assert LANGUAGES == ("he", "ar", "en")
    assert NATIVE_NAMES == {"he": "עברית", "ar": "العربية", "en": "English"}
    assert FALLBACK_ORDER == ("en", "he", "ar")


def test_articles_are_values_that_change_only_with_their_file(corpus):
    first, again = corpus.load(), corpus.load()
    assert first.get("he", "goals") == again.get("he", "goals")
    assert len({first.get("he", "goals"), again.get("he", "goals")}) == 1  # usable as keys and in sets
    corpus.edit("he/goals.md", "title: מטרות לא ברורות", "title: מטרות עמומות")
    changed = corpus.load().get("he", "goals")
    assert changed != first.get("he", "goals")
    assert dataclasses.replace(changed, title=TITLES["he"]) == first.get("he", "goals")


def test_article_fields(corpus):
    article = corpus.load().get("ar", "goals")
    assert article.title == TITLES["ar"]
    assert article.category == "strategy"
    assert article.related == ("data", "strategy-gap")
    assert article.reviewed == dt.date(2026, 11, 22)
    assert article.url == "/ar/goals"
    assert article.dir == "rtl"
    assert [h.text for h in article.headings] == ["ما المشكلة", "علامات الإنذار", "أسباب ذات صلة"]
    assert [s.checklist for s in article.sections] == [0, 2, 0]


@pytest.mark.parametrize("lang", ["he", "ar", "en"])
def test_cross_link_renders_the_target_title_in_the_same_language(corpus, lang):
    kb = corpus.load()
    html = kb.get(lang, "strategy-gap").html
    assert f'<a class="xref" href="/{lang}/goals">{TITLES[lang]}</a>' in html


@pytest.mark.parametrize(
    ("lang", "shown"), [("en", "the goals article"), ("he", "המאמר על מטרות"), ("ar", "مقال الأهداف")]
)
def test_cross_link_with_shown_text(corpus, lang, shown):
    html = corpus.load().get(lang, "data").html
    assert f'<a class="xref" href="/{lang}/goals">{shown}</a>' in html


def test_broken_cross_link_renders_as_text_not_a_link():
    doc = parse("---\nid: x\n---\n\nSee [[nowhere|there]].\n")
    from kb.markdown import render

    assert render(doc, lambda target: None).strip() == '<p>See <span class="broken-link">there</span>.</p>'


def test_backlinks(corpus):
    kb = corpus.load()
    assert {a.id for a in kb.backlinks("he", "goals")} == {"data", "strategy-gap"}


def test_plain_text_uses_link_titles(corpus):
    text = corpus.load().get("he", "strategy-gap").text
    assert "ראו מטרות לא ברורות ו-נתונים גרועים." in text


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Warning signs", "warning-signs"),
        ("Why it makes CRM projects fail", "why-it-makes-crm-projects-fail"),
        ("סימני אזהרה", "סימני-אזהרה"),
        ("סִימָנֵי אַזְהָרָה", "סימני-אזהרה"),
        ("علامات الإنذار", "علامات-الإنذار"),
        ("عَلَامَاتُ الإنذار", "علامات-الإنذار"),
        ("!!!", "section"),
    ],
)
def test_heading_anchors_work_for_every_script(heading, anchor):
    assert slugify(heading) == anchor


def test_heading_anchors_are_unique_and_in_the_html():
    doc = parse("---\nid: x\n---\n\n## סימני אזהרה\n\n## סימני אזהרה\n")
    assert [h.anchor for h in doc.headings] == ["סימני-אזהרה", "סימני-אזהרה-1"]
    assert [h.line for h in doc.headings] == [5, 7]


def test_raw_html_is_not_rendered():
    from kb.markdown import render

    html = render(parse("---\nid: x\n---\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n"), lambda t: None)
    assert "<script>" not in html
    assert 'href="javascript' not in html


def test_a_hebrew_prefix_hyphened_to_a_latin_word_does_not_break_the_line():
    from kb.markdown import plain_text, render

    doc = parse("---\nid: x\n---\n\n## ה-CRM\n\nמערכת ה-CRM של 2017, ב-2017, e-mail ו-[link](/x-y)\n")
    html = render(doc, lambda t: None)
    assert html.count("ה-\u2060CRM") == 2 and "ב-\u20602017" in html  # heading and paragraph
    assert "e-mail" in html and 'href="/x-y"' in html and "\u2060" not in html.split(">")[0]  # Latin, links, ids
    assert "\u2060" not in plain_text(doc, lambda t: None)  # what search indexes is the text as written


def test_article_url():
    assert article_url("he", "unclear-goals") == "/he/unclear-goals"
    assert article_url("ar", "unclear-goals", "مثال") == "/ar/unclear-goals#مثال"


def test_warning_signs_and_steps_are_items_with_phase_and_role(corpus):
    corpus.edit("en/goals.md", "step_tags: []", "step_tags: [selection/sponsor, run/it]")
    corpus.write(
        "en/goals.md",
        corpus.read("en/goals.md")
        + "\n## How to prevent it\n\n1. **Name one KPI.** See [[data|the data]].\n2. **Measure it** every *month*.\n",
    )
    article = corpus.load().get("en", "goals")
    assert [(s.text, s.phase, s.role) for s in article.signs] == [
        ("Nobody can name the KPI.", "selection", "sponsor"),
        ("The goal is only efficiency.", "build", "project-manager"),
    ]
    assert article.signs[0].html == "Nobody can name the KPI."
    first, second = article.steps
    assert first.html == '<strong>Name one KPI.</strong> See <a class="xref" href="/en/data">the data</a>.'
    assert first.text == "Name one KPI. See the data."
    assert (first.phase, first.role) == ("selection", "sponsor")
    assert second.html == "<strong>Measure it</strong> every <em>month</em>."
    assert (second.phase, second.role) == ("run", "it")


def test_items_are_the_same_positions_in_every_language(corpus):
    kb = corpus.load()
    signs = {lang: kb.get(lang, "goals").signs for lang in LANGUAGES}
    assert signs["he"][0].text == "אף אחד לא יודע מה ה-KPI."
    assert signs["ar"][1].text == "الهدف هو الكفاءة فقط."
    assert {tuple((s.phase, s.role) for s in items) for items in signs.values()} == {
        (("selection", "sponsor"), ("build", "project-manager"))
    }
    assert kb.get("en", "data").signs == () and kb.get("en", "data").steps == ()


def test_the_phases_and_roles():
    assert PHASES == ("selection", "build", "go-live", "run")
    assert ROLES == ("sponsor", "project-manager", "key-user", "it", "vendor")
