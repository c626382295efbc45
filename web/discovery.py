"""What other programs read about the site: favicon, ``robots.txt``, ``sitemap.xml`` and OpenSearch.

- ``/favicon.ico`` answers with the site's SVG icon (``static/favicon.svg``,
  which every page links to), for programs that ask for it there;
- ``/robots.txt`` lets every crawler in and points at the sitemap;
- ``/sitemap.xml`` lists every page in every language (home, articles,
  categories, learning paths), each with its ``hreflang`` alternates;
- ``/<lang>/opensearch.xml`` lets a browser add the site's search in that
  language.

Every address in them is absolute, on ``KB_BASE_URL`` when it is set (see
:func:`web.app.external_url`).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, request, send_from_directory

from kb.languages import FALLBACK_ORDER, LANGUAGES

from .app import external_url
from .i18n import gettext as _

bp = Blueprint("discovery", __name__)
LANG = f"<any({','.join(LANGUAGES)}):lang>"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
#: Query arguments that make a different page (a search, a reading list, a health-check report, a part of a
#: long page), kept in its canonical address.
CANONICAL_ARGUMENTS = ("q", "category", "ids", "title", "sign", "part")
#: Of those, the ones another language's version does not share (its parts are cut differently).
OWN_ARGUMENTS = ("part",)


def x_default(endpoint: str, values: dict) -> str:
    """The page for a visitor whose language the site does not have (``hreflang="x-default"``): the home
    page's is the root, which chooses by ``Accept-Language``; any other page's is its first fallback."""
    if endpoint == "site.home":
        return external_url("site.root")
    return external_url(endpoint, **{**values, "lang": FALLBACK_ORDER[0]})


@bp.app_context_processor
def _head_links():
    return {"page_links": page_links}


def page_links() -> dict | None:
    """This page's absolute canonical address and its versions in every language (``None`` off the
    language pages)."""
    args = request.view_args or {}
    if not (request.endpoint or "").startswith("site.") or "lang" not in args:
        return None
    kept = {k: v for k, v in request.args.items() if k in CANONICAL_ARGUMENTS and v}
    values = {**kept, **args}
    shared = {k: v for k, v in values.items() if k not in OWN_ARGUMENTS}
    return {
        "canonical": external_url(request.endpoint, **values),
        "alternates": [(lang, external_url(request.endpoint, **{**shared, "lang": lang})) for lang in LANGUAGES],
        "x_default": x_default(request.endpoint, shared),
    }


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/robots.txt")
def robots():
    text = f"User-agent: *\nAllow: /\n\nSitemap: {external_url('discovery.sitemap')}\n"
    return Response(text, mimetype="text/plain")


def sitemap_pages(kb):
    """Every page worth finding: ``(endpoint, values without lang, last change or None)``."""
    yield "site.home", {}, None
    for aid in sorted({aid for (_lang, aid) in kb.articles}):
        reviewed = max(a.reviewed for a in kb.translations(aid).values())
        yield "site.article", {"article_id": aid}, reviewed
    for category in kb.categories:
        yield "site.category", {"category_id": category.id}, None
    for path in kb.paths:
        yield "site.path", {"path_id": path.id}, None


@bp.get("/sitemap.xml")
def sitemap():
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    kb = current_app.extensions["library"].kb
    for endpoint, values, changed in sitemap_pages(kb):
        versions = {lang: external_url(endpoint, lang=lang, **values) for lang in LANGUAGES}
        for lang in LANGUAGES:
            url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = versions[lang]
            if changed:
                ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = changed.isoformat()
            for other, href in versions.items():
                ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=other, href=href)
            default = x_default(endpoint, values)
            ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang="x-default", href=default)
    body = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/xml")


@bp.get(f"/{LANG}/opensearch.xml")
def opensearch(lang):
    ET.register_namespace("", OPENSEARCH_NS)
    root = ET.Element(f"{{{OPENSEARCH_NS}}}OpenSearchDescription")

    def add(tag: str, text: str | None = None, **attributes) -> None:
        ET.SubElement(root, f"{{{OPENSEARCH_NS}}}{tag}", attributes).text = text

    add("ShortName", opensearch_name())
    add("Description", _("Search the knowledge base"))
    add("InputEncoding", "UTF-8")
    add("Language", lang)
    add("Image", external_url("static", filename="favicon.svg"), width="64", height="64", type="image/svg+xml")
    search = external_url("site.search", lang=lang)
    add("Url", type="text/html", method="get", template=f"{search}?q={{searchTerms}}")
    own = external_url("discovery.opensearch", lang=lang)
    add("Url", type="application/opensearchdescription+xml", rel="self", template=own)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/opensearchdescription+xml")


def opensearch_name() -> str:
    """The search's name in the browser's list (OpenSearch allows 16 characters)."""
    return _("CRM failures")[:16]
