"""Snippets: a window of an article's text with the matched words in ``<mark>``.

The text is analyzed with the same chain as the index, so a word is marked
exactly when the search matched it, and the marks land on the original
characters (vowel marks and prefixes included).
"""

from __future__ import annotations

from html import escape

from .analysis import IcuTokenizer, variants
from .normalize import surface

SNIPPET_CHARS = 220
#: Lines with matches read before a snippet window is chosen.
MATCHED_LINES = 3


def matches(
    text: str, lang: str, surfaces: frozenset[str], readings: frozenset[str], lines: int = MATCHED_LINES
) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text`` the query matches (the same words the analyzers see).

    Reads the text a line (a paragraph, a list item) at a time and stops after
    ``lines`` lines with matches: a snippet shows one window, so the rest of a
    long article need not be analyzed.
    """
    found: list[tuple[int, int]] = []
    tokenizer = IcuTokenizer(lang)
    seen: dict[str, bool] = {}  # a word's verdict, by its spelling in the text
    offset, matched_lines = 0, 0
    for line in text.split("\n"):
        before = len(found)
        for start, end in tokenizer.spans(line):
            text_word = line[start:end]
            hit = seen.get(text_word)
            if hit is None:
                word = surface(text_word)
                hit = seen[text_word] = word in surfaces or not readings.isdisjoint(variants(word))
            if hit:
                found.append((offset + start, offset + end))
        offset += len(line) + 1
        if len(found) > before:
            matched_lines += 1
            if matched_lines >= lines:
                break
    return found


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """HTML: the window of ``text`` holding the most matches, escaped, matches in ``<mark>``."""
    if not spans:
        return escape(_clip(text, 0, width))
    best, best_count = 0, -1
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + width)
        if count > best_count:
            best, best_count = i, count
    start = spans[best][0]
    # Open the window a little before the first match, at a word boundary.
    lead = max(0, start - width // 4)
    if lead > 0:
        space = text.rfind(" ", 0, lead + 1)
        lead = space + 1 if space >= 0 and start - space < width // 2 else lead
    end = min(len(text), lead + width)
    if end < len(text):
        space = text.rfind(" ", lead, end)
        end = space if space > start else end
    inside = [(s, e) for s, e in spans if s >= lead and e <= end]
    out, cursor = [], lead
    for s, e in inside:
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    html = "".join(out).replace("\n", " ")
    return ("… " if lead > 0 else "") + html + (" …" if end < len(text) else "")


def _clip(text: str, start: int, width: int) -> str:
    if len(text) <= width:
        return text.replace("\n", " ")
    end = text.rfind(" ", start, start + width)
    end = end if end > start else start + width
    return text[start:end].replace("\n", " ") + " …"
