"""Audit trail: every create / update / delete flushed by a session is recorded.

Hooked on the SQLAlchemy session, so back-office views, services and CLI commands are all
covered. Models take part by defining ``audit_scope()`` (which collectivité / OPSN the row
belongs to, for scoping who may read the entry).
"""
from __future__ import annotations

import contextvars
import uuid
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tet.comptes.journal import AuditLog

SECRET_FIELDS = {"password_hash"}
_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)
_context: contextvars.ContextVar = contextvars.ContextVar("audit_context", default=None)
_lot: contextvars.ContextVar = contextvars.ContextVar("audit_lot", default=None)


@contextmanager
def acting_as(user=None, context: str | None = None):
    """Attribute the changes made inside the block to ``user`` (CLI, services), as one
    changeset (``lot``) shown as one entry of the history."""
    token_u = _actor.set(user)
    token_c = _context.set(context)
    token_l = _lot.set(str(uuid.uuid4()))
    try:
        yield
    finally:
        _actor.reset(token_u)
        _context.reset(token_c)
        _lot.reset(token_l)


def current_lot(session: Session | None = None) -> str:
    """The changeset being written: the ``acting_as`` block's, else the request's, else the
    session's transaction's (cleared at its end)."""
    lot = _lot.get()
    if lot is not None:
        return lot
    try:
        from flask import g, has_request_context

        if has_request_context():
            if "audit_lot" not in g:
                g.audit_lot = str(uuid.uuid4())
            return g.audit_lot
    except ImportError:  # pragma: no cover - outside Flask
        pass
    info = session.info if session is not None else {}
    return info.setdefault("audit_lot", str(uuid.uuid4()))


def current_context() -> str | None:
    return _context.get()


def current_actor():
    user = _actor.get()
    if user is not None:
        return user
    try:
        from flask import has_request_context
        from flask_login import current_user

        if has_request_context() and current_user.is_authenticated:
            return current_user._get_current_object()
    except Exception:  # pragma: no cover - outside Flask
        return None
    return None


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return str(value)


def _changes(obj, created: bool) -> dict:
    state = inspect(obj)
    changes: dict[str, list] = {}
    ignored = getattr(obj, "audit_ignore", ())
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in ignored:
            continue
        hist = state.attrs[key].history
        if not created and not hist.has_changes():
            continue
        if created:
            new = getattr(obj, key)
            if new is None or key == "id":
                continue
            old = None
        else:
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
        if key in SECRET_FIELDS:
            changes[key] = ["•••", "••• (modifié)"]
        else:
            changes[key] = [_plain(old), _plain(new)]
    for rel in state.mapper.relationships:
        if rel.secondary is None or not rel.uselist:
            continue
        hist = state.attrs[rel.key].history
        if hist.added or hist.deleted:
            changes[rel.key] = [
                [str(o) for o in hist.deleted],
                [str(o) for o in hist.added],
            ]
    return changes


def _row(obj, action: str, actor, changes: dict, lot: str) -> dict:
    scope = obj.audit_scope() if hasattr(obj, "audit_scope") else {}
    return {
        "at": datetime.now().astimezone(),
        "user_id": getattr(actor, "id", None),
        "user_email": getattr(actor, "email", None),
        "action": action,
        "object_type": type(obj).__name__,
        "object_id": getattr(obj, "id", None),
        "object_repr": str(obj)[:300],
        "collectivite_id": scope.get("collectivite_id"),
        "opsn_id": scope.get("opsn_id"),
        "changes": changes,
        "context": _context.get(),
        "lot": lot,
    }


def _audited(obj) -> bool:
    return hasattr(obj, "audit_scope") and not isinstance(obj, AuditLog)


def _before_flush(session: Session, _flush_context, _instances) -> None:
    """Entries added as rows (exports) join the current changeset too."""
    for obj in session.new:
        if isinstance(obj, AuditLog) and obj.lot is None:
            obj.lot = current_lot(session)


def _after_flush(session: Session, _flush_context) -> None:
    actor = current_actor()
    lot = current_lot(session)
    rows = []
    for obj in session.new:
        if _audited(obj):
            rows.append(_row(obj, "create", actor, _changes(obj, created=True), lot))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=True):
            changes = _changes(obj, created=False)
            if changes:
                rows.append(_row(obj, "update", actor, changes, lot))
    for obj in session.deleted:
        if _audited(obj):
            rows.append(_row(obj, "delete", actor, {}, lot))
    if rows:
        session.connection().execute(AuditLog.__table__.insert(), rows)


def _end_of_transaction(session: Session, *_args) -> None:
    session.info.pop("audit_lot", None)


def register(session_class=Session) -> None:
    """Listen on every session (idempotent)."""
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush),
                           ("after_commit", _end_of_transaction),
                           ("after_rollback", _end_of_transaction)):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
