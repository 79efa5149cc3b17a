"""Who may read, answer and steer a collectivité's maturity questionnaire."""
from __future__ import annotations

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.demandes import Rattachement
from tet.comptes.permissions import Acteur


def opsn_accompanies(a: Acteur, collectivite_id: int) -> bool:
    """The acteur acts for an OPSN whose rattachement with the collectivité is accepted."""
    if a.opsn_id is None:
        return False
    return db.session.scalar(select(Rattachement.id).where(
        Rattachement.opsn_id == a.opsn_id, Rattachement.collectivite_id == collectivite_id,
        Rattachement.statut == "acceptee")) is not None


def can_read(a: Acteur, collectivite_id: int) -> bool:
    return (a.is_support or a.collectivite_id == collectivite_id
            or opsn_accompanies(a, collectivite_id))


def can_answer(a: Acteur, collectivite_id: int) -> bool:
    return a.is_support or a.can_write_collectivite(collectivite_id)


def can_move(a: Acteur, collectivite_id: int) -> bool:
    """Move the collectivité to a newer version of the questionnaire (its admin, support)."""
    return a.is_support or a.is_collectivite_admin(collectivite_id)


def can_steer(a: Acteur, collectivite_id: int) -> bool:
    """Activate niveau 2, switch on niveau 2 recommendations, add free ones."""
    return a.is_support or opsn_accompanies(a, collectivite_id)


def collectivite_lisible(a: Acteur, collectivite_id: int | None):
    """The collectivité whose maturity ``a`` may read (its dashboard, its PDF), else None."""
    from tet.comptes.models import Collectivite

    if collectivite_id is None or not can_read(a, collectivite_id):
        return None
    return db.session.get(Collectivite, collectivite_id)
