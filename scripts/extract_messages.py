"""Extract the interface strings into web/translations/messages.pot and update each language's .po.

    .venv/bin/python scripts/extract_messages.py

Run after adding or changing a string in web/ (templates or Python); then
translate the new entries in web/translations/{he,ar}/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
TRANSLATIONS = WEB / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2.ext:babel_extract")]


def extract() -> Catalog:
    catalog = Catalog(project="crm-failure-kb", charset="utf-8")
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(WEB), METHODS, options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}}, keywords=KEYWORDS
    ):
        catalog.add(message)
    return catalog


def main() -> None:
    template = extract()
    with open(TRANSLATIONS / "messages.pot", "wb") as handle:
        write_po(handle, template, omit_header=True, sort_output=True, no_location=True)
    for lang in ("he", "ar", "en"):
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with open(po, "rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with open(po, "wb") as handle:
            write_po(handle, catalog, omit_header=False, sort_output=True, no_location=True, ignore_obsolete=True)
    print(f"{len(template)} messages")


if __name__ == "__main__":
    main()
