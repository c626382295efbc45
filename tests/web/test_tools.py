"""The tools for trainers and trainees: health check, reading lists, glossary, tags and progress hooks."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from kb.loader import load
from web import healthcheck
from web.glossary import SHOWN
from web.healthcheck import MAX_SIGNS, STEPS_SHOWN
from web.readinglist import MAX_IDS, MAX_TITLE_CHARS

from ..conftest import REPO

LANGS = ["he", "ar", "en"]
RTL = {"he": "rtl", "ar": "rtl", "en": "ltr"}


@pytest.fixture(scope="module")
def real(real_app):
    return real_app.test_client()


@pytest.fixture(scope="module")
def kb():
    return load(REPO / "content")


def risk_ids(html: str) -> list[str]:
    """The causes of a report, in the order shown."""
    report = html.split('<section class="check-report"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<h2><a href="/[a-z]{2}/([a-z0-9-]+)">', report)


def untouched_ids(html: str) -> list[str]:
    block = html.split('<ul class="untouched">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="/[a-z]{2}/([a-z0-9-]+)"', block)


# --- The health check ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_check_form_lists_every_sign_of_every_cause(real, kb, lang):
    response = real.get(f"/{lang}/check")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{RTL[lang]}">' in html
    assert '<form class="check-form" method="get"' in html
    values = re.findall(r'<input type="checkbox" name="sign" value="([a-z0-9-]+\.[0-9]+)"', html)
    expected = [f"{a.id}.{n}" for a in kb.in_language(lang) if not a.is_overview for n in range(1, len(a.signs) + 1)]
    assert sorted(values) == sorted(expected) and len(expected) >= 80
    # Grouped by category: one heading per category, in the categories' order.
    headings = re.findall(r'<h3 id="check-([a-z-]+)">', html)
    assert headings == [c.id for c in kb.categories]
    assert "report-heading" not in html


def test_report_ranks_by_share_then_count(real, kb):
    causes = [a for a in kb.in_language("en") if not a.is_overview]
    whole, most, one = causes[5], causes[2], causes[9]
    signs = [f"{whole.id}.{n}" for n in range(1, len(whole.signs) + 1)]
    signs += [f"{most.id}.{n}" for n in range(1, len(most.signs))]  # all but one
    signs += [f"{one.id}.1"]
    query = "&".join(f"sign={s}" for s in reversed(signs))
    response = real.get(f"/en/check?{query}")
    # The form sends a value a sign; the report's URL has one a cause, its signs in order.
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.location).query)["sign"] == [
        f"{a.id}.{','.join(str(n) for n in range(1, k + 1))}"
        for a, k in sorted(
            [(whole, len(whole.signs)), (most, len(most.signs) - 1), (one, 1)], key=lambda c: causes.index(c[0])
        )
    ]
    html = real.get(response.location).get_data(as_text=True)
    assert risk_ids(html) == [whole.id, most.id, one.id]
    assert "<form" not in html.split("<main", 1)[1]  # the report alone; its link opens the form
    untouched = untouched_ids(html)
    assert len(untouched) == len(causes) - 3 and whole.id not in untouched
    # Each cause at risk shows its ticked signs, its prevention steps and a link to the article.
    report = html.split('<ol class="risks">', 1)[1]
    first = report.split('<li class="risk">')[1]
    assert unescape(whole.signs[0].html) in unescape(first) and unescape(whole.steps[-1].html) in unescape(first)
    assert "100%" in first


def test_report_ties_are_broken_by_the_number_ticked(kb):
    """Equal shares: more signs ticked first; equal again: the order of the causes on the form."""
    from dataclasses import replace

    causes = healthcheck.causes(kb, "en")
    short, full, other = causes[0], causes[3], causes[6]
    assert len(full.signs) >= 4 and len(other.signs) >= 4
    articles = dict(kb.articles)
    articles[("en", short.id)] = replace(short, signs=short.signs[:2])
    changed = replace(kb, articles=articles)
    ticked = {short.id: {1, 2}, full.id: set(range(1, len(full.signs) + 1)), other.id: {1}}
    risks, _ = healthcheck.report(changed, "en", ticked)
    assert [r.article.id for r in risks] == [full.id, short.id, other.id]
    assert [r.percent for r in risks][:2] == [100, 100]
    ticked = {other.id: {2}, full.id: {1}}
    risks, _ = healthcheck.report(changed, "en", ticked)
    assert [r.article.id for r in risks] == [full.id, other.id]


@pytest.mark.parametrize("lang", LANGS)
def test_report_in_every_language_and_switcher_keeps_the_signs(real, kb, lang):
    cause = next(a for a in kb.in_language(lang) if not a.is_overview)
    html = real.get(f"/{lang}/check?sign={cause.id}.1&sign={cause.id}.2", follow_redirects=True).text
    assert f'<html lang="{lang}" dir="{RTL[lang]}">' in html
    assert risk_ids(html) == [cause.id]
    assert cause.title in unescape(html)
    for other in LANGS:
        link = re.search(rf'<a href="([^"]+)" lang="{other}" hreflang="{other}"', html).group(1)
        parts = urlsplit(unescape(link))
        assert parts.path == f"/{other}/check"
        assert parse_qs(parts.query)["sign"] == [f"{cause.id}.1,2"]
    # "Change my answers": the form with the same signs ticked.
    edit = unescape(
        re.search(r'<a href="([^"]+)">[^<]+</a></p>', html.split('class="tools-screen report-actions"')[1]).group(1)
    )
    assert parse_qs(urlsplit(edit).query) == {"sign": [f"{cause.id}.1,2"], "edit": ["1"]}
    form = real.get(edit).text
    assert re.findall(r'value="([^"]+)" checked', form) == [f"{cause.id}.1", f"{cause.id}.2"]
    assert "report-heading" not in form


def test_report_gives_steps_for_the_causes_most_at_risk_and_links_the_others(real, kb):
    causes = healthcheck.causes(kb, "he")
    query = "&".join(f"sign={a.id}.1" for a in causes)
    html = real.get(f"/he/check?{query}", follow_redirects=True).text
    risks = html.split('<ol class="risks">', 1)[1].split("</section>", 1)[0].split('<li class="risk">')[1:]
    assert len(risks) == len(causes) > STEPS_SHOWN
    with_steps = [r for r in risks if '<ol class="risk-steps">' in r]
    assert len(with_steps) == STEPS_SHOWN and risks[:STEPS_SHOWN] == with_steps
    for risk, cause_id in zip(risks, risk_ids(html), strict=True):
        cause = kb.get("he", cause_id)
        assert unescape(cause.signs[0].html) in unescape(risk)  # every cause keeps its ticked signs
        if risk in with_steps:
            assert risk.count("<li>") == 1 + len(cause.steps) and f'href="/he/{cause_id}#prevent"' not in risk
        else:
            assert f'href="/he/{cause_id}#prevent"' in risk and unescape(cause.steps[0].html) not in unescape(risk)


def test_report_without_signs_says_so(real):
    html = real.get("/en/check?report=1").get_data(as_text=True)
    assert 'id="report-heading"' in html and "No warning sign is ticked" in html
    assert len(untouched_ids(html)) >= 20


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sign=no-such-cause.1", "Unknown cause: no-such-cause.1"),
        ("sign=unclear-goals.99", "This cause has no warning sign 99: unclear-goals.99"),
        ("sign=unclear-goals.0", "This cause has no warning sign 0"),
        ("sign=<script>", "Not a warning sign: &lt;script&gt;"),
        ("sign=" + "a" * 500, "Not a warning sign: " + "a" * 100 + "<"),
        ("phase=winter", "Unknown phase: winter"),
        ("role=cat", "Unknown role: cat"),
    ],
)
def test_bad_values_are_reported_on_the_page(real, query, message):
    response = real.get(f"/en/check?{query}&sign=unclear-goals.1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "<script>" not in html.split("<main", 1)[1]
    assert risk_ids(html) == ["unclear-goals"]


def test_too_many_signs_are_bounded(real):
    query = "&".join(["sign=unclear-goals.1"] * (MAX_SIGNS + 50))
    response = real.get(f"/en/check?{query}")
    assert response.status_code == 200
    assert f"Too many signs: only the first {MAX_SIGNS} were read." in response.get_data(as_text=True)


def test_filters_by_phase_and_role(client):
    """The corpus tags goals' two signs selection/sponsor and build/project-manager."""
    html = client.get("/en/check?phase=build").get_data(as_text=True)
    assert re.findall(r'name="sign" value="([^"]+)"', html) == ["goals.2"]
    html = client.get("/en/check?role=sponsor").get_data(as_text=True)
    assert re.findall(r'name="sign" value="([^"]+)"', html) == ["goals.1"]
    html = client.get("/en/check?phase=build&role=sponsor").get_data(as_text=True)
    assert "No warning sign has this phase and role." in html
    # A sign ticked but filtered out of view stays in the form, as a hidden field.
    html = client.get("/en/check?phase=build&sign=goals.1&edit=1").get_data(as_text=True)
    assert '<input type="hidden" name="sign" value="goals.1">' in html
    assert '<option value="build" selected>' in html


@pytest.mark.parametrize("phase", ["selection", "build", "go-live", "run"])
def test_real_signs_filter_by_their_tags(real, kb, phase):
    causes = [a for a in kb.in_language("ar") if not a.is_overview]
    expected = sorted(f"{a.id}.{n}" for a in causes for n, s in enumerate(a.signs, 1) if s.phase == phase)
    html = real.get(f"/ar/check?phase={phase}&role=").get_data(as_text=True)
    assert sorted(re.findall(r'name="sign" value="([^"]+)"', html)) == expected


@pytest.mark.parametrize(("lang", "phase", "role"), [("he", "בחירה", "נותן חסות"), ("ar", "الاختيار", "الراعي")])
def test_tags_are_translated_on_the_form_and_the_article(client, lang, phase, role):
    # The form: one short "phase · role" a sign, the key given once.
    html = client.get(f"/{lang}/check").text
    assert f'<small class="tag-line">{phase} · {role}</small>' in html and html.count('class="meta tag-key"') == 1
    html = client.get(f"/{lang}/goals").text
    assert '<span class="tag tag-phase">' in html
    assert phase in html and role in html


def test_article_body_carries_each_signs_tags_after_it(client):
    html = client.get("/en/goals").get_data(as_text=True)
    items = re.findall(r'<li class="task-list-item[^"]*">(.*?)</li>', html, re.S)
    assert len(items) == 2
    assert "Selection" in items[0] and "Sponsor" in items[0]
    assert "Build" in items[1] and "Project manager" in items[1]


def test_article_offers_the_reader_tools(client):
    html = client.get("/en/goals?path=basics").get_data(as_text=True)
    assert 'id="article-end"' in html and 'data-path="basics"' in html
    assert 'class="open-check" href="/en/check"' in html
    assert re.search(r'<script src="/static/tools.js" defer>', html)
    # The path's steps beside the article carry the read marks; the progress bar with its reset is the path's.
    assert re.search(r'<li data-article="goals"[^>]*><a href="/en/goals\?path=basics"', html)
    assert 'data-steps="goals,data"' not in html and 'data-steps="goals,data"' in client.get("/en/paths/basics").text


# --- Reading lists -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_reading_list_in_order_with_title(real, kb, lang):
    ids = ["unsuitable-software", "overview", "unclear-goals"]
    response = real.get(f"/{lang}/list?ids={','.join(ids)}&title=Week+1+%3Cb%3E")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{RTL[lang]}">' in html
    assert re.findall(r'<li data-article="([a-z0-9-]+)">', html) == ids
    assert "Week 1 &lt;b&gt;" in html and "<b>" not in html
    assert kb.get(lang, "unclear-goals").title in unescape(html)
    assert 'data-steps="unsuitable-software,overview,unclear-goals"' in html
    link = re.search(r'<a href="([^"]+)" lang="he" hreflang="he"', html).group(1)
    assert parse_qs(urlsplit(unescape(link)).query) == {"ids": [",".join(ids)], "title": ["Week 1 <b>"]}


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ("unclear-goals,nope", "No article has this id: nope"),
        ("unclear-goals,Bad_Id", "Not an article id: Bad_Id"),
        ("unclear-goals,unclear-goals", "Listed twice, kept once: unclear-goals"),
        ("unclear-goals,../etc", "Not an article id: ../etc"),
    ],
)
def test_bad_list_ids_are_reported(real, ids, message):
    response = real.get(f"/en/list?ids={ids}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in unescape(html)
    assert re.findall(r'<li data-article="([a-z0-9-]+)">', html) == ["unclear-goals"]


def test_list_size_and_title_are_bounded(real, kb):
    many = [f"id-{n}" for n in range(MAX_IDS + 5)]
    html = real.get(f"/en/list?ids={','.join(many)}&title={'x' * 1000}").get_data(as_text=True)
    assert f"A list holds at most {MAX_IDS} articles" in html
    heading = re.search(r"<h1><bdi>(x+)</bdi></h1>", html).group(1)
    assert heading == "x" * MAX_TITLE_CHARS
    assert real.get(f"/en/list?ids={'a,' * 5000}").status_code == 200


def test_list_without_ids_is_a_400(real):
    response = real.get("/en/list")
    assert response.status_code == 400
    assert "ids=" in response.get_data(as_text=True)


def test_list_maker_form_works_without_javascript(real, kb):
    html = real.get("/he/list/new").get_data(as_text=True)
    assert '<form class="list-form" method="get" action="/he/list">' in html
    values = re.findall(r'<input type="checkbox" name="ids" value="([a-z0-9-]+)"', html)
    assert sorted(values) == sorted(a.id for a in kb.in_language("he"))
    # What the browser sends: one ids per ticked box; the list's own URL has them joined.
    response = real.get("/he/list?title=My+list&ids=unclear-goals&ids=inaccurate-data")
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert target.path == "/he/list"
    assert parse_qs(target.query) == {"ids": ["unclear-goals,inaccurate-data"], "title": ["My list"]}


@pytest.mark.parametrize("lang", LANGS)
def test_list_print_view_has_steps_and_a_qr_code(real, kb, lang):
    html = real.get(f"/{lang}/list/print?ids=unclear-goals,inaccurate-data&title=T").get_data(as_text=True)
    assert html.count('class="article print-article"') == 2
    qr = r'<img class="qr-code" src="data:image/png;base64,[^"]+" width="\d+" height="\d+" alt="[^"]+">'
    assert re.search(qr, html)
    assert html.count('<figure class="print-qr print-only" hidden>') == 2  # and one on each article
    assert f'href="http://localhost/{lang}/list?ids=unclear-goals,inaccurate-data&amp;title=T"' in html
    assert kb.get(lang, "inaccurate-data").title in unescape(html)


# --- The glossary ------------------------------------------------------------------------------------------


def glossary_parts(client, lang: str) -> list[str]:
    """Every part of the glossary in ``lang``, in order."""
    first = client.get(f"/{lang}/glossary").text
    nav = re.search(r'<nav class="booklet-parts glossary-parts".*?</nav>', first, re.S).group(0)
    count = nav.count("<li>")
    assert count >= 2 and '<a aria-current="page">' in nav
    pages = [first] + [client.get(f"/{lang}/glossary?part={n}").text for n in range(2, count + 1)]
    assert client.get(f"/{lang}/glossary?part={count + 1}").status_code == 400
    return pages


def concepts(pages: list[str]) -> list[str]:
    return [li for html in pages for li in re.findall(r'<li id="concept-.*?</li>', html, re.S)]


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_lists_every_concept_sorted_in_the_language(real, kb, lang):
    import icu

    pages = glossary_parts(real, lang)
    assert f'<html lang="{lang}" dir="{RTL[lang]}">' in pages[0]
    shown = [unescape(t) for html in pages for t in re.findall(r"<h2><dfn>(.*?)</dfn></h2>", html)]
    assert len(shown) == len(kb.glossary)
    collator = icu.Collator.createInstance(icu.Locale(lang))
    assert shown == sorted(shown, key=collator.getSortKey)
    assert shown != sorted(shown) or lang == "en"  # ICU's order, not code points, where they differ
    # Each concept links to a search for it, and keeps its terms in the three languages.
    entries = concepts(pages)
    assert len(entries) == len(kb.glossary)
    assert all(e.count(f'href="/{lang}/search?q=') == 1 and e.count("<dd lang=") == 3 for e in entries)
    for bad in ("0", "x", "-1"):
        assert real.get(f"/{lang}/glossary?part={bad}").status_code == 400


def test_glossary_shows_the_articles_that_use_a_concept_most_and_searches_for_the_rest(real, kb):
    from web.glossary import GlossaryIndex

    uses = GlossaryIndex().uses(kb)
    entries = concepts(glossary_parts(real, "en"))
    more = 0
    for concept in kb.glossary:
        entry = next(e for e in entries if e.startswith(f'<li id="concept-{concept.concept}">'))
        ids = uses.get(("en", concept.concept), ())
        linked = re.findall(r'href="/en/([a-z0-9-]+)"', entry)
        assert linked == list(ids[:SHOWN])
        has_all = re.search(r'search\?q=[^"]+">All (\d+) articles</a>', entry)
        assert (has_all is not None) == (len(ids) > SHOWN)
        if has_all:
            more += 1
            assert int(has_all.group(1)) == len(ids)
    assert more >= 5
    # Ranked by how often the concept's terms occur: "data quality" is used most by the article on inaccurate data.
    assert uses[("en", "data-quality")][0] == "inaccurate-data"


def test_glossary_links_articles_whose_text_uses_a_term(real, kb):
    entry = next(e for e in concepts(glossary_parts(real, "he")) if e.startswith('<li id="concept-goal"'))
    linked = re.findall(r'href="/he/([a-z0-9-]+)"', entry)
    assert "unclear-goals" in linked
    for article_id in linked:
        assert any(t in kb.get("he", article_id).text for t in ("מטר", "יעד", "תכלית"))


@pytest.mark.parametrize(("lang", "comma"), [("he", ", "), ("ar", "، "), ("en", ", ")])
def test_glossary_lists_articles_with_the_languages_comma(real, lang, comma):
    separators = [
        s
        for html in glossary_parts(real, lang)
        for s in re.findall(rf'</bdi></a>(\W{{1,3}})<a href="/{lang}/(?!search)', html)
    ]
    assert separators and set(separators) == {comma}


def test_footer_links_the_tools(client):
    html = client.get("/ar/").get_data(as_text=True)
    for url in ("/ar/check", "/ar/list/new", "/ar/glossary"):
        assert f'href="{url}"' in html
