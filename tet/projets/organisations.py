"""Organisations porteuses de projets and their members (a holder account is a user with
an organisation membership: it then acts for it, contexte ``organisation``)."""
from __future__ import annotations

from sqlalchemy import select

from tet.comptes.models import User
from tet.comptes.siren import split_identifier
from tet.extensions import db
from tet.projets.commun import exiger, journal, texte_de
from tet.projets.models import (
    ROLES_ORGANISATION,
    TYPES_ORGANISATION_LABELS,
    Organisation,
    OrganisationMembre,
)
from tet.verrous import LIBRE, verifier

CHAMPS = ("nom", "type", "adresse", "code_postal", "commune", "email_contact")


def departement_de(code_postal: str | None) -> str | None:
    """The département of a French postcode (Corsica: 2A below 20200, else 2B)."""
    cp = (code_postal or "").strip()
    if len(cp) != 5 or not cp.isdigit():
        return None
    if cp.startswith("97") or cp.startswith("98"):
        return cp[:3]
    if cp.startswith("20"):
        return "2A" if cp < "20200" else "2B"
    return cp[:2]


def _appliquer(org: Organisation, champs: dict) -> None:
    for key in CHAMPS:
        if key in champs:
            setattr(org, key, texte_de(org, key, champs[key]))
    exiger(org.nom, "Le nom de l'organisation est obligatoire.")
    exiger(org.type in TYPES_ORGANISATION_LABELS, "Type d'organisation inconnu.")
    if "identifiant" in champs:
        ident = (champs["identifiant"] or "").strip()
        if ident or org.type != "association":
            siren, siret, error = split_identifier(ident)
            exiger(error is None, error or "")
            exiger(db.session.scalar(select(Organisation.id).where(
                Organisation.siren == siren, Organisation.id != (org.id or 0))) is None,
                "Une organisation porte déjà ce SIREN : demandez à ses membres de vous "
                "ajouter.")
            org.siren, org.siret = siren, siret
        else:  # an association without SIREN (RNA only) may apply
            org.siren = org.siret = None
    exiger(org.code_postal is None or departement_de(org.code_postal),
           "Le code postal doit comporter 5 chiffres.")
    org.departement = departement_de(org.code_postal)


def nouvelle(champs: dict) -> Organisation:
    """A checked organisation, not yet added to the session (``champs``: CHAMPS +
    identifiant, the SIREN or SIRET, optional for an association); ``Refus`` otherwise."""
    org = Organisation()
    _appliquer(org, {"identifiant": "", **champs})
    return org


def creer(user: User, champs: dict) -> Organisation:
    """A new organisation with ``user`` as its admin."""
    org = nouvelle(champs)
    with journal(user, f"Organisation : création ({org.nom})"):
        org.membres = [OrganisationMembre(user_id=user.id, role="admin")]
        db.session.add(org)
        db.session.flush()
    return org


def est_admin(a, org: Organisation) -> bool:
    return a.is_support or (a.organisation_id == org.id and a.contexte.role == "admin")


def modifier(a, org: Organisation, champs: dict, version=LIBRE) -> Organisation:
    exiger(est_admin(a, org), "Seuls les admins de l'organisation la modifient.")
    verifier(org, version)
    with journal(a, "Organisation : modification"):
        _appliquer(org, champs)
        db.session.flush()
    return org


def ajouter_membre(a, org: Organisation, user: User, role: str = "membre"
                   ) -> OrganisationMembre:
    exiger(est_admin(a, org), "Seuls les admins de l'organisation gèrent ses membres.")
    exiger(role in dict(ROLES_ORGANISATION), "Rôle inconnu.")
    exiger(db.session.scalar(select(OrganisationMembre.id).where(
        OrganisationMembre.organisation_id == org.id,
        OrganisationMembre.user_id == user.id)) is None,
        "Cette personne est déjà membre de l'organisation.")
    with journal(a, "Organisation : ajout d'un membre"):
        membre = OrganisationMembre(organisation_id=org.id, user_id=user.id, role=role)
        db.session.add(membre)
        db.session.flush()
    return membre
