"""Login throttling: a lock per e-mail, a slow-down (never a lock) per client address.

* per e-mail: after ``LOGIN_MAX_FAILURES`` failures in ``LOGIN_LOCK_MINUTES``, that account
  refuses every attempt until the window has passed (or a password reset);
* per address: ``LOGIN_ADDRESS_FREE_FAILURES`` failures are free; each further one doubles
  the wait before the next attempt from that address (capped at
  ``LOGIN_ADDRESS_MAX_DELAY`` seconds). Behind a proxy or a shared NAT, other people of the
  same address wait a few seconds at worst, and are never locked out.

The clock is ``now()``, which tests replace; nothing here sleeps.
"""
from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from tet.extensions import db
from tet.comptes.demandes import EchecConnexion
from tet.colonnes import utcnow

now = utcnow


def _email(value: str | None) -> str:
    return (value or "").strip().lower()[:254]


def _since():
    return now() - timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


def email_locked(email: str) -> bool:
    count = db.session.scalar(select(func.count(EchecConnexion.id)).where(
        EchecConnexion.email == _email(email), EchecConnexion.at >= _since()))
    return count >= current_app.config["LOGIN_MAX_FAILURES"]


def address_wait(ip: str | None) -> int:
    """Seconds this address must still wait before its next attempt (0: go ahead)."""
    if not ip:
        return 0
    count, last = db.session.execute(select(
        func.count(EchecConnexion.id), func.max(EchecConnexion.at)
    ).where(EchecConnexion.ip == ip, EchecConnexion.at >= _since())).one()
    excess = count - current_app.config["LOGIN_ADDRESS_FREE_FAILURES"]
    if excess < 0 or last is None:
        return 0
    delay = min(2 ** min(excess, 16), current_app.config["LOGIN_ADDRESS_MAX_DELAY"])
    if last.tzinfo is None:  # SQLite gives naive UTC datetimes back
        last = last.replace(tzinfo=now().tzinfo)
    remaining = delay - (now() - last).total_seconds()
    return max(0, math.ceil(remaining))


def record_failure(email: str, ip: str | None) -> None:
    db.session.add(EchecConnexion(email=_email(email), ip=ip, at=now()))
    db.session.commit()


def forget(email: str) -> None:
    """A successful login clears that e-mail's failures (not the address's)."""
    db.session.execute(EchecConnexion.__table__.delete().where(
        EchecConnexion.email == _email(email)))
