"""Between WTForms and ``tet.verrous``: the hidden version / base fields of an edit
form and the snapshot of what a form shows (field by field, comparable)."""
from __future__ import annotations

from wtforms import BooleanField, FieldList, FormField, HiddenField, SelectFieldBase

from tet.verrous import fige, signer

VERSION, BASE = "version", "verrou_base"
TECHNIQUES = {"csrf_token", VERSION, BASE}


class ChampTechnique(HiddenField):
    """A hidden field the form carries but never reads from nor writes into the model (a
    form built on a row would otherwise take the row's current version when the submitted
    one is missing)."""

    def process_data(self, value):
        self.data = None

    def populate_obj(self, obj, name):
        pass


class VerrouMixin:
    """Add to an edit form: the version it was loaded with and the signed base."""

    version = ChampTechnique()
    verrou_base = ChampTechnique()


def poser(form, obj) -> None:
    """On display: the row's version and the snapshot of the form's values."""
    form[VERSION].data = obj.version
    form[BASE].data = signer(instantane(form))


def libelles(form) -> dict[str, str]:
    return {f.name: str(f.label.text) for f in form if f.name not in TECHNIQUES}


def instantane(form) -> dict[str, list]:
    """{field name: [canonical value, French text]} of every non-technical field."""
    return {f.name: valeur(f) for f in form if f.name not in TECHNIQUES}


def valeur(field) -> list:
    if isinstance(field, FieldList):
        rows = [valeur_ligne(entry) for entry in field.entries]
        rows = [r for r in rows if r is not None]
        return [[r[0] for r in rows] or None, " | ".join(r[1] for r in rows) or "—"]
    if isinstance(field, BooleanField):
        return fige(bool(field.data))
    data = field.data
    if isinstance(field, SelectFieldBase) and getattr(field, "choices", None) is not None \
            and not callable(field.choices):
        labels = _labels(field)
        if isinstance(data, (list, tuple)):
            return fige(list(data), ", ".join(labels.get(str(v), str(v)) for v in data) or "—")
        if data in (None, ""):
            return fige(None)
        return fige(data, labels.get(str(data), str(data)))
    return fige(list(data) if isinstance(data, (list, tuple)) else data)


def valeur_ligne(entry) -> list | None:
    """One row of a list of sub-forms; None when nothing but defaults is filled in."""
    sub = entry.form if isinstance(entry, FormField) else None
    if sub is None:
        v = valeur(entry)
        return None if v[0] is None else v
    values = {f.name: valeur(f) for f in sub if f.short_name not in TECHNIQUES}
    if all(v[0] is None for f, v in zip(sub, values.values())
           if not isinstance(f, SelectFieldBase)):
        return None
    return [{f.short_name: values[f.name][0] for f in sub},
            ", ".join(f"{f.label.text} : {values[f.name][1]}" for f in sub)]


def _labels(field) -> dict[str, str]:
    result = {}
    for choice in field.choices:
        if hasattr(choice, "value"):
            result[str(choice.value)] = str(choice.label)
        elif isinstance(choice, (list, tuple)) and len(choice) >= 2:
            result[str(choice[0])] = str(choice[1])
    return result
