"""Figures for the home page of each role: a fixed number of aggregate queries, whatever the
number of collectivités, fiches or log entries (lists are capped, the full pages are linked).

The collectivité's fiches are in ``tet.accueil_fiches``, readable log entries in
``tet.accueil_journal``.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Membership, Opsn, User
from tet.comptes.demandes import DemandeAdhesion, Rattachement
from tet.comptes.permissions import Acteur, attached_collectivites
from tet.comptes import validation
from tet.maturite.models import (RECO_STATUTS, IndiceCourant, Recommandation,
                                 SuiviRecommandation)
from tet.plans.models import FicheAction, Plan
from tet import accueil_fiches, accueil_journal

SHOWN = 6  # rows of a block; the block links to its full page
OPSN_SHOWN = 10
RECO_EN_COURS = ("a_planifier", "planifiee", "en_cours")
from tet.tri import tri_fr


def _scalar(query):
    return query.scalar_subquery()


def _count(model, *where):
    return _scalar(select(func.count(model.id)).where(*where))


# --- support national --------------------------------------------------------------------

def support_figures() -> dict:
    """National counts in one query, counts by type, the latest sign-ups and the latest
    imports and exports (the validation queue is read by the view)."""
    by_type = db.session.execute(
        select(Collectivite.type, func.count(Collectivite.id)).group_by(Collectivite.type)
    ).all()
    row = db.session.execute(select(
        _count(User), _count(Opsn), _count(Rattachement, Rattachement.statut == "demandee"),
        _count(Rattachement, Rattachement.statut == "acceptee"),
        _scalar(validation.pending_count_query()),
        _count(Plan, Plan.deleted_at.is_(None)),
        _count(FicheAction, FicheAction.deleted_at.is_(None)))).one()
    users, opsn, en_attente, actifs, a_valider, plans, fiches = row
    return {
        "collectivites": sum(n for _t, n in by_type),
        "users": users, "opsn": opsn, "plans": plans, "fiches": fiches,
        "rattachements_en_attente": en_attente,
        "rattachements_actifs": actifs,
        "comptes_a_valider": a_valider,
        "par_type": sorted(by_type, key=lambda r: -r[1]),
        # the latest accounts by id (the primary key's order is the creation order)
        "inscriptions": list(db.session.scalars(
            select(User).order_by(User.id.desc()).limit(SHOWN))),
        "imports_exports": accueil_journal.entrees(list(db.session.scalars(
            select(AuditLog).where(AuditLog.action.in_(("import", "export")))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(SHOWN)))),
    }


# --- collectivité ------------------------------------------------------------------------

def maturite(collectivite_id: int) -> dict:
    """The current index (letter, provisional or official) and the recommendations being
    worked on: their count by statut and the first ones (two queries)."""
    indice = db.session.get(IndiceCourant, collectivite_id)
    rows = db.session.execute(
        select(Recommandation.id, Recommandation.titre, SuiviRecommandation.statut,
               func.count().over())
        .join(Recommandation, Recommandation.id == SuiviRecommandation.recommandation_id)
        .where(SuiviRecommandation.collectivite_id == collectivite_id,
               SuiviRecommandation.statut.in_(RECO_EN_COURS))
        .order_by(SuiviRecommandation.updated_at.desc().nulls_last(), Recommandation.titre,
                  Recommandation.id)
        .limit(SHOWN)).all()
    labels = dict(RECO_STATUTS)
    return {"indice": indice,
            "recos": [(rid, titre, labels.get(statut, statut)) for rid, titre, statut, _n in rows],
            "recos_total": rows[0][3] if rows else 0}


def collectivite_figures(a: Acteur, today: date | None = None) -> dict:
    cid = a.collectivite_id
    today = today or date.today()
    coll = db.session.get(Collectivite, cid)
    niveaux = dict(db.session.execute(
        select(Membership.niveau, func.count(Membership.id))
        .where(Membership.collectivite_id == cid, Membership.validee)
        .group_by(Membership.niveau)
    ).all())
    figures = {
        "collectivite": coll,
        "membres": niveaux,
        "membres_total": sum(niveaux.values()),
        "fiches": accueil_fiches.bloc(a, today, SHOWN),
        "journal": accueil_journal.entrees(accueil_journal.derniers_du_plan(cid, 3 * SHOWN),
                                           SHOWN + 2),
        "maturite": maturite(cid),
    }
    if a.is_collectivite_admin():
        figures["rattachement"] = db.session.scalar(
            select(Rattachement).where(Rattachement.collectivite_id == cid,
                                       Rattachement.statut.in_(("demandee", "acceptee")))
            .options(joinedload(Rattachement.opsn)))
        rows = db.session.execute(
            select(DemandeAdhesion, func.count().over())
            .where(DemandeAdhesion.collectivite_id == cid, DemandeAdhesion.statut == "demandee")
            .options(joinedload(DemandeAdhesion.user))
            .order_by(DemandeAdhesion.created_at, DemandeAdhesion.id).limit(SHOWN)).all()
        figures["demandes"] = [d for d, _n in rows]
        figures["demandes_total"] = rows[0][1] if rows else 0
    return figures


# --- OPSN --------------------------------------------------------------------------------

def opsn_figures(a: Acteur, shown: int = OPSN_SHOWN) -> dict:
    """The OPSN's waiting requests and its attached collectivités, the most recently active
    first, with letter, progress and last activity; counts as windows over the same rows
    (one query, bounded by ``shown``: the whole list is the OPSN space's, paged)."""
    from tet.maturite.stats import pending_requests

    oid = a.opsn_id
    i = IndiceCourant
    # last change recorded for the collectivité (read on the (collectivite_id, at) index)
    activite = (select(func.max(AuditLog.at)).where(AuditLog.collectivite_id == Collectivite.id)
                .correlate(Collectivite).scalar_subquery())
    rows = db.session.execute(
        select(Collectivite.id, Collectivite.nom, Collectivite.type, i.lettre_officielle,
               i.lettre, i.progression, activite.label("activite"), func.count().over(),
               func.count(i.collectivite_id).over(), func.count(i.lettre_officielle).over())
        .outerjoin(i, i.collectivite_id == Collectivite.id)
        .where(Collectivite.id.in_(attached_collectivites(oid)))
        .order_by(activite.desc().nulls_last(), tri_fr(Collectivite.nom), Collectivite.id)
        .limit(shown)).all()
    total, commencees, officielles = rows[0][7:10] if rows else (0, 0, 0)
    pending, n_pending = pending_requests(oid, shown)
    opsn = db.session.scalar(select(Opsn).where(Opsn.id == oid)
                             .options(selectinload(Opsn.departements)))
    return {"opsn": opsn, "attachees": [r[:7] for r in rows], "attachees_total": total,
            "commencees": commencees, "officielles": officielles,
            "en_attente": pending, "en_attente_total": n_pending}


def pending_adhesions_of(user: User) -> list[DemandeAdhesion]:
    return list(db.session.scalars(select(DemandeAdhesion).where(
        DemandeAdhesion.user_id == user.id, DemandeAdhesion.statut == "demandee")
        .options(joinedload(DemandeAdhesion.collectivite))))
