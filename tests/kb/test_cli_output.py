"""The text that `kb search` and `kb analyze` print, in logical and in visual (--bidi) order."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kb.cli import main


def run(*args: str) -> list[str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.fixture(scope="module")
def search(corpus_index):
    content, index = corpus_index

    def search(*args: str) -> list[str]:
        return run("search", *args, "--content", str(content), "--index", str(index))

    return search


def test_search_lists_results_in_logical_order_when_not_on_a_terminal(search):
    total, title, snippet = search("רשומות", "--lang", "he")
    assert total == "1 result(s)"
    assert re.fullmatch(r" 1\. נתונים גרועים  \[data, \d+\.\d\d\]", title)
    # The passage with the match, apart from the heading above it ("מה הבעיה"), cut between words.
    assert snippet.startswith("    … *רשומות* ישנות.")


def test_search_with_bidi_prints_hebrew_in_visual_order(search):
    total, title, snippet = search("רשומות", "--lang", "he", "--bidi")
    assert total == "1 result(s)"
    assert re.fullmatch(r" 1\. םיעורג םינותנ  \[data, \d+\.\d\d\]", title)
    assert snippet.startswith("    … .תורטמ לע") and snippet.endswith(".תונשי *תומושר* …")
    assert search("רשומות", "--lang", "he", "--no-bidi")[1] == search("רשומות", "--lang", "he")[1]


def test_search_with_bidi_joins_arabic(search):
    lines = search("بيانات", "--lang", "ar", "--bidi")
    assert lines[0] == "1 result(s)"  # the two articles that only mention it in passing are listed apart
    assert re.fullmatch(
        r" 1\. \ufe94\ufe8c\ufef3\ufea9\ufead \ufe95\ufe8e\ufee7\ufe8e\ufef4\ufe91  \[data, \d+\.\d\d\]", lines[1]
    )
    # The passage, joined and reversed; the word is not marked again, the title shows it.
    assert "\ufe95\ufe8e\ufee7\ufe8e\ufef4\ufe92\ufedf\ufe8d" in lines[2] and "*" not in lines[2]
    assert [re.search(r"\[([a-z-]+),", line).group(1) for line in lines[1::2]] == ["data"]


def test_search_suggests_a_spelling(search):
    lines = search("recrods", "--lang", "en")
    assert lines[0] == "1 result(s)"
    assert lines[2].startswith("    … *Records* that are old.")
    assert lines[-1] == "did you mean: records"


def test_search_json_stays_in_logical_order(search):
    import json

    data = json.loads("\n".join(search("רשומות", "--lang", "he", "--json", "--bidi")))
    assert data["total"] == 1 and data["results"][0]["title"] == "נתונים גרועים"


def test_analyze_prints_position_offsets_kind_and_term():
    lines = run("analyze", "והלקוחות", "--lang", "he")
    assert lines[0] == "  0    0-8    surface והלקוחות"
    assert "  0    0-8    stem    לקוחות" in lines
    assert all(line.startswith("  0    0-8    ") for line in lines)


def test_analyze_with_bidi_reverses_each_term_only():
    logical = run("analyze", "והלקוחות", "--lang", "he", "--no-bidi")
    visual = run("analyze", "והלקוחות", "--lang", "he", "--bidi")
    assert visual[0] == "  0    0-8    surface תוחוקלהו"
    assert visual == [line[:14] + line[14:22] + line[22:][::-1] for line in logical]


def test_analyze_with_bidi_joins_arabic():
    assert (
        run("analyze", "العملاء", "--lang", "ar", "--bidi")[0]
        == "  0    0-7    surface \ufe80\ufefc\ufee4\ufecc\ufedf\ufe8d"
    )
    assert run("analyze", "العملاء", "--lang", "ar")[0] == "  0    0-7    surface العملاء"
