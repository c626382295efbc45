"""Fixtures of the web tests: the real content, indexed once per session."""

from __future__ import annotations

import re
from html import unescape

import pytest

from ..conftest import REPO


@pytest.fixture(scope="session")
def real_app(tmp_path_factory):
    """The site over the repository's own content, its index built once for the session."""
    from web.app import create_app

    index = tmp_path_factory.mktemp("real") / "index"
    app = create_app({"KB_CONTENT_DIR": str(REPO / "content"), "KB_INDEX_DIR": str(index)})
    app.extensions["library"].open()
    return app


def booklet_parts(client, url: str) -> list[str]:
    """Every part of the booklet at ``url``, in order, as the first part's list of parts links them."""
    first = client.get(url).get_data(as_text=True)
    nav = re.search(r'<nav class="booklet-parts".*?</nav>', first, re.S)
    if nav is None:
        return [first]
    links = re.findall(r'<li><a (aria-current="page"|href="([^"]+)")>', nav.group(0))
    assert links[0][0] == 'aria-current="page"' and len(links) > 1
    return [first] + [client.get(unescape(href)).get_data(as_text=True) for _, href in links[1:]]
