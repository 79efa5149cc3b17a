"""The formats of the reports, the same in PDF, Word and PowerPoint: names kept by the
report modules, all written by the app's one French formatter (``tet.formats``)."""
from __future__ import annotations

from decimal import Decimal

from tet import formats
from tet.formats import date_longue, nombre, pluriel as pluralise

__all__ = ["FILTRES", "date_courte", "date_longue", "montant", "nombre", "pluralise",
           "pourcentage"]

date_courte = formats.date_fr
pourcentage = formats.pourcent


def montant(value, unite: str = "€ HT") -> str:
    """``120000`` → « 120 000 € HT »; cents only when there are some."""
    if value is None:
        return formats.VIDE
    number = Decimal(str(value))
    shown = nombre(number, 0 if number == number.to_integral() else 2)
    return f"{shown}{formats.INSECABLE}{unite}"


FILTRES = {"tet_date_longue": date_longue, "tet_date_courte": date_courte,
           "tet_nombre_fr": nombre, "tet_montant_fr": montant, "tet_pourcent": pourcentage}
