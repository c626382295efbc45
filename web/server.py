"""Running the site: waitress in one process, gunicorn with gevent workers for several.

Both are set up for hostile or unlucky clients without a proxy in front:

- idle, keep-alive and slow (slowloris) connections cost no request thread:
  waitress reads every request on its event loop and hands complete requests
  to its threads; gunicorn runs gevent workers (:mod:`web.worker`);
- connection limits are high (:data:`CONNECTION_LIMIT` per process, with the
  open-file limit raised to match), idle connections are closed after
  :data:`IDLE_SECONDS`, and request bodies over
  :data:`web.headers.MAX_BODY_BYTES` are refused before they are read;
- request lines hold the longest query the site accepts (1,000 Hebrew or
  Arabic characters, percent-encoded), and the errors the servers write
  themselves carry the site's security headers.

Every worker process opens the same read-only index and follows the
``current`` link, so a rebuild reaches all of them without a restart. The
index is prepared (built if missing or stale) once, before any worker
starts. Nothing is announced as served until the port is bound.
"""

from __future__ import annotations

import gc
import resource
import socket
from collections.abc import Callable
from pathlib import Path

from kb import config
from kb.errors import ConfigError
from kb.loader import load_strict

from .app import create_app
from .headers import MAX_BODY_BYTES, SECURITY_HEADERS
from .library import prepare_index

#: Thresholds of Python's cycle collector in a server process (Python's default: 700, 10, 10). The
#: search caches (readings, terms, snippets) are many long-lived objects, and a full collection walking
#: them paused requests for up to 110 ms; with larger generations, collections are rare and short.
GC_THRESHOLDS = (20_000, 50, 50)
#: Open connections one server process accepts (idle, keep-alive and slow ones included).
CONNECTION_LIMIT = 2000
#: A connection that sends nothing for this long is closed (waitress); gunicorn's gevent workers give
#: a request's headers :data:`HEADER_SECONDS` to arrive.
IDLE_SECONDS = 30
HEADER_SECONDS = 10
#: The longest request line gunicorn accepts (its maximum): a 1,000-letter Hebrew query is about 6,100.
REQUEST_LINE_BYTES = 8190


def tune_collector() -> None:
    """Keep what start-up loaded out of collections, and collect cycles less often (see GC_THRESHOLDS)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def serve(settings: dict, workers: int = 1, on_ready: Callable[[str], None] = print) -> None:
    """Serve until stopped; ``on_ready`` is told the address once it is bound."""
    settings = config.checked(settings)
    content_dir, index_dir = Path(settings["KB_CONTENT_DIR"]), Path(settings["KB_INDEX_DIR"])
    prepare_index(load_strict(content_dir), index_dir, content_dir, settings["KB_AUTO_INDEX"])
    _raise_open_file_limit()
    _check_can_listen(settings["KB_HOST"], settings["KB_PORT"])
    if workers <= 1:
        _serve_waitress(settings, on_ready)
    else:
        _gunicorn(settings, workers, on_ready).run()


def _address(settings: dict) -> str:
    host = settings["KB_HOST"]
    return f"http://{f'[{host}]' if ':' in host else host}:{settings['KB_PORT']}/"


def _cannot_listen(host: str, port: int, exc: OSError) -> ConfigError:
    reason = exc.strerror or str(exc)
    if isinstance(exc, socket.gaierror):
        reason = f"unknown host ({reason})"
    return ConfigError(f"cannot listen on {host}:{port}: {reason} (set KB_HOST / KB_PORT, or --host / --port)")


def _raise_open_file_limit() -> None:
    """Every connection is an open file: allow as many as the system lets this process have."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = CONNECTION_LIMIT + 1024
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _connection_limit() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return CONNECTION_LIMIT if soft == resource.RLIM_INFINITY else max(64, min(CONNECTION_LIMIT, soft - 256))


def _serve_waitress(settings: dict, on_ready: Callable[[str], None]) -> None:
    from waitress.channel import HTTPChannel
    from waitress.server import BaseWSGIServer, create_server
    from waitress.task import ErrorTask

    class _ErrorTask(ErrorTask):
        """Waitress's own errors (400, 413, 431 ...) with the site's security headers."""

        def execute(self):
            self.response_headers.extend(SECURITY_HEADERS.items())
            super().execute()

    class _Channel(HTTPChannel):
        error_task_class = _ErrorTask

    app = create_app(settings)
    app.extensions["library"].open()  # the content and the index prepared above, before the first request
    host, port = settings["KB_HOST"], settings["KB_PORT"]
    try:
        server = create_server(
            app,
            host=host,
            port=port,
            threads=settings["KB_THREADS"],
            connection_limit=_connection_limit(),
            channel_timeout=IDLE_SECONDS,
            cleanup_interval=5,
            asyncore_use_poll=True,  # select() cannot watch more than 1,024 connections
            max_request_body_size=MAX_BODY_BYTES,
            max_request_header_size=64 * 1024,
            ident="kb",
        )
    except (OSError, ValueError) as exc:  # waitress says ValueError for a host it cannot resolve
        raise _cannot_listen(host, port, exc if isinstance(exc, OSError) else socket.gaierror(str(exc))) from None
    servers = [s for s in getattr(server, "map", {}).values() if isinstance(s, BaseWSGIServer)] or [server]
    for each in servers:
        each.channel_class = _Channel
    tune_collector()
    on_ready(_address(settings))
    server.run()


def _check_can_listen(host: str, port: int) -> None:
    """Fail with one line now (gunicorn would retry five times, waitress raise) when the address cannot be bound."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise _cannot_listen(host, port, exc) from None


def _gunicorn(settings: dict, workers: int, on_ready: Callable[[str], None]):
    """Gunicorn with our settings, each worker building its own app (no state shared across forks)."""
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"{settings['KB_HOST']}:{settings['KB_PORT']}",
                "workers": workers,
                "worker_class": "web.worker.Worker",
                "worker_connections": _connection_limit(),
                "keepalive": HEADER_SECONDS,
                "limit_request_line": REQUEST_LINE_BYTES,
                "limit_request_field_size": REQUEST_LINE_BYTES,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "timeout": 30,
                "graceful_timeout": 10,
                "when_ready": lambda _arbiter: on_ready(_address(settings)),
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            app = create_app(settings)
            app.extensions["library"].open()  # in the worker, from the index prepared before it was forked
            tune_collector()
            return app

    return Gunicorn()
