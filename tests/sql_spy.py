"""What a block of test code sends to the database."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from tet.extensions import db


@contextmanager
def sql_sent(app):
    """Every (statement, parameters) sent to the database inside the block."""
    with app.app_context():
        engine = db.engine
    sent: list[tuple[str, object]] = []

    def _record(_conn, _cursor, statement, parameters, *_args):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", _record)
