"""Démarches conjointes: a supra collectivité's fiche declined by fiches of its member
collectivités.

The supra side asks (``request``), the member side accepts or refuses (``decide``); until
accepted, nothing shows as a déclinaison on either side. Each side keeps its own
permissions: the supra side sees only the title, the statut and the collectivité of a
member's fiche, and only of a shareable (non-confidential) fiche of an actual member
(``tet.plans.liens``). Both sides are notified in-app.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select

from tet.extensions import db
from tet.comptes.models import Collectivite, User
from tet.plans.models import Declinaison, FicheAction
from tet.comptes.models import collectivite_membre
from tet.colonnes import utcnow
from tet.plans.liens import visible_to_supra
from tet.comptes import notifications
from tet.liens_publics import public_url
from tet.tri import tri_fr


class DeclinaisonError(ValueError):
    """A refusal with a French message."""


@dataclass(frozen=True)
class Apercu:
    """What the other side may know of a fiche."""

    fiche_id: int
    titre: str
    statut: str
    collectivite_id: int
    collectivite: str


LIVE = ("acceptee", "demandee")


def _apercus(query, *extra) -> list[tuple]:
    rows = db.session.execute(
        query.add_columns(FicheAction.id, FicheAction.titre, FicheAction.statut,
                          Collectivite.id, Collectivite.nom, *extra)
        .join(Collectivite, Collectivite.id == FicheAction.collectivite_id)
        .order_by(tri_fr(Collectivite.nom), tri_fr(FicheAction.titre)))
    return [(Apercu(*row[:5]), *row[5:]) for row in rows]


def _by_statut(rows: list[tuple]) -> dict[str, list[Apercu]]:
    """Accepted and requested links of one side, read by one query."""
    found: dict[str, list[Apercu]] = {statut: [] for statut in LIVE}
    for apercu, statut in rows:
        found[statut].append(apercu)
    return found


def membre_side(fiche: FicheAction) -> dict[str, list[Apercu]]:
    """Member fiches linked to the supra ``fiche``, as the supra may see them, by statut:
    ``acceptee`` (its déclinaisons, the roll-up) and ``demandee`` (still waiting)."""
    return _by_statut(_apercus(select().select_from(FicheAction).join(
        Declinaison, Declinaison.membre_fiche_id == FicheAction.id).where(
        Declinaison.supra_fiche_id == fiche.id, Declinaison.statut.in_(LIVE),
        visible_to_supra(fiche.collectivite_id)), Declinaison.statut))


def supra_side(fiche: FicheAction) -> dict[str, list[Apercu]]:
    """Supra fiches (of actual supras) linked to the member ``fiche``, by statut:
    ``acceptee`` (the fiches it declines) and ``demandee`` (requests received)."""
    supras = select(collectivite_membre.c.supra_id).where(
        collectivite_membre.c.membre_id == fiche.collectivite_id)
    return _by_statut(_apercus(select().select_from(FicheAction).join(
        Declinaison, Declinaison.supra_fiche_id == FicheAction.id).where(
        Declinaison.membre_fiche_id == fiche.id, Declinaison.statut.in_(LIVE),
        FicheAction.deleted_at.is_(None), FicheAction.collectivite_id.in_(supras)),
        Declinaison.statut))


def candidates(fiche: FicheAction) -> list[Apercu]:
    """The supra side's picker: shareable fiches of actual members, not already asked."""
    taken = select(Declinaison.membre_fiche_id).where(
        Declinaison.supra_fiche_id == fiche.id, Declinaison.statut != "refusee")
    return [a for a, in _apercus(select().select_from(FicheAction).where(
        visible_to_supra(fiche.collectivite_id), FicheAction.id.not_in(taken)))]


def rollup(items: list[Apercu]) -> Counter:
    return Counter(item.statut for item in items)


def request(fiche: FicheAction, membre_fiche_id: int, by: User) -> None:
    """Ask the member side to decline ``fiche`` with its fiche ``membre_fiche_id``."""
    other = db.session.scalar(select(FicheAction).where(
        FicheAction.id == membre_fiche_id, visible_to_supra(fiche.collectivite_id)))
    if other is None:
        raise DeclinaisonError("Une déclinaison doit être une fiche non confidentielle d'une "
                               "collectivité membre.")
    link = db.session.get(Declinaison, (fiche.id, other.id))
    if link is not None and link.statut != "refusee":
        raise DeclinaisonError("Cette fiche est déjà demandée ou acceptée en déclinaison.")
    if link is None:
        link = Declinaison(supra_fiche_id=fiche.id, membre_fiche_id=other.id)
        db.session.add(link)
    link.statut, link.demandee_par_id, link.demandee_le = "demandee", by.id, utcnow()
    link.decidee_par_id = link.decidee_le = None
    db.session.flush()
    notifications.notify(
        [u for u in notifications.collectivite_writers(other.collectivite_id) if u.id != by.id],
        f"{fiche.collectivite.nom} propose que votre fiche « {other.titre} » décline sa fiche "
        f"« {fiche.titre} » : acceptez ou refusez la demande depuis votre fiche.",
        url=public_url("fiche.page", id=other.id))


def decide(membre_fiche: FicheAction, supra_fiche_id: int, accept: bool, by: User) -> str:
    """The member side accepts or refuses a pending request; a French message."""
    pending = {a.fiche_id for a in supra_side(membre_fiche)["demandee"]}  # actual supras
    link = db.session.get(Declinaison, (supra_fiche_id, membre_fiche.id))
    if link is None or link.statut != "demandee" or supra_fiche_id not in pending:
        raise DeclinaisonError("Aucune demande de déclinaison en attente pour cette fiche.")
    link.statut = "acceptee" if accept else "refusee"
    link.decidee_par_id, link.decidee_le = by.id, utcnow()
    supra = db.session.get(FicheAction, supra_fiche_id)
    verb = "accepte" if accept else "refuse"
    recipients = notifications.collectivite_writers(supra.collectivite_id)
    notifications.notify(
        [u for u in recipients if u.id != by.id],
        f"{membre_fiche.collectivite.nom} {verb} de décliner votre fiche « {supra.titre} ».",
        url=public_url("fiche.page", id=supra.id))
    db.session.flush()
    return "Déclinaison acceptée." if accept else "Demande de déclinaison refusée."


def remove(supra_fiche_id: int, membre_fiche_id: int) -> None:
    """Withdraw a request or end a link (either side)."""
    db.session.execute(delete(Declinaison).where(
        Declinaison.supra_fiche_id == supra_fiche_id,
        Declinaison.membre_fiche_id == membre_fiche_id))
