"""Printed articles and booklets (the printable learning path): parts, ids, links for paper, QR codes."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import segno

from kb.languages import LANGUAGES

from .conftest import booklet_parts


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
    parts = booklet_parts(public_app.test_client(), f"/{lang}/paths/{path_id}/print")
    for html in parts:
        ids = _ids(html)
        assert [i for i, n in Counter(ids).items() if n > 1] == []
        for target in re.findall(r'href="#([^"]+)"', html):
            assert target in ids, target
        for n in map(int, re.findall(r'<article class="booklet-step" id="step-(\d+)"', html)):
            # Each step's sections carry the step's prefix: #s3-signs is step 3's warning signs.
            if re.search(rf'id="s{n}-what"', html):
                assert f'id="s{n}-signs"' in html
    # Every step once, in order, over the parts.
    steps = len(public_app.extensions["library"].kb.path(path_id).steps)
    shown = [int(n) for html in parts for n in re.findall(r'<article class="booklet-step" id="step-(\d+)"', html)]
    assert shown == list(range(1, steps + 1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_long_path_is_printed_in_parts_that_each_list_every_step(public_app, lang):
    client = public_app.test_client()
    path = public_app.extensions["library"].kb.path("key-users")
    parts = booklet_parts(client, f"/{lang}/paths/key-users/print")
    assert len(parts) >= 2  # eight whole articles weigh more than one page's budget
    for number, html in enumerate(parts, start=1):
        cover = html.split('<article class="booklet-step"', 1)[0]
        assert cover.count('<span class="step-number"') == len(path.steps)
        here = [int(n) for n in re.findall(r'<article class="booklet-step" id="step-(\d+)"', html)]
        for n, step in enumerate(path.steps, start=1):
            # A step of this part is linked on the page; one on another part links its article.
            target = f"#step-{n}" if n in here else f"/{lang}/{step}"
            assert f'<a href="{target}"><bdi>' in cover, (number, n)
        assert '<li><a aria-current="page">' in cover
    assert client.get(f"/{lang}/paths/key-users/print?part={len(parts) + 1}").status_code == 400
    for bad in ("0", "x", "", "1" * 5000, "١"):
        response = client.get(f"/{lang}/paths/key-users/print", query_string={"part": bad})
        assert response.status_code == 400, bad
        assert "no such part" in response.get_data(as_text=True) or lang != "en"


@pytest.mark.parametrize(("lang", "note"), [("he", "ראו שלב 2"), ("ar", "انظر الخطوة 2"), ("en", "see step 2")])
def test_links_inside_the_booklet_say_see_step_and_the_others_print_their_address(public_app, lang, note):
    html = public_app.test_client().get(f"/{lang}/paths/first-week/print").get_data(as_text=True)
    # The overview (step 1) links to unclear-goals, step 2 of this path, on the same part.
    assert f'<a class="xref" href="#step-2" data-print-note="{note}">' in html
    assert f'data-print-url="https://kb.example.org/{lang}/poor-scope-definition"' in html
    assert not re.search(r'data-print-url="/', html)
    for href in re.findall(r'<a class="xref" href="([^"]+)"', html):
        assert href.startswith(("#step-", "#s", f"/{lang}/")), href


def test_a_link_to_a_step_on_another_part_goes_to_its_article_and_prints_see_step(public_app):
    client = public_app.test_client()
    kb = public_app.extensions["library"].kb
    steps = {step: n for n, step in enumerate(kb.path("key-users").steps, start=1)}
    found = 0
    for html in booklet_parts(client, "/en/paths/key-users/print"):
        here = {int(n) for n in re.findall(r'<article class="booklet-step" id="step-(\d+)"', html)}
        for href, note in re.findall(r'<a class="xref" href="([^"]+)" data-print-note="see step (\d+)">', html):
            if href.startswith("/"):
                found += 1
                article_id = href.split("#")[0].rsplit("/", 1)[1]
                assert steps[article_id] == int(note) and int(note) not in here, href
            else:
                assert int(note) in here, href
    assert found > 0


def test_a_running_header_names_the_site_the_path_and_the_date(public_app):
    import datetime as dt

    parts = booklet_parts(public_app.test_client(), "/en/paths/data-and-adoption/print")
    running = [r for html in parts for r in re.findall(r'<p class="booklet-running print-only" hidden>(.*?)</p>', html)]
    assert len(running) == len(parts) + 7  # each part's cover and each step
    assert len(set(running)) == 1
    assert "CRM failure knowledge base" in running[0] and "Data and adoption" in running[0]
    assert str(dt.date.today().year) in running[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_step_and_a_printed_article_carry_a_qr_code_of_the_live_page(public_app, lang):
    client = public_app.test_client()
    html = "".join(booklet_parts(client, f"/{lang}/paths/first-week/print"))
    steps = public_app.extensions["library"].kb.path("first-week").steps
    codes = re.findall(r'<figure class="print-qr print-only" hidden>\s*<img class="qr-code" src="([^"]+)"', html)
    assert len(codes) == len(steps)
    for step, code in zip(steps, codes, strict=True):
        # The QR code of the step's live page, as a small PNG (a crisp square per module when printed).
        expected = segno.make(f"https://kb.example.org/{lang}/{step}", error="m")
        assert code == expected.png_data_uri(scale=3, border=2)
        assert len(code) < 1000
    article = client.get(f"/{lang}/unclear-goals").get_data(as_text=True)
    assert article.count('class="print-qr print-only"') == 1
    assert f"https://kb.example.org/{lang}/unclear-goals</bdi>" in article


def test_an_articles_qr_code_is_made_once(public_app, monkeypatch):
    """A QR code costs several times the rest of an article page: each address's is made once."""
    made = []
    real = segno.make
    monkeypatch.setattr(segno, "make", lambda *args, **kwargs: made.append(args[0]) or real(*args, **kwargs))
    client = public_app.test_client()
    pages = [client.get("/he/unclear-goals").get_data(as_text=True) for _ in range(3)]
    assert pages[0] == pages[1] == pages[2]
    assert made.count("https://kb.example.org/he/unclear-goals") <= 1


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


def test_a_booklet_is_cut_in_order_into_the_fewest_even_parts_within_the_limit():
    from web.printing import cut

    assert cut([10, 10, 10, 10], 100) == [range(0, 4)]
    # Two parts are halves, not a full part and a remainder.
    assert cut([10, 10, 10, 10, 10, 10], 50) == [range(0, 3), range(3, 6)]
    assert cut([30, 5, 5, 30, 5, 5], 45) == [range(0, 3), range(3, 6)]
    # An item heavier than the limit is a part alone; nothing is dropped.
    assert cut([5, 90, 5], 50) == [range(0, 1), range(1, 2), range(2, 3)]
    for weights in ([7, 3, 9, 4, 8, 2, 6], [1] * 30, [40, 1, 40, 1, 40]):
        runs = cut(weights, 41)
        assert [i for run in runs for i in run] == list(range(len(weights)))
        assert all(sum(weights[i] for i in run) <= 41 for run in runs)
    assert cut([], 10) == [range(0, 0)]
