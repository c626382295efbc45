"""Snippets: the best passages of an article's text, escaped, with the query's words in ``<mark>``.

A passage is a window of one line (a paragraph, a list item, a heading), so
a heading never runs into the text below it. The best line has the most
distinct query words, its own forms counting above readings
(:data:`EXACT_WEIGHT`); a second line is shown when it holds a word the
first lacks (:data:`MAX_PASSAGES`). Windows open and close between words.
Each query word is marked once: not again in the same snippet, nor at all
when the title already shows it (``title_keys``). The title's own line is
never a passage.
"""

from __future__ import annotations

import bisect
from html import escape

from .highlight import EXACT, Marks, Match, line_starts

SNIPPET_CHARS = 220
MAX_PASSAGES = 2
#: A line's distinct words matched as themselves count this much more than those matched by a reading.
EXACT_WEIGHT = 2.0
#: A line this short without closing punctuation reads as a heading: it yields to a sentence that matches
#: as much.
HEADING_CHARS = 80
_CLOSING = ".!?:;…)\"'؟۔׃"
GAP = " … "


def snippet(
    text: str,
    found: list[Match],
    marks: Marks | None = None,
    width: int = SNIPPET_CHARS,
    title: str = "",
    title_keys: frozenset[str] = frozenset(),
) -> str | None:
    """HTML of the best passages of ``text`` for the matches ``found`` (None: no line but the title's
    matched)."""
    lines = text.split("\n")
    offsets = line_starts(lines)
    by_line: dict[int, list[Match]] = {}
    for match in found:
        if lines[match.line].strip() != title.strip() or not title:
            by_line.setdefault(match.line, []).append(match)
    if not by_line:
        return None
    chosen = _choose(by_line, lines, marks)
    each = width if len(chosen) == 1 else width // len(chosen)
    covered = set(title_keys)
    out = []
    for n in chosen:
        line, base = lines[n], offsets[n]
        lead, end = _window(line, [(m.start - base, m.end - base) for m in by_line[n]], each)
        out.append((base + lead, base + end, _render(line, lead, end, by_line[n], base, marks, covered)))
    html = ""
    for i, (start, _, passage) in enumerate(out):
        if i:
            html += GAP  # two lines, even adjacent ones (a heading and its text), never run together
        elif start > 0:
            html += GAP.lstrip()
        html += passage
    return html + (GAP.rstrip() if out[-1][1] < len(text.rstrip()) else "")


def _choose(by_line: dict[int, list[Match]], lines: list[str], marks: Marks | None) -> list[int]:
    """The best line, then the best of those holding a query word it lacks (at most :data:`MAX_PASSAGES`)."""

    def forms(n: int) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for m in by_line[n]:
            kinds[m.form] = max(kinds.get(m.form, 0), m.kind)
        return kinds

    def keys(n: int) -> set[str]:
        return set().union(*(marks.keys(f) if marks is not None else {f} for f in forms(n)))

    def score(n: int) -> tuple[float, int]:
        value = sum(EXACT_WEIGHT if kind == EXACT else 1.0 for kind in forms(n).values())
        line = lines[n].strip()
        if len(line) < HEADING_CHARS and not line.endswith(tuple(_CLOSING)):
            value -= 0.5
        return value, -n

    ranked = sorted(by_line, key=score, reverse=True)
    chosen, shown = [ranked[0]], keys(ranked[0])
    for n in ranked[1:]:
        if len(chosen) >= MAX_PASSAGES:
            break
        if not keys(n) <= shown:
            chosen.append(n)
            shown |= keys(n)
    return sorted(chosen)


def _window(line: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """(start, end) of the window of ``line`` holding the most matches, both between words."""
    ends = [e for _, e in spans]
    best, best_count = 0, -1
    for i, (start, _) in enumerate(spans):
        count = bisect.bisect_right(ends, start + width) - i
        if count > best_count:
            best, best_count = i, count
    first = spans[best][0]
    lead = max(0, first - width // 4)
    lead = line.rfind(" ", 0, lead + 1) + 1 if lead > 0 else 0  # at a word's start
    end = lead + width
    if end >= len(line):
        return lead, len(line)
    space = line.rfind(" ", lead, end)
    if space > spans[best][1]:
        return lead, space
    space = line.find(" ", max(end, spans[best][1]))  # one long word: to its end, never inside it
    return lead, len(line) if space < 0 else space


def _render(line: str, lead: int, end: int, found: list[Match], base: int, marks, covered: set) -> str:
    out, cursor = [], lead
    for m in found:
        s, e = m.start - base, m.end - base
        if s < cursor or e > end:
            continue
        keys = marks.keys(m.form) if marks is not None else frozenset({m.form})
        if keys and keys <= covered:
            continue  # marked already, here or in the title
        covered |= keys
        out.append(escape(line[cursor:s]))
        out.append(f"<mark>{escape(line[s:e])}</mark>")
        cursor = e
    out.append(escape(line[cursor:end]))
    return "".join(out).strip()


def clip(text: str, width: int = SNIPPET_CHARS) -> str:
    """HTML: the start of ``text`` (no marks), ended between words."""
    flat = " ".join(text.split("\n"))
    if len(flat) <= width:
        return escape(flat)
    end = flat.rfind(" ", 0, width)
    if end <= 0:
        end = flat.find(" ", width)
        end = len(flat) if end < 0 else end
    return escape(flat[:end]) + (GAP.rstrip() if end < len(flat) else "")


__all__ = ["EXACT_WEIGHT", "MAX_PASSAGES", "SNIPPET_CHARS", "clip", "snippet"]
