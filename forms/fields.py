"""Number fields that only ever hold finite, bounded values (``tet.services.nombres``)."""
from __future__ import annotations

from decimal import Decimal

from wtforms import DecimalField, IntegerField

from tet.services.nombres import ID_MAX, MONTANT_MAX, NombreInvalide, parse_nombre


class FiniteDecimalField(DecimalField):
    """A French decimal (``1 234,5``); NaN, ±Infinity, 1e400 or too large a magnitude is a
    field error « Nombre invalide : … », never a stored value."""

    def __init__(self, label=None, validators=None, max_abs: Decimal = MONTANT_MAX, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_abs = max_abs

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_nombre(valuelist[0], self.max_abs)
        except NombreInvalide as exc:
            self.data = None
            raise ValueError(str(exc)) from None


class BoundedIntegerField(IntegerField):
    """An integer that fits the database column (PostgreSQL ``integer``)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > ID_MAX:
            shown = str(valuelist[0])[:20]
            self.data = None
            raise ValueError(f"Nombre invalide : « {shown} » (trop grand).")
