"""Aggregates over many collectivités' latest snapshots: OPSN space and national dashboard."""
from __future__ import annotations

from collections import Counter
from statistics import median

from sqlalchemy import func, select

from tet.extensions import db
from tet.models import Collectivite, Opsn, Rattachement, Snapshot
from tet.models.accounts import TYPES_COLLECTIVITE_LABELS
from tet.permissions import attached_collectivites
from tet.services import maturite
from tet.services.maturite import latest_snapshots

LETTERS = ["A", "B", "C", "D", "E"]


def overview(collectivites: list[Collectivite]) -> dict:
    """Letters, median per category, progress distribution, who has not started."""
    snaps = latest_snapshots([c.id for c in collectivites])
    return {**_aggregates(snaps), "rows": [(c, snaps.get(c.id)) for c in collectivites],
            "non_commence": [c for c in collectivites if c.id not in snaps]}


def _aggregates(snaps: dict) -> dict:
    letters = Counter(s.lettre for s in snaps.values() if s.officiel and s.lettre)
    per_cat: dict[str, list[int]] = {}
    for s in snaps.values():
        for code, part in (s.par_categorie or {}).items():
            if part.get("indice") is not None:
                per_cat.setdefault(code, []).append(part["indice"])
    bands = Counter(min(s.progression // 25, 3) for s in snaps.values())
    return {
        "letters": [(letter, letters[letter]) for letter in LETTERS],
        "medians": {_cat_names().get(code, code): median(values)
                    for code, values in sorted(per_cat.items())},
        "progression": [("0–24 %", bands[0]), ("25–49 %", bands[1]), ("50–74 %", bands[2]),
                        ("75–100 %", bands[3])],
    }


def _cat_names() -> dict[str, str]:
    from tet.models import Categorie

    version = maturite.active_version()
    if version is None:
        return {}
    return dict(db.session.execute(select(Categorie.code, Categorie.nom).where(
        Categorie.version_id == version.id)).all())


def pending_requests(opsn_id: int) -> list[Rattachement]:
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(select(Rattachement).where(
        Rattachement.opsn_id == opsn_id, Rattachement.statut == "demandee")
        .options(joinedload(Rattachement.collectivite)).order_by(Rattachement.created_at)))


def opsn_collectivites(opsn_id: int) -> list[Collectivite]:
    return list(db.session.scalars(select(Collectivite).where(
        Collectivite.id.in_(attached_collectivites(opsn_id))).order_by(Collectivite.nom)))


def national() -> dict:
    """Counted in SQL: its cost follows the questionnaires started, not the 36 000
    collectivités of the official list."""
    snaps = latest_snapshots()
    data = _aggregates(snaps)
    by_type = db.session.execute(select(Collectivite.type, func.count(Collectivite.id))
                                 .group_by(Collectivite.type)).all()
    started = select(Snapshot.collectivite_id).distinct()
    by_region = db.session.execute(
        select(Collectivite.region, func.count(Collectivite.id))
        .where(Collectivite.id.in_(started)).group_by(Collectivite.region)).all()
    activity = db.session.execute(
        select(Opsn.nom, Rattachement.statut, db.func.count(Rattachement.id))
        .join(Rattachement, Rattachement.opsn_id == Opsn.id)
        .group_by(Opsn.nom, Rattachement.statut).order_by(Opsn.nom)).all()
    opsn: dict[str, Counter] = {}
    for nom, statut, n in activity:
        opsn.setdefault(nom, Counter())[statut] = n
    data.update(by_type=sorted(((TYPES_COLLECTIVITE_LABELS.get(t, t), n) for t, n in by_type),
                               key=lambda kv: -kv[1]),
                by_region=sorted(((r or "Non renseignée", n) for r, n in by_region),
                                 key=lambda kv: -kv[1]), opsn=opsn,
                total=sum(n for _t, n in by_type), commencees=len(snaps))
    return data
