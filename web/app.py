"""The Flask application factory.

``create_app(test_config=None)``: settings from :mod:`kb.config` (defaults,
then ``KB_*`` environment variables), then ``test_config``; the content is
loaded once and the search engine opened; blueprints are registered last.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kb import config
from kb.errors import KBError
from kb.loader import load_strict
from search.glossary import Glossary
from search.index import BuildInfo, build, check_fresh, current_build
from search.query import SearchEngine


def prepare_index(kb, settings: dict) -> None:
    """Make sure a fresh index exists: build it when allowed, else raise a clear error."""
    index_dir, content_dir = Path(settings["KB_INDEX_DIR"]), Path(settings["KB_CONTENT_DIR"])
    try:
        check_fresh(BuildInfo.read(current_build(index_dir)), content_dir)
    except KBError:
        if not settings["KB_AUTO_INDEX"]:
            raise
        build(kb, index_dir, content_dir)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(config.from_environ())
    if test_config:
        app.config.from_mapping(test_config)
    settings = {name: app.config[name] for name in config.defaults()}
    content_dir = Path(settings["KB_CONTENT_DIR"])
    kb = load_strict(content_dir)
    prepare_index(kb, settings)
    app.extensions["kb"] = kb
    app.extensions["search"] = SearchEngine(Path(settings["KB_INDEX_DIR"]), Glossary(kb.glossary), content_dir)

    from . import api

    app.register_blueprint(api.bp)
    return app
