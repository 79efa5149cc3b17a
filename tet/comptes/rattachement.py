"""Rattachement state machine (domain.md):

demandee → acceptee | refusee | annulee (by the collectivité); acceptee → terminee (either side).
One active (demandee or acceptee) per collectivité.
"""
from __future__ import annotations

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite, Opsn, OpsnDepartement, User
from tet.comptes.demandes import Rattachement
from tet.colonnes import utcnow
from tet.comptes import notifications
from tet.tri import tri_fr

TRANSITIONS = {
    "accepter": ("demandee", "acceptee"),
    "refuser": ("demandee", "refusee"),
    "annuler": ("demandee", "annulee"),
    "terminer": ("acceptee", "terminee"),
}


class RattachementError(ValueError):
    """A refused transition, with a French message."""


def active_for(collectivite_id: int) -> Rattachement | None:
    return db.session.scalar(select(Rattachement).where(
        Rattachement.collectivite_id == collectivite_id,
        Rattachement.statut.in_(("demandee", "acceptee")),
    ))


def opsn_serving(departement: str | None) -> list[Opsn]:
    """The OPSN serving a département (all of them when it is unknown)."""
    query = select(Opsn).order_by(tri_fr(Opsn.nom))
    if departement:
        query = query.join(OpsnDepartement).where(OpsnDepartement.code == departement)
    return list(db.session.scalars(query))


def served_departements() -> dict[str, list[str]]:
    """{département code: names of the OPSN serving it} in one query."""
    served: dict[str, list[str]] = {}
    for code, nom in db.session.execute(select(OpsnDepartement.code, Opsn.nom).join(Opsn)
                                        .order_by(tri_fr(Opsn.nom))):
        served.setdefault(code, []).append(nom)
    return served


def request(collectivite: Collectivite, opsn: Opsn, by: User, message: str | None = None,
            url: str | None = None) -> Rattachement:
    if active_for(collectivite.id) is not None:
        raise RattachementError(
            "Cette collectivité a déjà un rattachement en cours : annulez-le ou terminez-le "
            "avant d'en demander un autre."
        )
    if collectivite.departement and collectivite.departement not in opsn.codes_departements:
        raise RattachementError(
            f"{opsn.nom} ne dessert pas le département {collectivite.departement}."
        )
    ratt = Rattachement(collectivite_id=collectivite.id, opsn_id=opsn.id, statut="demandee",
                        message=message or None, demande_par_id=by.id)
    db.session.add(ratt)
    db.session.flush()
    notifications.notify(
        notifications.opsn_members(opsn.id),
        f"{collectivite.nom} demande un rattachement à {opsn.nom}.",
        url=url,
        subject=f"Demande de rattachement : {collectivite.nom}",
    )
    db.session.commit()
    return ratt


def transition(ratt: Rattachement, action: str, by: User, motif: str | None = None) -> None:
    if action not in TRANSITIONS:
        raise RattachementError("Action inconnue.")
    source, target = TRANSITIONS[action]
    if ratt.statut != source:
        raise RattachementError(
            f"Impossible : ce rattachement est « {ratt.statut_label} »."
        )
    ratt.statut = target
    ratt.decide_par_id = by.id
    ratt.decide_le = utcnow()
    if motif:
        ratt.motif = motif
    coll, opsn = ratt.collectivite, ratt.opsn
    message = f"Rattachement de {coll.nom} à {opsn.nom} : {ratt.statut_label.lower()}."
    if action in ("accepter", "refuser"):
        recipients = notifications.collectivite_admins(coll.id)
    elif action == "annuler":
        recipients = notifications.opsn_members(opsn.id)
    else:
        recipients = notifications.collectivite_admins(coll.id) + notifications.opsn_members(
            opsn.id
        )
    notifications.notify([u for u in recipients if u.id != by.id], message,
                         subject=f"Rattachement {ratt.statut_label.lower()}")
    db.session.commit()
