"""Aggregates over many collectivités' latest snapshots: OPSN space and national dashboard."""
from __future__ import annotations

from collections import Counter
from statistics import median

from sqlalchemy import select

from tet.extensions import db
from tet.models import Collectivite, Opsn, Rattachement
from tet.permissions import attached_collectivites
from tet.services import maturite
from tet.services.maturite import latest_snapshots

LETTERS = ["A", "B", "C", "D", "E"]


def overview(collectivites: list[Collectivite]) -> dict:
    """Letters, median per category, progress distribution, who has not started."""
    snaps = latest_snapshots([c.id for c in collectivites])
    letters = Counter(s.lettre for s in snaps.values() if s.officiel and s.lettre)
    per_cat: dict[str, list[int]] = {}
    for s in snaps.values():
        for code, part in (s.par_categorie or {}).items():
            if part.get("indice") is not None:
                per_cat.setdefault(code, []).append(part["indice"])
    bands = Counter(min(s.progression // 25, 3) for s in snaps.values())
    return {
        "rows": [(c, snaps.get(c.id)) for c in collectivites],
        "letters": [(letter, letters[letter]) for letter in LETTERS],
        "medians": {_cat_names().get(code, code): median(values)
                    for code, values in sorted(per_cat.items())},
        "progression": [("0–24 %", bands[0]), ("25–49 %", bands[1]), ("50–74 %", bands[2]),
                        ("75–100 %", bands[3])],
        "non_commence": [c for c in collectivites if c.id not in snaps],
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
    collectivites = list(db.session.scalars(select(Collectivite).order_by(Collectivite.nom)))
    data = overview(collectivites)
    snaps = {c.id: s for c, s in data["rows"] if s is not None}
    by_type, by_region = Counter(), Counter()
    for c in collectivites:
        by_type[c.type_label] += 1
        if c.id in snaps:
            by_region[c.region or "Non renseignée"] += 1
    activity = db.session.execute(
        select(Opsn.nom, Rattachement.statut, db.func.count(Rattachement.id))
        .join(Rattachement, Rattachement.opsn_id == Opsn.id)
        .group_by(Opsn.nom, Rattachement.statut).order_by(Opsn.nom)).all()
    opsn: dict[str, Counter] = {}
    for nom, statut, n in activity:
        opsn.setdefault(nom, Counter())[statut] = n
    data.update(by_type=sorted(by_type.items(), key=lambda kv: -kv[1]),
                by_region=sorted(by_region.items(), key=lambda kv: -kv[1]), opsn=opsn,
                total=len(collectivites), commencees=len(snaps))
    return data
