"""The HTTP edge: the client address through trusted proxies, and security headers.

``PROXY_COUNT`` (``TET_PROXY_COUNT``) reverse proxies are trusted for ``X-Forwarded-For``
and ``X-Forwarded-Proto`` (Werkzeug's ProxyFix); ``X-Forwarded-Host`` is never trusted.
The Content-Security-Policy allows only the app's own scripts and styles: no inline
script, handler or style attribute (``static/js/tet.js`` carries those behaviours).
"""
from __future__ import annotations

from flask import Flask, Response, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000"  # one year; production only (HSTS config flag)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # a reset link's token never leaves the site
    "X-Frame-Options": "DENY",
}


def init_app(app: Flask) -> None:
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count < 0:
        raise RuntimeError("PROXY_COUNT (TET_PROXY_COUNT) ne peut pas être négatif.")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore
    app.after_request(_security_headers)


def _security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("HSTS"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
