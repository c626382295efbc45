"""`kb check`: every rule, with its exact message and line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kb.cli import main


def test_the_corpus_is_clean(corpus):
    assert corpus.problems() == []
    assert len(corpus.load().articles) == 9


def test_unparseable_yaml_reports_the_line(corpus):
    corpus.edit("en/goals.md", "related: [data, strategy-gap]", "related: [data, strategy-gap")
    problems = corpus.problems()
    assert problems[0].startswith("content/en/goals.md:8: error: invalid YAML: while parsing a flow sequence")


def test_missing_front_matter(corpus):
    corpus.write("en/goals.md", "## What it is\n\nNo front matter here.\n")
    problems = corpus.problems()
    assert (
        "content/en/goals.md:1: error: missing front matter: start the file with '---', the fields, "
        "and a closing '---'" in problems
    )


def test_missing_field(corpus):
    corpus.edit("he/goals.md", "summary: מטרות שאי אפשר למדוד.\n", "")
    assert "content/he/goals.md:2: error: missing field 'summary' (one sentence)" in corpus.problems()


def test_unknown_field_suggests_the_known_one(corpus):
    corpus.edit("en/data.md", "keywords:", "keywrods:")
    problems = corpus.problems()
    assert "content/en/data.md:9: warning: unknown field 'keywrods' (did you mean 'keywords'?)" in problems
    assert any("missing field 'keywords'" in p for p in problems)


def test_mistyped_field(corpus):
    corpus.edit("ar/data.md", "related: [goals, strategy-gap]", "related: goals")
    assert "content/ar/data.md:7: error: field 'related' must be a list, e.g. [id-one, id-two], got a text" in (
        corpus.problems()
    )


def test_bad_date(corpus):
    corpus.edit("en/data.md", "reviewed: 2026-11-22", "reviewed: last tuesday")
    assert "content/en/data.md:10: error: field 'reviewed' must be a date YYYY-MM-DD, got 'last tuesday'" in (
        corpus.problems()
    )


def test_a_title_starting_with_an_exclamation_mark_is_a_title(corpus):
    corpus.edit("en/data.md", "title: Bad data", 'title: "!Important: read first"')
    corpus.edit("en/data.md", "keywords: [data quality]", 'keywords: ["!urgent", data quality]')
    assert corpus.problems() == []
    article = corpus.load().get("en", "data")
    assert article.title == "!Important: read first"
    assert article.keywords == ("!urgent", "data quality")


def test_every_field_error_is_reported_at_once(corpus):
    corpus.edit("en/data.md", "reviewed: 2026-11-22", "reviewed: soon")
    corpus.edit("en/data.md", "related: [goals, strategy-gap]", "related: [Goals!, strategy-gap]")
    corpus.edit("en/data.md", "title: Bad data", "title: [a, b]")
    problems = [p for p in corpus.problems() if p.startswith("content/en/data.md")]
    assert problems == [
        "content/en/data.md:4: error: field 'title' must be a single value, got a list",
        "content/en/data.md:7: error: field 'related' 'Goals!' is not a valid id"
        " (lower-case letters, digits and hyphens)",
        "content/en/data.md:10: error: field 'reviewed' must be a date YYYY-MM-DD, got 'soon'",
    ]


def test_id_must_match_file_name(corpus):
    corpus.edit("en/data.md", "id: data", "id: dta")
    assert "content/en/data.md:2: error: id 'dta' does not match the file name 'data.md'" in corpus.problems()


def test_lang_must_match_folder(corpus):
    corpus.edit("he/data.md", "lang: he", "lang: ar")
    assert "content/he/data.md:3: error: lang 'ar' does not match the folder 'he'" in corpus.problems()


def test_duplicate_ids(corpus):
    corpus.write("en/data-copy.md", corpus.read("en/data.md"))
    problems = corpus.problems()
    assert "content/en/data.md:2: error: duplicate id 'data' (also in content/en/data-copy.md)" in problems


def test_unknown_category(corpus):
    corpus.edit("en/goals.md", "category: strategy", "category: strategi")
    assert "content/en/goals.md:6: error: unknown category 'strategi' (did you mean 'strategy'?)" in corpus.problems()


def test_related_to_a_missing_article(corpus):
    corpus.edit("he/data.md", "related: [goals, strategy-gap]", "related: [gaols, strategy-gap]")
    assert "content/he/data.md:7: error: related: unknown id 'gaols' (did you mean 'goals'?)" in corpus.problems()


def test_cross_link_to_a_missing_article_reports_its_line(corpus):
    corpus.edit("ar/goals.md", "راجع [[data]]", "راجع [[dat]]")
    assert "content/ar/goals.md:17: error: cross-link: unknown id 'dat' (did you mean 'data'?)" in corpus.problems()


def test_article_missing_in_one_language(corpus):
    (corpus.root / "ar" / "strategy-gap.md").unlink()
    problems = corpus.problems()
    assert "content/en/strategy-gap.md: warning: no ar translation (expected content/ar/strategy-gap.md)" in problems
    # Arabic articles that link to it now point at nothing in Arabic.
    assert "content/ar/goals.md:7: warning: related 'strategy-gap' has no ar version" in problems


def test_translation_with_different_related_ids(corpus):
    corpus.edit("he/data.md", "related: [goals, strategy-gap]", "related: [strategy-gap, goals]")
    assert (
        "content/he/data.md:7: warning: translation differs from content/en/data.md: related is "
        "[strategy-gap, goals], not [goals, strategy-gap]" in corpus.problems()
    )


def test_translation_with_different_category(corpus):
    corpus.edit("ar/data.md", "category: data", "category: strategy")
    assert (
        "content/ar/data.md:6: warning: translation differs from content/en/data.md: category is 'strategy', "
        "not 'data'" in corpus.problems()
    )


def test_translation_with_a_section_more(corpus):
    corpus.write("he/strategy-gap.md", corpus.read("he/strategy-gap.md") + "\n## עוד\n\nטקסט.\n")
    assert (
        "content/he/strategy-gap.md:2: warning: translation differs from content/en/strategy-gap.md: 2 sections, "
        "not 1" in corpus.problems()
    )


def test_translation_with_a_warning_sign_less(corpus):
    corpus.edit("ar/goals.md", "- [ ] الهدف هو الكفاءة فقط.\n", "")
    assert (
        "content/ar/goals.md:19: warning: translation differs from content/en/goals.md: section 2 has 1 checklist "
        "items, not 2" in corpus.problems()
    )


def test_empty_body(corpus):
    text = corpus.read("en/strategy-gap.md")
    corpus.write("en/strategy-gap.md", text[: text.index("## What it is")])
    assert "content/en/strategy-gap.md:14: error: empty body: an article needs its sections" in corpus.problems()


def test_invalid_utf8(corpus):
    corpus.write("he/data.md", corpus.read("he/data.md").encode("utf-8").replace("רשומות".encode(), b"\xff\xfe", 1))
    assert "content/he/data.md:5: error: invalid UTF-8 (byte 0xff); save the file as UTF-8" in corpus.problems()


def test_bidi_control_character(corpus):
    corpus.edit("he/goals.md", "מטרות מעורפלות", "מטרות \u202eמעורפלות")
    assert (
        "content/he/goals.md:17: error: bidi control character U+202E RIGHT-TO-LEFT OVERRIDE at column 7; remove it"
        in corpus.problems()
    )


def test_invisible_character(corpus):
    corpus.edit("ar/data.md", "سجلات قديمة.", "سجلات\u200b قديمة.")
    assert (
        "content/ar/data.md:17: error: invisible character U+200B ZERO WIDTH SPACE at column 6; remove it"
        in corpus.problems()
    )


def test_file_outside_the_known_languages(corpus):
    corpus.write("fr/goals.md", corpus.read("en/goals.md"))
    assert "content/fr/goals.md: error: file outside the known languages (he, ar, en)" in corpus.problems()


def test_binary_file(corpus):
    corpus.write("en/data.md", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "content/en/data.md:3: error: binary file (NUL byte); articles are UTF-8 text" in corpus.problems()


def test_learning_path_with_unknown_step(corpus):
    corpus.edit("paths.yaml", "steps: [goals, data]", "steps: [goals, dta]")
    assert "content/paths.yaml:4: error: path 'basics': unknown id 'dta' (did you mean 'data'?)" in corpus.problems()


def test_category_missing_a_language(corpus):
    corpus.edit("categories.yaml", ", ar: البيانات}", "}")
    assert "content/categories.yaml:5: error: 'title' has no text for ar" in corpus.problems()


def test_every_problem_is_reported_at_once(corpus):
    corpus.edit("en/goals.md", "category: strategy", "category: strategi")
    corpus.edit("he/data.md", "lang: he", "lang: ar")
    corpus.write("fr/x.md", "x")
    problems = corpus.problems()
    assert "content/en/goals.md:6: error: unknown category 'strategi' (did you mean 'strategy'?)" in problems
    assert "content/he/data.md:3: error: lang 'ar' does not match the folder 'he'" in problems
    assert "content/fr/x.md: error: file outside the known languages (he, ar, en)" in problems


@pytest.mark.parametrize(
    ("strict", "code"),
    [(False, 0), (True, 1)],
)
def test_cli_exit_code_on_warnings(corpus, strict, code):
    corpus.edit("en/goals.md", "reviewed:", "author: someone\nreviewed:")
    kb = corpus.load()
    assert kb.errors == [] and kb.warnings
    args = ["check", "--content", str(corpus.root)] + (["--strict"] if strict else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code


def test_cli_lists_errors_and_exits_1(corpus):
    corpus.edit("en/data.md", "related: [goals, strategy-gap]", "related: [gaols, strategy-gap]")
    result = CliRunner().invoke(main, ["check", "--content", str(corpus.root)])
    assert result.exit_code == 1
    assert "content/en/data.md:7: error: related: unknown id 'gaols' (did you mean 'goals'?)" in result.output
    assert "Traceback" not in result.output


def test_cli_on_a_missing_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["check", "--content", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert f"Error: content folder not found: {tmp_path / 'nope'}" in result.output


# --- warning signs and steps: sign_tags / step_tags ------------------------------


def test_an_unknown_phase_or_role_suggests_the_known_one(corpus):
    corpus.edit("en/goals.md", "sign_tags: [selection/sponsor,", "sign_tags: [selction/sponsor,")
    corpus.edit("he/goals.md", "build/project-manager]", "build/projectmanager]")
    problems = corpus.problems()
    assert (
        "content/en/goals.md:11: error: sign_tags: unknown phase 'selction' (did you mean 'selection'?); "
        "use selection, build, go-live, run" in problems
    )
    assert (
        "content/he/goals.md:11: error: sign_tags: unknown role 'projectmanager' (did you mean 'project-manager'?); "
        "use sponsor, project-manager, key-user, it, vendor" in problems
    )


def test_a_tag_in_a_block_list_is_reported_on_its_own_line(corpus):
    corpus.edit(
        "ar/goals.md",
        "sign_tags: [selection/sponsor, build/project-manager]",
        ("sign_tags:\n  - selection/sponsor\n  - build/owner"),
    )
    assert (
        "content/ar/goals.md:13: error: sign_tags: unknown role 'owner'; use sponsor, project-manager, key-user, "
        "it, vendor" in corpus.problems()
    )


def test_a_tag_that_is_not_phase_slash_role(corpus):
    corpus.edit("en/goals.md", "build/project-manager]", "build]")
    assert (
        "content/en/goals.md:11: error: field 'sign_tags' 'build' is not a tag phase/role "
        "(e.g. build/project-manager)" in corpus.problems()
    )


def test_more_tags_than_warning_signs(corpus):
    corpus.edit("en/goals.md", "build/project-manager]", "build/project-manager, run/key-user]")
    assert (
        "content/en/goals.md:11: error: sign_tags has 3 tag(s) but the article has 2 warning signs ('- [ ]' items) "
        "(the first is on line 21): one tag per item" in corpus.problems()
    )


def test_step_tags_on_an_article_without_steps(corpus):
    corpus.edit("he/data.md", "step_tags: []", "step_tags: [run/it]")
    assert (
        "content/he/data.md:12: error: step_tags has 1 tag(s) but the article has 0 numbered steps: one tag per item"
        in corpus.problems()
    )


def test_a_warning_sign_added_without_its_tag(corpus):
    corpus.edit("he/goals.md", "- [ ] המטרה היא רק התייעלות.\n", "- [ ] המטרה היא רק התייעלות.\n- [ ] אין יעד.\n")
    problems = corpus.problems()
    assert (
        "content/he/goals.md:11: error: sign_tags has 2 tag(s) but the article has 3 warning signs ('- [ ]' items) "
        "(the first is on line 21): one tag per item" in problems
    )


def test_translation_with_different_tags(corpus):
    corpus.edit("ar/goals.md", "[selection/sponsor, build/project-manager]", "[selection/sponsor, run/key-user]")
    assert (
        "content/ar/goals.md:11: warning: translation differs from content/en/goals.md: sign_tags is "
        "[selection/sponsor, run/key-user], not [selection/sponsor, build/project-manager]" in corpus.problems()
    )
    assert not [p for p in corpus.problems() if "error" in p]


def test_sign_and_step_tags_are_required_on_a_cause(corpus):
    corpus.edit("en/goals.md", "sign_tags: [selection/sponsor, build/project-manager]\n", "")
    corpus.edit("en/data.md", "step_tags: []\n", "")
    problems = corpus.problems()
    assert (
        "content/en/goals.md:2: error: missing field 'sign_tags' (phase/role of each warning sign ('- [ ]' item), "
        "in order, e.g. [build/project-manager, run/key-user])" in problems
    )
    assert any(p.startswith("content/en/data.md:2: error: missing field 'step_tags'") for p in problems)


def test_the_overview_needs_no_tags(corpus):
    text = corpus.read("en/strategy-gap.md").replace("id: strategy-gap", "id: overview")
    text = text.replace("category: strategy\n", "").replace("sign_tags: []\nstep_tags: []\n", "")
    corpus.write("en/overview.md", text)
    assert not [p for p in corpus.problems() if p.startswith("content/en/overview.md") and "error" in p]
