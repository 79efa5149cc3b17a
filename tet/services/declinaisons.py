"""Démarches conjointes: a supra collectivité's fiche lists its déclinaisons, fiches of its
member collectivités. Each side keeps its own permissions: the supra side sees only the
title, the statut and the collectivité of a déclinaison."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select

from tet.extensions import db
from tet.models import Collectivite, Declinaison, FicheAction
from tet.models.accounts import collectivite_membre


class DeclinaisonError(ValueError):
    """A refusal with a French message."""


@dataclass(frozen=True)
class Apercu:
    """What the supra side may know of a member's fiche."""

    fiche_id: int
    titre: str
    statut: str
    collectivite_id: int
    collectivite: str


def member_ids(supra_id: int) -> list[int]:
    return list(db.session.scalars(select(collectivite_membre.c.membre_id).where(
        collectivite_membre.c.supra_id == supra_id)))


def _apercus(condition) -> list[Apercu]:
    rows = db.session.execute(
        select(FicheAction.id, FicheAction.titre, FicheAction.statut, Collectivite.id,
               Collectivite.nom).join(Collectivite, Collectivite.id == FicheAction.collectivite_id)
        .where(condition, FicheAction.deleted_at.is_(None))
        .order_by(Collectivite.nom, FicheAction.titre))
    return [Apercu(*row) for row in rows]


def declinaisons(fiche: FicheAction) -> list[Apercu]:
    return _apercus(FicheAction.id.in_(select(Declinaison.membre_fiche_id).where(
        Declinaison.supra_fiche_id == fiche.id)))


def declined_from(fiche: FicheAction) -> list[Apercu]:
    """The supra fiches this fiche declines (seen from the member side)."""
    return _apercus(FicheAction.id.in_(select(Declinaison.supra_fiche_id).where(
        Declinaison.membre_fiche_id == fiche.id)))


def candidates(fiche: FicheAction) -> list[Apercu]:
    members = member_ids(fiche.collectivite_id)
    if not members:
        return []
    taken = select(Declinaison.membre_fiche_id).where(Declinaison.supra_fiche_id == fiche.id)
    return _apercus(FicheAction.collectivite_id.in_(members) & FicheAction.id.not_in(taken))


def rollup(items: list[Apercu]) -> Counter:
    return Counter(item.statut for item in items)


def add(fiche: FicheAction, membre_fiche_id: int) -> None:
    other = db.session.get(FicheAction, membre_fiche_id)
    if other is None or other.deleted_at is not None or \
            other.collectivite_id not in member_ids(fiche.collectivite_id):
        raise DeclinaisonError("Une déclinaison doit être une fiche d'une collectivité membre.")
    if db.session.get(Declinaison, (fiche.id, other.id)) is None:
        db.session.add(Declinaison(supra_fiche_id=fiche.id, membre_fiche_id=other.id))
        db.session.flush()


def remove(fiche: FicheAction, membre_fiche_id: int) -> None:
    db.session.execute(delete(Declinaison).where(Declinaison.supra_fiche_id == fiche.id,
                                                 Declinaison.membre_fiche_id == membre_fiche_id))
