"""Interface strings in three languages: gettext catalogs (``translations/<lang>/LC_MESSAGES/messages.po``).

The ``.po`` files are the source; they are compiled in memory at start-up
with Babel, so there is no build step. Templates call ``_()`` and
``ngettext()``; the catalog used is the one of the page's language.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from flask import Request, g

from kb.languages import LANGUAGES, NATIVE_NAMES

TRANSLATIONS = Path(__file__).parent / "translations"
#: Each language's name in itself, for the language switcher.
LANGUAGE_NAMES = NATIVE_NAMES
#: The cookie that remembers the language a visitor last read.
LANG_COOKIE = "lang"


def negotiate_language(request: Request) -> str:
    """The language of a request: its path's first segment when it is a language, else the
    :data:`LANG_COOKIE` cookie, else the best match for ``Accept-Language``, else the first language."""
    first = request.path.strip("/").split("/", 1)[0]
    if first in LANGUAGES:
        return first
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def load_catalogs(folder: Path = TRANSLATIONS) -> dict[str, NullTranslations]:
    catalogs: dict[str, NullTranslations] = {}
    for lang in LANGUAGES:
        po = folder / lang / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            catalogs[lang] = NullTranslations()
            continue
        with open(po, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        catalogs[lang] = Translations(buffer)
    return catalogs


def _current() -> NullTranslations:
    return g.get("translations") or NullTranslations()


def gettext(message: str, **variables) -> str:
    """The message in the page's language, with ``%(name)s`` variables filled in."""
    text = _current().ugettext(message)
    return text % variables if variables else text


def raw_gettext(message: str) -> str:
    """For Jinja's new-style gettext, which fills in the variables itself."""
    return _current().ugettext(message)


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    return _current().ungettext(singular, plural, n)


def format_number(n: int) -> str:
    return format_decimal(n, locale=g.get("lang", "en"))


def format_day(day: dt.date) -> str:
    return format_date(day, format="long", locale=g.get("lang", "en"))
