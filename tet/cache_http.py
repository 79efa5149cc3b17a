"""Browser caching: static files for a year under a versioned URL, pages never stored.

``url_for('static', …)`` and ``url_for('<blueprint>.static', …)`` (Flask-Admin's files
too) get ``?v=<digest of the file>`` unless a version is given (Flask-Admin passes its
own): a changed file gets a new URL, so a response to a versioned URL may be cached for a
year (``immutable``). A static file asked without ``v`` keeps Flask's revalidation
(``no-cache`` + ETag, answered 304). Every other response (HTML pages, exports, documents,
JSON) is ``Cache-Control: no-store``: they show personal data.

Except the blueprints declared public (``publier``: the observatoire): their GET answers
200 / 304 are ``public, max-age=…``, and no response of theirs ever sets or refreshes a
cookie (the session is neither saved nor deleted there), so that a shared cache may keep
them. An error answer of theirs stays ``no-store``.
"""
from __future__ import annotations

import hashlib
import os

from flask import Flask, Response, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600
_digests: dict[tuple[str, int, int], str] = {}


def init_app(app: Flask) -> None:
    app.url_defaults(_version_static_urls)
    app.after_request(_cache_headers)
    app.session_interface = _SessionHorsPagesPubliques()


def publier(app: Flask, blueprint: str, max_age: int) -> None:
    """Declare the pages of ``blueprint`` public: anyone may cache them ``max_age`` s."""
    app.extensions.setdefault("tet_cache_public", {})[blueprint] = max_age


def _max_age_public() -> int | None:
    """The max-age of the current request's page if it is a public GET, else None."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return None
    return current_app.extensions.get("tet_cache_public", {}).get(request.blueprint or "")


class _SessionHorsPagesPubliques(SecureCookieSessionInterface):
    """Flask's signed-cookie session, never saved (no Set-Cookie) on a public page."""

    def save_session(self, app, session, response) -> None:
        if _max_age_public() is None:
            super().save_session(app, session, response)


def _static_folder(endpoint: str) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    name, _, rest = endpoint.rpartition(".")
    if rest == "static" and name in current_app.blueprints:
        return current_app.blueprints[name].static_folder
    return None


def version(folder: str, filename: str) -> str | None:
    """A short digest of a static file's content (cached while its size and mtime hold)."""
    path = safe_join(folder, filename)
    try:
        info = os.stat(path) if path else None
    except OSError:
        return None
    if info is None:
        return None
    key = (path, info.st_mtime_ns, info.st_size)
    if key not in _digests:
        with open(path, "rb") as fh:
            _digests[key] = hashlib.sha256(fh.read()).hexdigest()[:12]
    return _digests[key]


def _version_static_urls(endpoint: str, values: dict) -> None:
    if not endpoint.endswith("static") or "v" in values or "filename" not in values:
        return
    folder = _static_folder(endpoint)
    digest = version(folder, values["filename"]) if folder else None
    if digest:
        values["v"] = digest


def _cache_headers(response: Response) -> Response:
    endpoint = request.endpoint or ""
    if _static_folder(endpoint) is not None:
        if request.args.get("v") and response.status_code in (200, 304):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response
    max_age = _max_age_public()
    if max_age is not None and response.status_code in (200, 304) \
            and "Set-Cookie" not in response.headers:
        response.cache_control.public = True
        response.cache_control.max_age = max_age
        return response
    response.headers["Cache-Control"] = "no-store"  # send_file's default is only no-cache
    return response
