"""Figures for the home dashboard of each role (a handful of aggregate queries)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Membership, Opsn, User
from tet.comptes.demandes import DemandeAdhesion, Rattachement
from tet.comptes.permissions import Acteur, attached_collectivites
from tet.comptes import validation


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _recent_audit(condition, limit: int = 8) -> list[AuditLog]:
    query = select(AuditLog).order_by(AuditLog.at.desc()).limit(limit)
    if condition is not None:
        query = query.where(condition)
    return list(db.session.scalars(query))


def support_figures() -> dict:
    """Four queries whatever the size: counts by type, the other counts in one row, the
    latest audit entries (the validation queue is read by the view)."""
    by_type = db.session.execute(
        select(Collectivite.type, func.count(Collectivite.id)).group_by(Collectivite.type)
    ).all()

    def ratt(statut):
        return select(func.count(Rattachement.id)).where(
            Rattachement.statut == statut).scalar_subquery()

    users, opsn, en_attente, actifs, a_valider = db.session.execute(select(
        select(func.count(User.id)).scalar_subquery(),
        select(func.count(Opsn.id)).scalar_subquery(), ratt("demandee"), ratt("acceptee"),
        validation.pending_count_query().scalar_subquery())).one()
    return {
        "collectivites": sum(n for _t, n in by_type),
        "users": users,
        "opsn": opsn,
        "rattachements_en_attente": en_attente,
        "rattachements_actifs": actifs,
        "comptes_a_valider": a_valider,
        "par_type": sorted(by_type, key=lambda r: -r[1]),
        "audit": _recent_audit(None),
    }


def collectivite_figures(a: Acteur) -> dict:
    cid = a.collectivite_id
    coll = db.session.get(Collectivite, cid)
    niveaux = dict(db.session.execute(
        select(Membership.niveau, func.count(Membership.id))
        .where(Membership.collectivite_id == cid, Membership.validee)
        .group_by(Membership.niveau)
    ).all())
    ratt = db.session.scalar(
        select(Rattachement).where(Rattachement.collectivite_id == cid,
                                   Rattachement.statut.in_(("demandee", "acceptee")))
        .options(joinedload(Rattachement.opsn))
    )
    figures = {
        "collectivite": coll,
        "membres": niveaux,
        "membres_total": sum(niveaux.values()),
        "rattachement": ratt,
    }
    if a.is_collectivite_admin():
        figures["demandes"] = _count(select(func.count(DemandeAdhesion.id)).where(
            DemandeAdhesion.collectivite_id == cid, DemandeAdhesion.statut == "demandee"))
        figures["audit"] = _recent_audit(AuditLog.collectivite_id == cid)
    return figures


def opsn_figures(a: Acteur, shown: int = 20) -> dict:
    """The OPSN's waiting requests and attached collectivités, bounded (the whole list is
    the OPSN space's, paged)."""
    from tet.maturite.stats import pending_requests

    oid = a.opsn_id
    rows = db.session.execute(
        select(Collectivite, func.count().over()).where(
            Collectivite.id.in_(attached_collectivites(oid)))
        .order_by(Collectivite.nom).limit(shown)).all()
    first, total = [c for c, _n in rows], (rows[0][1] if rows else 0)
    pending, n_pending = pending_requests(oid)
    opsn = db.session.scalar(select(Opsn).where(Opsn.id == oid)
                             .options(selectinload(Opsn.departements)))
    return {"opsn": opsn, "attachees": first, "attachees_total": total,
            "en_attente": pending, "en_attente_total": n_pending}


def pending_adhesions_of(user: User) -> list[DemandeAdhesion]:
    return list(db.session.scalars(select(DemandeAdhesion).where(
        DemandeAdhesion.user_id == user.id, DemandeAdhesion.statut == "demandee")
        .options(joinedload(DemandeAdhesion.collectivite))))
