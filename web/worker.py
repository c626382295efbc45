"""Gunicorn's worker for ``kb serve --workers N``: gevent, so slow and idle clients cost no thread.

A gthread worker hands a connection to a thread as soon as its first byte
arrives, and the thread then blocks reading the rest of the headers: thirty
clients trickling their headers in (slowloris) stall every thread. gevent's
worker reads every connection cooperatively, gives each request's headers
``keepalive`` seconds to arrive, and holds thousands of idle connections
(``worker_connections``), as gunicorn's documentation recommends for serving
without a buffering proxy.

Two changes to gunicorn's own worker:

- threads are not patched: the search engine keeps one set of Whoosh
  searchers per thread, and a request never yields while it searches (no
  socket I/O), so all requests of a worker share them;
- the errors gunicorn writes itself (a request line or headers too large, a
  malformed request, a body over the limit) carry the site's security headers,
  and are JSON under ``/api/``.
"""

from __future__ import annotations

import socket

from gevent import monkey
from gunicorn.workers.ggevent import GeventWorker

from .headers import MAX_BODY_BYTES, error_response


class Worker(GeventWorker):
    def patch(self):
        monkey.patch_all(thread=False)
        self.sockets = [socket.socket(s.FAMILY, socket.SOCK_STREAM, fileno=s.sock.fileno()) for s in self.sockets]

    def handle_request(self, listener_name, req, sock, addr):
        length = next((value for name, value in req.headers if name == "CONTENT-LENGTH"), "0")
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            sock.sendall(error_response(413, "Content Too Large", req.path))
            raise StopIteration()  # gunicorn closes the connection without reading the body
        return super().handle_request(listener_name, req, sock, addr)

    def handle_error(self, req, client, addr, exc):
        super().handle_error(req, _ErrorWriter(client, getattr(req, "path", None)), addr, exc)


class _ErrorWriter:
    """The client's socket while gunicorn writes an error: its bare HTML answer is replaced by ours."""

    def __init__(self, sock, path: str | None) -> None:
        self._sock, self._path = sock, path

    def sendall(self, data: bytes) -> None:
        _, code, reason = data.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        self._sock.sendall(error_response(int(code), reason, self._path))

    def __getattr__(self, name):
        return getattr(self._sock, name)
