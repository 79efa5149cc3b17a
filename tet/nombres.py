"""Numbers and ids that come from outside (forms, URLs, workbooks): finite and bounded
before anything stores or queries them. One parser for every entry point."""
from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, InvalidOperation

from tet.formats import nombre

ID_MAX = 2**31 - 1  # PostgreSQL ``integer``; SQLite stops at 2**63 - 1
PAGE_MAX = 100_000  # list pages: far beyond any real list, far below an offset overflow
MONTANT_MAX = Decimal("1e12")  # Numeric(14, 2)
VALEUR_MAX = Decimal("1e14")  # Numeric(18, 4)
TEXT_MAX = 40  # characters of a number as typed; longer is refused before parsing


class NombreInvalide(ValueError):
    """A refused number (French message)."""


def parse_id(value) -> int | None:
    """A database id from a URL or a form: digits only, 1 … ID_MAX; otherwise None."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None


def db_id(value) -> int:
    """``request.form.get(name, type=db_id)``: a malformed id gives the default."""
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


def parse_nombre(value, max_abs: Decimal = MONTANT_MAX) -> Decimal | None:
    """``"1 234,5"`` → Decimal("1234.5"), blank → None; NaN, sNaN, ±Infinity, 1e400 and any
    magnitude of ``max_abs`` or more raise :class:`NombreInvalide`."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NombreInvalide(f"Nombre invalide : « {value} ».")
    if isinstance(value, float) and not math.isfinite(value):
        raise NombreInvalide(f"Nombre invalide : « {value} » (valeur non finie).")
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
    else:
        text = str(value).strip()
        if not text:
            return None
    shown = text if len(text) <= TEXT_MAX else text[:TEXT_MAX] + "…"
    if len(text) > TEXT_MAX:
        raise NombreInvalide(f"Nombre invalide : « {shown} » (trop long).")
    cleaned = "".join(text.split())  # str.split() also takes the (narrow) no-break spaces
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise NombreInvalide(f"Nombre invalide : « {shown} » (exemple : 1 234,5).") from None
    if not number.is_finite():
        raise NombreInvalide(f"Nombre invalide : « {shown} » (valeur non finie).")
    if abs(number) >= max_abs:
        raise NombreInvalide(f"Nombre invalide : « {shown} » (en valeur absolue, moins de "
                             f"{nombre(max_abs)}).")
    return number


def is_finite(value) -> bool:
    """False for NaN / infinite floats and Decimals (e.g. a value stored before the checks)."""
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def parse_date_parametre(args, name: str, erreurs: list[str], message: str) -> date | None:
    """A date filter of a query string (``AAAA-MM-JJ``, as date inputs send it): None when
    empty; when invalid, None and ``message`` appended to ``erreurs`` (the filter is ignored)."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        erreurs.append(message)
        return None
