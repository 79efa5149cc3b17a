"""Server-side session revocation: a per-user token inside the session id.

``User.get_id()`` is ``"<id>:<session_token>"``; Flask-Login stores it in the session and in
the remember-me cookie. A cookie is honoured only while the token matches, so replacing the
token (logout, new password, deactivation) ends every session of that user, everywhere.
"""
from __future__ import annotations

import hmac

from tet.extensions import db
from tet.comptes.models import User
from tet.comptes.models import new_session_token


def load(session_id: str) -> User | None:
    """The active user a session / remember-me id designates, if still valid."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or not user.session_token:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def end_all(user: User) -> None:
    """Invalidate every session and remember-me cookie of ``user`` (committed)."""
    user.session_token = new_session_token()
    db.session.commit()
