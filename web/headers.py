"""Response headers every answer carries, including the errors the HTTP server writes itself.

The Flask app adds :data:`SECURITY_HEADERS` to its own responses; waitress and
gunicorn answer some requests before the app sees them (a request line or
headers too large, a body over the limit, a malformed request), and
:func:`error_response` writes those answers with the same headers.
"""

from __future__ import annotations

import json

from .layout import THEME_SCRIPT_HASH

#: Sent with every response. No inline style is allowed anywhere, and one inline script: the colour scheme's.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; "
        f"script-src 'self' '{THEME_SCRIPT_HASH}'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: The site takes no uploads: a request body larger than this is refused with 413 before it is read.
MAX_BODY_BYTES = 64 * 1024


def error_response(status: int, reason: str, path: str | None = None) -> bytes:
    """A complete HTTP/1.1 error answer that closes the connection: JSON under ``/api/``, plain text elsewhere."""
    if path is not None and path.startswith("/api/"):
        body = json.dumps({"error": reason}).encode()
        kind = "application/json"
    else:
        body = f"{status} {reason}\n".encode()
        kind = "text/plain; charset=utf-8"
    head = [f"HTTP/1.1 {status} {reason}", "Connection: close", f"Content-Type: {kind}", f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in SECURITY_HEADERS.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
