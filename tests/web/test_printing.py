"""Printed articles and booklets (the printable learning path): ids, links for paper, QR codes."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import segno

from kb.languages import LANGUAGES


@pytest.fixture(scope="module")
def public_app(real_app):
    """The real content served under a public address."""
    from web.app import create_app

    config = {k: real_app.config[k] for k in ("KB_CONTENT_DIR", "KB_INDEX_DIR")}
    return create_app({**config, "KB_BASE_URL": "https://kb.example.org"})


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path_id", ["first-week", "planning-and-delivery", "data-and-adoption"])
def test_every_id_of_a_booklet_is_unique_and_every_in_page_link_lands(public_app, lang, path_id):
    html = public_app.test_client().get(f"/{lang}/paths/{path_id}/print").get_data(as_text=True)
    ids = _ids(html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target
    steps = len(public_app.extensions["library"].kb.path(path_id).steps)
    for n in range(1, steps + 1):
        assert f'id="step-{n}"' in html
        # Each step's sections carry the step's prefix: #s3-signs is step 3's warning signs.
        if re.search(rf'id="s{n}-what"', html):
            assert f'id="s{n}-signs"' in html
    assert html.count('<article class="booklet-step"') == steps


@pytest.mark.parametrize(("lang", "note"), [("he", "ראו שלב 2"), ("ar", "انظر الخطوة 2"), ("en", "see step 2")])
def test_links_inside_the_booklet_say_see_step_and_the_others_print_their_address(public_app, lang, note):
    html = public_app.test_client().get(f"/{lang}/paths/first-week/print").get_data(as_text=True)
    # The overview (step 1) links to unclear-goals, step 2 of this path.
    assert f'<a class="xref" href="#step-2" data-print-note="{note}">' in html
    assert f'data-print-url="https://kb.example.org/{lang}/poor-scope-definition"' in html
    assert not re.search(r'data-print-url="/', html)
    for href in re.findall(r'<a class="xref" href="([^"]+)"', html):
        assert href.startswith(("#step-", "#s", f"/{lang}/")), href


def test_a_running_header_names_the_site_the_path_and_the_date(public_app):
    import datetime as dt

    html = public_app.test_client().get("/en/paths/data-and-adoption/print").get_data(as_text=True)
    running = re.findall(r'<p class="booklet-running print-only" hidden>(.*?)</p>', html)
    assert len(running) == 1 + 7  # the cover and each step
    assert "CRM failure knowledge base" in running[0] and "Data and adoption" in running[0]
    assert str(dt.date.today().year) in running[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_step_and_a_printed_article_carry_a_qr_code_of_the_live_page(public_app, lang):
    client = public_app.test_client()
    html = client.get(f"/{lang}/paths/first-week/print").get_data(as_text=True)
    steps = public_app.extensions["library"].kb.path("first-week").steps
    codes = re.findall(r'<figure class="print-qr print-only" hidden>\s*(<svg.*?</svg>)', html, re.S)
    assert len(codes) == len(steps)
    for step, code in zip(steps, codes, strict=True):
        url = f"https://kb.example.org/{lang}/{step}"
        expected = segno.make(url, error="m").svg_inline(scale=2, border=2, svgclass="qr-code", omitsize=False)
        assert code == expected.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
        assert len(code) < 3000
    article = client.get(f"/{lang}/unclear-goals").get_data(as_text=True)
    assert article.count('class="print-qr print-only"') == 1
    assert f"https://kb.example.org/{lang}/unclear-goals</bdi>" in article


def test_a_heading_that_repeats_the_title_is_marked_to_print_once(public_app):
    client = public_app.test_client()
    for lang in LANGUAGES:
        overview = public_app.extensions["library"].kb.get(lang, "overview")
        html = client.get(f"/{lang}/paths/first-week/print").get_data(as_text=True)
        repeats = overview.headings[0].text == overview.title
        assert ('<h2 class="repeats-title"' in html) == repeats, lang


def test_a_print_button_that_only_javascript_shows(client):
    for url in ("/en/goals", "/en/paths/basics/print"):
        html = client.get(url).get_data(as_text=True)
        assert '<button type="button" class="print-button" data-print hidden>Print</button>' in html
    assert 'media="print"' in client.get("/he/").get_data(as_text=True)
