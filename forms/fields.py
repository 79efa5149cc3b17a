"""Number fields that only ever hold finite, bounded values (``tet.nombres``)."""
from __future__ import annotations

from decimal import Decimal

from wtforms import DecimalField, IntegerField, SelectField
from wtforms.widgets import TextInput

from tet.nombres import ID_MAX, MONTANT_MAX, NombreInvalide, parse_id, parse_nombre


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


class FicheParentField(SelectField):
    """« Sous-action de » : a select of the collectivité's main fiches while they are few;
    beyond ``fill_choices``' bound (``grande = True``) a field for the parent fiche's number,
    so that the form of a collectivité with 100,000 fiches never lists them all. Either way
    the fiche service checks the parent (same collectivité, a main fiche, not itself)."""

    grande = False

    def __call__(self, **kwargs):
        if not self.grande:
            return super().__call__(**kwargs)
        kwargs.setdefault("inputmode", "numeric")
        kwargs["class_"] = "form-control" + (" is-invalid" if self.errors else "")
        return TextInput()(self, value="" if self.data is None else self.data, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = (valuelist[0] or "").strip().lstrip("n°").strip()
        self.data = parse_id(raw) if raw else None
        if raw and self.data is None:
            raise ValueError("Indiquez le numéro de la fiche parente (des chiffres), ou "
                             "laissez vide pour une fiche principale.")

    def pre_validate(self, form):
        if not self.grande:
            super().pre_validate(form)
