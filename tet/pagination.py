"""Pages of a sorted list that cost the same deep down as on page 1.

The order is a sort key followed by the primary key (a total order, ties included). A page
reached from its neighbour carries a cursor, the key of the row it starts after (``apres``)
or ends before (``avant``): it is read from the index at that key (keyset), whatever its
depth. A page asked by number alone (``?page=N``) is counted from the nearer end: OFFSET
from the start in the first half, from the end in reverse order in the second, so the last
page is as cheap as the first. Scoping stays in the query given: a cursor only says where
to start inside it.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_

Order = list[tuple[object, bool]]  # (column, descending), the primary key last


@dataclass
class Page:
    rows: list
    first: tuple | None  # the key of the first row shown, for the « précédente » link
    last: tuple | None


def key_of(row, order: Order) -> tuple | None:
    """The sort key of a row (None when a value is NULL: no cursor then, the page number
    alone is used)."""
    values = tuple(getattr(row, _attribute(column)) for column, _desc in order)
    return None if any(v is None for v in values) else values


def _attribute(column) -> str:
    """The row attribute behind an order column, also when sorted ``COLLATE tet_fr``."""
    return getattr(column, "left", column).key


def encode(sort: str, values: tuple) -> str:
    data = json.dumps([sort, [v.isoformat() if isinstance(v, (date, datetime)) else v
                              for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode(token: str | None, sort: str, order: Order) -> tuple | None:
    """The key carried by a cursor of this sort, or None if it is of another sort or
    malformed (the page number then decides)."""
    if not token or len(token) > 2000:
        return None
    try:
        name, raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if name != sort or len(raw) != len(order):
            return None
        return tuple(_coerce(column, value) for (column, _desc), value in zip(order, raw))
    except (ValueError, TypeError):
        return None


KEY_TYPES = (str, int, date, datetime)


def keyable(column) -> bool:
    """Whether a column may carry a cursor: text, integer or date, never NULL (SQLite sorts
    NULLs first, PostgreSQL last: a key range would drop them on one of the two)."""
    try:
        return (column.type.python_type in KEY_TYPES
                and not column.expression.nullable)
    except (AttributeError, NotImplementedError):
        return False


def _coerce(column, value):
    kind = getattr(column, "left", column).type.python_type
    if kind in (date, datetime):
        return kind.fromisoformat(value)  # TypeError / ValueError for anything else
    if type(value) is kind:  # a number stays a number (never a boolean), a text a text
        return value
    raise ValueError


def _beyond(order: Order, key: tuple, forward: bool):
    """Rows strictly after ``key`` in ``order`` (before it if not ``forward``), written so
    that the first column bounds an index range: ``c0 >= v0 AND (c0 > v0 OR (… id > v))``."""
    def past(column, desc, value, strict):
        if (not desc) == forward:  # walking towards larger values
            return column > value if strict else column >= value
        return column < value if strict else column <= value

    tail = past(*order[-1], key[-1], True)
    for (column, desc), value in reversed(list(zip(order[:-1], key[:-1]))):
        tail = or_(past(column, desc, value, True), and_(column == value, tail))
    return and_(past(*order[0], key[0], False), tail)


def _ordered(query, order: Order, reverse: bool):
    return query.order_by(None).order_by(*[
        column.desc() if desc != reverse else column.asc() for column, desc in order])


def page(query, order: Order, number: int, size: int, total: int | None,
         apres: tuple | None = None, avant: tuple | None = None) -> Page:
    """Page ``number`` (from 0) of ``query`` in ``order``, ``size`` rows."""
    if apres is not None:
        rows = _ordered(query.filter(_beyond(order, apres, True)), order, False).limit(size).all()
    elif avant is not None:
        rows = _ordered(query.filter(_beyond(order, avant, False)), order, True).limit(size).all()
        rows.reverse()
    elif total is not None and number * size >= total / 2:
        after = total - (number + 1) * size  # rows after this page
        if after <= -size:
            rows = []
        else:
            rows = _ordered(query, order, True).offset(max(after, 0)).limit(
                size + min(after, 0)).all()
            rows.reverse()
    else:
        rows = _ordered(query, order, False).offset(number * size).limit(size).all()
    return Page(rows, key_of(rows[0], order) if rows else None,
                key_of(rows[-1], order) if rows else None)
