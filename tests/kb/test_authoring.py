"""The authoring workflow: ``kb new``, placeholders in ``kb check``, ``kb translated`` and stale translations."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from kb.cli import main
from kb.frontmatter import FIELDS


def kb(*args: str):
    return CliRunner().invoke(main, list(args))


def test_kb_new_writes_every_language_with_every_field_and_section(corpus):
    result = kb("new", "pricing-gap", "--category", "data", "--content", str(corpus.root))
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line.startswith("created")] == [
        f"created {corpus.root / lang / 'pricing-gap.md'}" for lang in ("he", "ar", "en")
    ]
    assert "kb translated he/pricing-gap" in result.output
    kb_ = corpus.load()
    for lang in ("he", "ar", "en"):
        text = corpus.read(f"{lang}/pricing-gap.md")
        for field in FIELDS:
            assert field.name in text or not (field.required or field.causes_only)
        new = kb_.get(lang, "pricing-gap")
        reference = kb_.get(lang, "goals")
        assert [s.heading.text for s in new.sections] == [s.heading.text for s in reference.sections]
        assert new.category == "data"


def test_kb_check_lists_what_is_still_to_fill_in(corpus):
    kb("new", "pricing-gap", "--category", "data", "--content", str(corpus.root))
    mine = sorted(
        (p for p in corpus.problems() if p.startswith("content/he/pricing-gap.md")),
        key=lambda p: int(p.split(":")[1]),
    )
    assert mine == [
        "content/he/pricing-gap.md:4: warning: still to fill in: title",
        "content/he/pricing-gap.md:5: warning: still to fill in: summary",
        "content/he/pricing-gap.md:7: error: related must list at least two ids",
        "content/he/pricing-gap.md:8: warning: still to fill in: sources (he-seed, ar-seed)",
        "content/he/pricing-gap.md:9: warning: still to fill in: keywords (words searchers use)",
        "content/he/pricing-gap.md:17: warning: still to fill in: section 'מה הבעיה'",
        "content/he/pricing-gap.md:21: warning: still to fill in: section 'סימני אזהרה'",
        "content/he/pricing-gap.md:25: warning: still to fill in: section 'סיבות קשורות'",
    ]
    corpus.edit("he/pricing-gap.md", 'title: "TODO: the title in Hebrew"', "title: פער תמחור")
    corpus.edit("he/pricing-gap.md", "TODO: write this section in Hebrew.", "המחיר אינו משקף את הערך.")
    remaining = [p for p in corpus.problems() if p.startswith("content/he/pricing-gap.md")]
    assert not any("title" in p or "מה הבעיה" in p for p in remaining)
    assert len(remaining) == 6
    assert kb("check", "--content", str(corpus.root)).exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["goals", "--category", "data"], "Error: article 'goals' already exists"),
        (["new-one", "--category", "nope"], "Error: unknown category 'nope'; use one of strategy, data"),
        (["New_One", "--category", "data"], "Error: 'New_One' is not a valid id"),
    ],
)
def test_kb_new_refuses(corpus, args, message):
    result = kb("new", *args, "--content", str(corpus.root))
    assert result.exit_code == 2 and result.output.startswith(message)
    assert not (corpus.root / "en" / "new-one.md").exists()


def test_a_translation_is_stale_once_its_source_changes(corpus):
    result = kb("translated", "he/goals", "ar/goals", "--content", str(corpus.root))
    assert result.exit_code == 0, result.output
    marker = corpus.read("he/goals.md").split("translated_from: ", 1)[1].split("\n", 1)[0]
    assert marker.startswith("en@") and len(marker) == 15
    assert corpus.problems() == []
    # The review date is not content: no warning.
    corpus.edit("en/goals.md", "reviewed: 2026-11-22", "reviewed: 2026-11-30")
    assert corpus.problems() == []
    corpus.edit("en/goals.md", "Goals that are vague.", "Goals that are vague and unmeasured.")
    stale = [p for p in corpus.problems() if "may be stale" in p]
    assert [p.split(":", 2)[:2] for p in stale] == [["content/ar/goals.md", "13"], ["content/he/goals.md", "13"]]
    assert "run 'kb translated he/goals'" in stale[1]
    # Translated again: fresh.
    kb("translated", "he/goals", "ar/goals", "--content", str(corpus.root))
    assert corpus.problems() == []


def test_the_warning_shows_the_source_diff_from_git(corpus, tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "start")
    kb("translated", "he/goals", "--content", str(corpus.root))
    git("add", "content")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "translated")
    corpus.edit("en/goals.md", "Goals that are vague.", "Goals that are vague and unmeasured.")
    monkeypatch.chdir(tmp_path)
    [stale] = [p for p in corpus.problems() if "may be stale" in p]
    assert (
        "\n    -Goals that are vague. See [[data]].\n    +Goals that are vague and unmeasured. See [[data]]." in stale
    )


def test_a_malformed_marker_is_an_error(corpus):
    corpus.edit("he/goals.md", "reviewed:", "translated_from: english\nreviewed:")
    assert any(
        p.startswith("content/he/goals.md:10: error: translated_from must be <source language>@<12 hex digits>")
        for p in corpus.problems()
    )


@pytest.mark.parametrize(
    ("target", "extra", "message"),
    [
        ("goals", [], "name a translation as <lang>/<id>"),
        ("fr/goals", [], "name a translation as <lang>/<id>"),
        ("he/nothing", [], "no such article"),
        ("en/goals", [], "cannot be a translation of itself"),
    ],
)
def test_kb_translated_refuses(corpus, target, extra, message):
    result = kb("translated", target, *extra, "--content", str(corpus.root))
    assert result.exit_code == 2 and message in result.output


def test_the_article_page_says_when_a_translation_may_be_stale(corpus, tmp_path):
    from search.index import build
    from web.app import create_app

    kb("translated", "he/goals", "--content", str(corpus.root))
    corpus.edit("en/goals.md", "Goals that are vague.", "Goals that are vague and unmeasured.")
    build(corpus.load(), tmp_path / "index", corpus.root)
    app = create_app(
        {"KB_CONTENT_DIR": str(corpus.root), "KB_INDEX_DIR": str(tmp_path / "index"), "KB_RECORDING": False}
    )
    client = app.test_client()
    assert "ייתכן שתרגום זה אינו עדכני" in client.get("/he/goals").get_data(as_text=True)
    assert "قد تكون هذه الترجمة غير محدَّثة" not in client.get("/ar/goals").get_data(as_text=True)
    assert "may be out of date" not in client.get("/en/goals").get_data(as_text=True)
