"""Members of an organisation porteuse, managed by its admins: invite by e-mail (a person
without a proven account receives a link to choose a password, as for a collectivité),
change the rôle, remove; an organisation always keeps an admin."""
from __future__ import annotations

from sqlalchemy import func, select

from tet.comptes import services as accounts
from tet.extensions import db
from tet.projets import organisations
from tet.projets.commun import exiger, journal
from tet.projets.models import ROLES_ORGANISATION, Organisation, OrganisationMembre

GARDER_UN_ADMIN = "L'organisation doit garder au moins un admin."


def _exiger_admin(a, org: Organisation) -> None:
    exiger(organisations.est_admin(a, org),
           "Seuls les admins de l'organisation gèrent ses membres.")


def inviter(a, org: Organisation, email: str, role: str = "membre") -> OrganisationMembre:
    """Add a member by e-mail and tell them (the caller commits)."""
    _exiger_admin(a, org)
    email = (email or "").strip().lower()
    exiger(email, "Indiquez l'adresse e-mail.")
    exiger(role in dict(ROLES_ORGANISATION), "Rôle inconnu.")
    user, needs_link = accounts.invited_user(email)
    membre = organisations.ajouter_membre(a, org, user, role)
    accounts.send_invitation(user, needs_link, org.nom, a.user)
    return membre


def _admins(org_id: int) -> int:
    return db.session.scalar(select(func.count(OrganisationMembre.id)).where(
        OrganisationMembre.organisation_id == org_id, OrganisationMembre.role == "admin"))


def changer_role(a, membre: OrganisationMembre, role: str) -> OrganisationMembre:
    _exiger_admin(a, membre.organisation)
    exiger(role in dict(ROLES_ORGANISATION), "Rôle inconnu.")
    if membre.role == "admin" and role != "admin":
        exiger(_admins(membre.organisation_id) > 1, GARDER_UN_ADMIN)
    with journal(a, "Organisation : rôle d'un membre"):
        membre.role = role
        db.session.flush()
    return membre


def retirer(a, membre: OrganisationMembre) -> None:
    _exiger_admin(a, membre.organisation)
    if membre.role == "admin":
        exiger(_admins(membre.organisation_id) > 1, GARDER_UN_ADMIN)
    with journal(a, "Organisation : retrait d'un membre"):
        db.session.delete(membre)
        db.session.flush()

