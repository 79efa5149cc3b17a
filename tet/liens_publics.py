"""Absolute links for e-mails and notifications, built from the configured ``PUBLIC_URL``.

Never from the request's Host header (a forged Host would carry a reset token elsewhere):
the path comes from the URL map alone, the scheme and host from the configuration.
"""
from __future__ import annotations

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    """``PUBLIC_URL`` + the path of ``endpoint`` (works with or without a request)."""
    base = (current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/")
    adapter = current_app.url_map.bind("localhost")
    return base + adapter.build(endpoint, values, force_external=False)
