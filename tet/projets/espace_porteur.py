"""What the holders' space reads: the organisation's dossiers with their candidatures, the
calls whose dépôt stage is open, and each call's required pièces against the dossier's
files (queries in SQL, a fixed number per page)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from tet.extensions import db
from tet.projets import messages
from tet.tri import tri_fr
from tet.projets.models import (
    AppelAProjets,
    Candidature,
    Dossier,
    Etape,
    PieceJustificative,
    PieceRequise,
)


def depot_ouvert():
    """Condition on ``AppelAProjets``: open, and today within its dépôt stage (a bound
    left empty is no limit; a call without dépôt stage is open while ouvert)."""
    today = date.today()
    etape = select(Etape.id).where(
        Etape.appel_id == AppelAProjets.id, Etape.kind == "depot",
        or_(and_(Etape.date_debut.is_not(None), Etape.date_debut > today),
            and_(Etape.date_fin.is_not(None), Etape.date_fin < today)))
    return and_(AppelAProjets.statut == "ouvert", ~etape.exists())


def appels_ouverts() -> list[AppelAProjets]:
    return list(db.session.scalars(
        select(AppelAProjets).where(depot_ouvert())
        .options(selectinload(AppelAProjets.etapes), selectinload(AppelAProjets.collectivite))
        .order_by(tri_fr(AppelAProjets.titre), AppelAProjets.id)))


def dossiers_de(organisation_id: int) -> list[Dossier]:
    return list(db.session.scalars(
        select(Dossier).where(Dossier.organisation_id == organisation_id)
        .order_by(tri_fr(Dossier.titre), Dossier.id)))


def candidatures_de(organisation_id: int) -> list[Candidature]:
    """The organisation's candidatures with their call (one query each)."""
    return list(db.session.scalars(
        select(Candidature).join(Dossier, Dossier.id == Candidature.dossier_id)
        .where(Dossier.organisation_id == organisation_id)
        .options(selectinload(Candidature.appel))
        .order_by(Candidature.created_at.desc(), Candidature.id.desc())))


def non_lus(organisation_id: int) -> dict[int, int]:
    """Unread messages of the organiser per candidature of the organisation."""
    ids = select(Candidature.id).join(Dossier, Dossier.id == Candidature.dossier_id).where(
        Dossier.organisation_id == organisation_id)
    return messages.non_lus(ids, "porteur")


def checklist(cand: Candidature) -> list[tuple[PieceRequise, list[PieceJustificative]]]:
    """Each piece the call asks for, with the dossier's files answering it."""
    requises = list(db.session.scalars(select(PieceRequise).where(
        PieceRequise.appel_id == cand.appel_id).order_by(PieceRequise.position,
                                                          PieceRequise.id)))
    fichiers = list(db.session.scalars(select(PieceJustificative).where(
        PieceJustificative.dossier_id == cand.dossier_id,
        PieceJustificative.piece_requise_id.in_(select(PieceRequise.id).where(
            PieceRequise.appel_id == cand.appel_id))).order_by(PieceJustificative.id)))
    return [(r, [f for f in fichiers if f.piece_requise_id == r.id]) for r in requises]
