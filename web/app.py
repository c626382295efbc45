"""The Flask application factory.

``create_app(test_config=None)``: settings from :mod:`kb.config` (defaults,
then ``KB_*`` environment variables), then ``test_config``; blueprints are
registered last. It reads no content and opens no index: the
:class:`LazyLibrary` in ``app.extensions["library"]`` does that on first use,
and ``kb serve`` (:mod:`web.server`) opens it before serving.
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from kb import config
from kb.errors import KBError

from .headers import MAX_BODY_BYTES, SECURITY_HEADERS
from .library import Library


class _JSONProvider(DefaultJSONProvider):
    """JSON with ``<``, ``>`` and ``&`` escaped: no markup ever appears raw in a response body."""

    ensure_ascii = False

    def dumps(self, obj, **kwargs) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.json = _JSONProvider(app)
    app.config.from_mapping(config.from_environ())
    if test_config:
        app.config.from_mapping(config.checked(test_config))
    app.extensions["library"] = LazyLibrary(
        Path(app.config["KB_CONTENT_DIR"]), Path(app.config["KB_INDEX_DIR"]), app.config["KB_AUTO_INDEX"]
    )

    _setup_records(app)
    _setup_i18n(app)
    _setup_security(app)
    _setup_errors(app)

    from . import api, discovery, insights, site, tools  # noqa: F401 - tools adds its pages to the site's blueprint

    app.register_blueprint(api.bp)
    app.register_blueprint(site.bp)
    app.register_blueprint(discovery.bp)
    app.register_blueprint(insights.bp)
    if app.config.get("KB_RELOAD"):
        from . import reload

        reload.setup(app)
    return app


class LazyLibrary:
    """``app.extensions["library"]``: the :class:`~web.library.Library` an app serves, opened on first use.

    Opening reads the content and prepares the index (building it when
    ``KB_AUTO_INDEX`` allows). A failure (content with errors, no usable
    index) is raised to the request that opened it, answered 503, and
    opening is tried again on the next request.
    """

    def __init__(self, content_dir: Path, index_dir: Path, auto_index: bool) -> None:
        self.content_dir, self.index_dir, self.auto_index = content_dir, index_dir, auto_index
        self._library: Library | None = None
        self._lock = threading.Lock()

    def open(self) -> Library:
        """The library, opened now if it is not yet."""
        if self._library is None:
            with self._lock:
                if self._library is None:
                    self._library = Library(self.content_dir, self.index_dir, self.auto_index)
        return self._library

    @property
    def is_open(self) -> bool:
        return self._library is not None

    @property
    def kb(self):
        """The content being served (see :attr:`web.library.Library.kb`)."""
        return self.open().kb

    def search(self, *args, **kwargs):
        """A search of the live index (see :meth:`web.library.Library.search`)."""
        return self.open().search(*args, **kwargs)


def _setup_records(app: Flask) -> None:
    """The recorder (its writer thread starts now and checks the database) and the vote rate limit."""
    from .guard import RateLimit
    from .records.recorder import Recorder

    recorder = Recorder(app.config["KB_DATABASE_URL"], enabled=app.config["KB_RECORDING"])
    app.extensions["recorder"] = recorder
    app.extensions["rate_limit"] = RateLimit(app.config["KB_FEEDBACK_PER_MINUTE"])
    recorder.start()


def _setup_i18n(app: Flask) -> None:
    from . import i18n, layout

    catalogs = i18n.load_catalogs()
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(i18n.raw_gettext, i18n.raw_ngettext, newstyle=True)
    app.jinja_env.globals.update(
        language_names=i18n.LANGUAGE_NAMES,
        format_day=i18n.format_day,
        format_number=i18n.format_number,
        external_url=external_url,
        reading_minutes=layout.reading_minutes,
        theme_script=Markup(layout.THEME_SCRIPT),
    )
    app.jinja_env.filters.update(bdi=bdi, isolated=isolated, heading_links=layout.heading_links)

    @app.before_request
    def _choose_catalog():
        from flask import g, request

        lang = (request.view_args or {}).get("lang") or i18n.negotiate_language(request)
        g.lang = lang
        g.translations = catalogs.get(lang)


def _setup_security(app: Flask) -> None:
    from flask import abort, request

    if not app.config.get("MAX_CONTENT_LENGTH"):
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @app.before_request
    def _no_uploads():
        if (request.content_length or 0) > app.config["MAX_CONTENT_LENGTH"]:
            abort(413)

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.after_request
    def _same_host_redirect(response):
        """Redirects stay on this site as paths: the router's (``/en`` to ``/en/``) is built from the Host
        header, which a client chooses."""
        target = urlsplit(response.headers.get("Location", ""))
        if 300 <= response.status_code < 400 and target.netloc:
            response.headers["Location"] = urlunsplit(("", "", target.path or "/", target.query, target.fragment))
        return response


def external_url(endpoint: str, **values) -> str:
    """An absolute URL of a page, for links that leave the site (copy link, sitemap): on ``KB_BASE_URL``
    when it is set, else on the address this request came to. Never used for redirects."""
    from flask import current_app, url_for

    base = current_app.config.get("KB_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def bdi(text) -> Markup:
    """Text isolated from the direction of what surrounds it (a query echoed in a sentence)."""
    return Markup("<bdi>%s</bdi>") % text


def isolated(text: str) -> str:
    """Text isolated with Unicode's first-strong isolate, where no markup is possible (a page title)."""
    return f"\u2068{text}\u2069"


def _setup_errors(app: Flask) -> None:
    from flask import jsonify, render_template, request
    from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

    def json_error(exc: HTTPException):
        response = jsonify(error=exc.description or exc.name)
        response.status_code = exc.code
        if getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if wants_json():
            return json_error(exc)
        # Only our own, translated descriptions are shown; Werkzeug's defaults are English.
        detail = exc.description if exc.description != type(exc).description else None
        suggestion = _near_miss() if exc.code == 404 else None
        page = render_template("error.html", code=exc.code, detail=detail, suggestion=suggestion)
        response = app.make_response((page, exc.code))
        if getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    def _near_miss():
        """The page a mistyped address most likely meant (none when the content cannot be read)."""
        from flask import g

        from .site import near_miss

        try:
            return near_miss(request.path, g.get("lang", "en"))
        except KBError:
            return None

    @app.errorhandler(KBError)
    def _unavailable(exc: KBError):
        """The content or index cannot be opened (the API's own handler answers its routes with the reason)."""
        from .i18n import gettext

        app.logger.error("cannot serve %s: %s", request.path, exc)
        if wants_json():
            return jsonify(error=str(exc)), 503
        message = gettext("Search is unavailable right now. Please try again in a few minutes.")
        return _http_error(ServiceUnavailable(message))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        if wants_json():
            return jsonify(error="internal error"), 500
        try:
            return render_template("error.html", code=500, detail=None), 500
        except Exception:
            return InternalServerError().get_response()
