"""The official list of collectivités (``flask seed --france``), read for the sign-up.

``lookup_siren`` answers from the rows the loader marked ``source = "officiel"``: what a
sign-up form pre-fills (nom, type, population, département, région), or None when the SIREN
is not one of a commune, an EPCI or an EPT of the list. ``refus_siren`` gives the French
message for the latter case; it refuses nothing while the list has not been loaded.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.comptes.models import TYPES_COLLECTIVITE_LABELS
from tet.comptes import siren as siren_checks

NON_COLLECTIVITE = ("Ce SIREN n'est pas celui d'une collectivité du référentiel officiel "
                    "(communes, intercommunalités) : vérifiez-le, ou écrivez au support si "
                    "votre structure doit pouvoir s'inscrire.")


@dataclass(frozen=True)
class InfoCollectivite:
    id: int
    siren: str
    nom: str
    type: str
    population: int | None
    departement: str | None
    region: str | None
    code_insee: str | None

    @property
    def type_label(self) -> str:
        return TYPES_COLLECTIVITE_LABELS.get(self.type, self.type)

    def public(self) -> dict:
        """What a sign-up page may show (public data; no internal id)."""
        data = asdict(self)
        del data["id"]
        return {**data, "type_label": self.type_label}


def lookup_siren(value: str | None) -> InfoCollectivite | None:
    """The official collectivité of a SIREN (or of a SIRET's SIREN), else None."""
    ident, _siret, error = siren_checks.split_identifier(value)
    if error:
        return None
    c = Collectivite
    row = db.session.execute(
        select(c.id, c.siren, c.nom, c.type, c.population, c.departement, c.region,
               c.code_insee).where(c.siren == ident, c.source == "officiel")).one_or_none()
    return InfoCollectivite(*row) if row else None


def referentiel_charge() -> bool:
    """Has ``flask seed --france`` been run on this database?"""
    return db.session.scalar(
        select(Collectivite.id).where(Collectivite.source == "officiel").limit(1)) is not None


def refus_siren(value: str | None) -> str | None:
    """Why ``value`` cannot sign up as a collectivité, or None when it can (or when the
    official list is not loaded, so there is nothing to check against)."""
    ident, _siret, error = siren_checks.split_identifier(value)
    if error:
        return error
    if lookup_siren(ident) is None and referentiel_charge():
        return NON_COLLECTIVITE
    return None


def prerenseignement(value: str | None) -> tuple[dict, int]:
    """What the sign-up form's SIREN look-up answers (public data only): ``({"collectivite":
    …}, 200)`` for the official list, else ``({"message": …}, 400 | 404)`` — the sign-up's
    own refusal, or no message for a SIREN already known here outside the list."""
    ident, _siret, error = siren_checks.split_identifier(value)
    if error:
        return {"message": error}, 400
    info = lookup_siren(ident)
    if info is not None:
        return {"collectivite": info.public()}, 200
    known = db.session.scalar(select(Collectivite.id).where(Collectivite.siren == ident))
    return {"message": None if known else refus_siren(ident)}, 404
