"""The one French formatter: numbers, percentages, money, dates and times (Europe/Paris),
plurals. Pages, charts, exports, e-mails and messages all write values through it, so
« 24 850 », « 62,0 », « 12 500 € » and « 26/03/2026 14:05 » look the same everywhere.

Thousands are grouped with a narrow no-break space (U+202F), the decimal mark is a comma,
units (%, €) follow a no-break space (U+00A0). Stored instants are UTC (a naive datetime,
as SQLite returns them, is read as UTC); they are shown in Europe/Paris.
"""
from __future__ import annotations

import math
from datetime import date, datetime, time, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
MILLIER = "\u202f"  # narrow no-break space: 24 850
INSECABLE = "\u00a0"  # before a unit: 62 %, 12 500 €
VIDE = "—"


# --- numbers --------------------------------------------------------------------------
def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def nombre(value, decimales: int | None = None, max_decimales: int = 2) -> str:
    """``24850`` → « 24 850 », ``nombre(62, 1)`` → « 62,0 », ``3.14159`` → « 3,14 ».

    ``decimales`` fixes the number of decimals; without it a whole number has none and
    another keeps at most ``max_decimales`` (trailing zeros dropped). None, NaN, ±∞ → « — »;
    a text that is not a number is returned as it is."""
    number = _decimal(value)
    if number is None:
        return VIDE if value is None or not isinstance(value, str) else value
    places = decimales if decimales is not None else (0 if number == number.to_integral()
                                                       else max_decimales)
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = MILLIER.join([whole, *groups])
    if decimales is None:
        frac = frac.rstrip("0")
    return sign + text + ("," + frac if frac else "")


def pourcent(value, decimales: int = 0) -> str:
    """``62`` → « 62 % », ``pourcent(62.04, 1)`` → « 62,0 % » (value already in percent)."""
    shown = nombre(value, decimales)
    return shown if shown == VIDE else f"{shown}{INSECABLE}%"


def montant(value) -> str:
    """``12500`` → « 12 500 € », ``12500.5`` → « 12 500,50 € »."""
    number = _decimal(value)
    if number is None:
        return VIDE
    shown = nombre(number, 0 if number == number.to_integral() else 2)
    return f"{shown}{INSECABLE}€"


# --- dates and times ------------------------------------------------------------------
def a_paris(value: datetime) -> datetime:
    """An instant in Europe/Paris (a naive one is UTC, as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(PARIS)


def jour(value) -> date | None:
    """The Paris calendar day of a date or an instant."""
    if isinstance(value, datetime):
        return a_paris(value).date()
    return value if isinstance(value, date) else None


def date_fr(value) -> str:
    """« 26/03/2026 » (an instant: its day in Paris); None → « — »."""
    day = jour(value)
    if day is None:
        return VIDE if not value else str(value)
    return f"{day:%d/%m/%Y}"


def date_heure(value) -> str:
    """« 26/03/2026 14:05 » in Paris; a plain date has no time."""
    if isinstance(value, datetime):
        return f"{a_paris(value):%d/%m/%Y %H:%M}"
    return date_fr(value)


def heure(value) -> str:
    """« 14:05 » in Paris."""
    if isinstance(value, datetime):
        return f"{a_paris(value):%H:%M}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return VIDE


MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre"]


def date_longue(value) -> str:
    """« 1er mars 2026 » (e-mails, reports)."""
    day = jour(value)
    if day is None:
        return VIDE
    premier = "1er" if day.day == 1 else str(day.day)
    return f"{premier} {MOIS[day.month - 1]} {day.year}"


# --- agreement ------------------------------------------------------------------------
def accord(n, singulier: str, pluriel_: str | None = None) -> str:
    """The word agreeing with ``n``: singular for 0 and 1 (French), else the plural given
    or the singular + « s » (each word of an irregular phrase: give its plural)."""
    number = _decimal(n)
    if number is not None and abs(number) < 2:
        return singulier
    if pluriel_ is not None:
        return pluriel_
    return singulier if singulier.endswith(("s", "x", "z")) else singulier + "s"


def pluriel(n, singulier: str, pluriel_: str | None = None) -> str:
    """``pluriel(10, "fiche")`` → « 10 fiches », ``pluriel(1, "fiche")`` → « 1 fiche »,
    ``pluriel(3, "fiche créée", "fiches créées")``; the number formatted as :func:`nombre`."""
    return f"{nombre(n)} {accord(n, singulier, pluriel_)}"
