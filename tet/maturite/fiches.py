"""Recommendations turned into fiches action of a "Stratégie numérique responsable" plan,
linked both ways: the recommendation's status then follows the fiche's statut."""
from __future__ import annotations

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite, User
from tet.plans.models import FicheAction, Plan
from tet.maturite.models import Recommandation, SuiviRecommandation
from tet.plans import arbre
from tet.maturite.questionnaire import _suivi

PLAN_NOM = "Stratégie numérique responsable"
# fiche statut → recommendation status
STATUT_SUIVI = {"a_venir": "planifiee", "en_cours": "en_cours", "realise": "realisee",
                "en_pause": "en_cours", "bloque": "en_cours", "en_retard": "en_cours",
                "a_discuter": "a_planifier", "abandonne": "a_definir"}


def plan_snr(collectivite: Collectivite, by: User) -> Plan:
    plan = db.session.scalar(select(Plan).where(
        Plan.collectivite_id == collectivite.id, Plan.type == "snr",
        Plan.deleted_at.is_(None)).order_by(Plan.id))
    if plan is None:
        plan = arbre.create_plan(collectivite.id, PLAN_NOM, "snr", created_by_id=by.id,
                                description="Plan issu des recommandations du questionnaire "
                                            "de maturité numérique responsable.")
    return plan


def to_fiches(collectivite: Collectivite, recos: list[Recommandation], by: User) -> list[FicheAction]:
    """One fiche per recommendation not yet turned into one, filed at the plan's root."""
    plan = plan_snr(collectivite, by)
    root = arbre.root_of(plan)
    created = []
    for reco in recos:
        suivi = _suivi(collectivite, reco)
        if suivi.fiche_id is not None and db.session.get(FicheAction, suivi.fiche_id):
            continue
        fiche = FicheAction(collectivite_id=collectivite.id, titre=reco.titre[:300],
                            description=reco.corps, objectifs=reco.detail,
                            statut="a_venir", created_by_id=by.id, updated_by_id=by.id)
        db.session.add(fiche)
        db.session.flush()
        arbre.ranger(fiche, {root.id})
        suivi.fiche_id = fiche.id
        created.append(fiche)
    db.session.flush()
    return created


def statut_suivi(suivi: SuiviRecommandation | None, fiche_statut: str | None) -> str:
    """The status shown: the fiche's when linked, else the one set by hand."""
    if fiche_statut is not None:
        return STATUT_SUIVI.get(fiche_statut, "a_definir")
    return suivi.statut if suivi else "a_definir"


def fiche_statuts(collectivite_id: int) -> dict[int, tuple[int, str]]:
    """{recommandation id: (fiche id, fiche statut)} for the linked, live fiches."""
    rows = db.session.execute(
        select(SuiviRecommandation.recommandation_id, FicheAction.id, FicheAction.statut)
        .join(FicheAction, FicheAction.id == SuiviRecommandation.fiche_id)
        .where(SuiviRecommandation.collectivite_id == collectivite_id,
               FicheAction.deleted_at.is_(None)))
    return {rid: (fid, statut) for rid, fid, statut in rows}


def recommandation_of(fiche: FicheAction) -> Recommandation | None:
    return db.session.scalar(select(Recommandation).join(
        SuiviRecommandation, SuiviRecommandation.recommandation_id == Recommandation.id)
        .where(SuiviRecommandation.fiche_id == fiche.id)
        .order_by(Recommandation.id.desc()).limit(1))  # after a move: the newer version's
