"""French formats of the reports (dates written out, numbers with narrow no-break spaces,
amounts in euros): the same text in PDF, Word and PowerPoint."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tet.indicateurs.valeurs import format_valeur

PARIS = ZoneInfo("Europe/Paris")
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre"]


def _jour(value) -> date | None:
    if isinstance(value, datetime):
        return (value.astimezone(PARIS) if value.tzinfo else value).date()
    return value


def date_longue(value) -> str:
    """``date(2026, 11, 1)`` → ``1er novembre 2026``."""
    d = _jour(value)
    if d is None:
        return "—"
    return f"{'1er' if d.day == 1 else d.day} {MOIS[d.month - 1]} {d.year}"


def date_courte(value) -> str:
    d = _jour(value)
    return "—" if d is None else f"{d:%d/%m/%Y}"


def nombre(value) -> str:
    """``12345`` → ``12 345``; ``1234.5`` → ``1 234,5``."""
    return format_valeur(None if value is None else Decimal(str(value)))


def montant(value, unite: str = "€ HT") -> str:
    """``120000`` → ``120 000 € HT`` (cents only when there are some)."""
    if value is None:
        return "—"
    return f"{format_valeur(Decimal(str(value)).quantize(Decimal('0.01')))}\u00a0{unite}"


def pourcentage(value) -> str:
    return "—" if value is None else f"{value}\u00a0%"


def pluralise(n: int, singulier: str, pluriel_: str | None = None) -> str:
    """``pluralise(3, "fiche")`` → ``3 fiches``; 0 and 1 take the singular."""
    mot = singulier if abs(n) < 2 else (pluriel_ or singulier + "s")
    return f"{nombre(n)} {mot}"


FILTRES = {"tet_date_longue": date_longue, "tet_date_courte": date_courte,
           "tet_nombre_fr": nombre, "tet_montant_fr": montant, "tet_pourcent": pourcentage}
