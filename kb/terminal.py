"""Showing Hebrew and Arabic on terminals that do not do bidi.

Most terminals print characters left to right as they come, so
right-to-left text reads backwards and Arabic letters stay unjoined. For
those, text is reordered into visual order (python-bidi) after Arabic is
shaped into its joined forms (arabic-reshaper). This module is the only
place that does so; JSON output always stays in logical order.
"""

from __future__ import annotations

import arabic_reshaper
from bidi import get_display

from .text import has_rtl


def visual(text: str) -> str:
    """``text`` in visual order, Arabic shaped; unchanged when it has no right-to-left letters."""
    if not has_rtl(text):
        return text
    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


def shown(text: str, enabled: bool) -> str:
    return visual(text) if enabled else text
