"""Fixtures of the web tests: the real content, indexed once per session."""

from __future__ import annotations

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
