"""Reusable validators with French messages."""
import re

from wtforms.validators import ValidationError

from tet.comptes import siren


def siren_or_siret(form, field):
    _siren, _siret, error = siren.split_identifier(field.data)
    if error:
        raise ValidationError(error)


def siren_only(form, field):
    error = siren.siren_error(field.data)
    if error:
        raise ValidationError(error)


def optional_siret(form, field):
    if field.data:
        error = siren.siret_error(field.data)
        if error:
            raise ValidationError(error)
        siren_field = getattr(form, "siren", None)
        if siren_field is not None and siren_field.data and \
                siren.normalise(field.data)[:9] != siren.normalise(siren_field.data):
            raise ValidationError("Le SIRET doit commencer par le SIREN de la collectivité.")


def departement_error(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    ok = (len(value) == 2 and (value.isdigit() or value in ("2A", "2B"))) or (
        len(value) == 3 and value.isdigit() and value.startswith("97")
    )
    return None if ok else "Code de département invalide (ex. 67, 2A, 974)."


def departement_code(form, field):
    if field.data and departement_error(field.data):
        raise ValidationError(departement_error(field.data))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def email_address(form, field):
    """A plausible address (deliverability is proven by the e-mails we send)."""
    if field.data and not _EMAIL.match(field.data.strip()):
        raise ValidationError("Adresse e-mail invalide.")
