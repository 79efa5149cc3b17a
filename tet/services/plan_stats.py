"""Avancement figures of a plan or of a whole collectivité, from the loaded tree (no N+1)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tet.extensions import db
from tet.models import FicheAction, Plan
from tet.models.plans import PRIORITES, STATUTS
from tet.services import tree

DONE, DROPPED = "realise", "abandonne"


def is_late(fiche: FicheAction, today: date) -> bool:
    return bool(fiche.date_fin and fiche.date_fin < today and fiche.statut not in (DONE, DROPPED))


def avancement(fiches) -> int | None:
    """Percentage of réalisées among the fiches not abandoned (None when there are none)."""
    counted = [f for f in fiches if f.statut != DROPPED]
    if not counted:
        return None
    return round(100 * sum(f.statut == DONE for f in counted) / len(counted))


def pilotes_of(fiche: FicheAction) -> list[str]:
    names = [u.nom_complet for u in fiche.pilotes]
    names += [t.nom for t in fiche.tags if t.kind == "personne"]
    return names or ["Sans pilote"]


@dataclass
class Stats:
    total: int = 0
    by_statut: list[tuple[str, str, int]] = field(default_factory=list)
    by_priorite: list[tuple[str, str, int]] = field(default_factory=list)
    by_pilote: list[tuple[str, int]] = field(default_factory=list)
    late: list[FicheAction] = field(default_factory=list)
    avancement: int | None = None
    per_axe: list[tuple[str, int, int | None]] = field(default_factory=list)


def compute(fiches: list[FicheAction], today: date | None = None) -> Stats:
    today = today or date.today()
    statuts = Counter(f.statut for f in fiches)
    priorites = Counter(f.priorite for f in fiches)
    pilotes = Counter(name for f in fiches for name in pilotes_of(f))
    return Stats(
        total=len(fiches),
        by_statut=[(code, label, statuts[code]) for code, label in STATUTS],
        by_priorite=[(code, label, priorites[code]) for code, label in PRIORITES]
        + [("", "Non renseignée", priorites[None])],
        by_pilote=sorted(pilotes.items(), key=lambda kv: (-kv[1], kv[0]))[:15],
        late=sorted((f for f in fiches if is_late(f, today)), key=lambda f: f.date_fin),
        avancement=avancement(fiches),
    )


FICHE_OPTIONS = (selectinload(FicheAction.pilotes), selectinload(FicheAction.tags))


def plan_stats(plan: Plan, today: date | None = None) -> tuple[Stats, tree.Node]:
    root, fiches = tree.load_tree(plan, fiche_options=FICHE_OPTIONS)
    stats = compute(fiches, today)
    by_id = {f.id: f for f in fiches}
    for node in root.children:
        mine = [by_id[i] for i in node.all_fiche_ids() if i in by_id]
        stats.per_axe.append((node.axe.nom, len(mine), avancement(mine)))
    return stats, root


def collectivite_stats(collectivite_id: int, today: date | None = None):
    """Over all fiches of the collectivité, and per plan: (stats, [(plan, n, avancement)])."""
    fiches = list(db.session.scalars(
        select(FicheAction).where(FicheAction.collectivite_id == collectivite_id,
                                  FicheAction.deleted_at.is_(None))
        .options(*FICHE_OPTIONS)))
    stats = compute(fiches, today)
    by_id = {f.id: f for f in fiches}
    per_plan = []
    for plan_id, fiche_ids in tree.fiche_ids_by_plan(collectivite_id).items():
        mine = [by_id[i] for i in fiche_ids if i in by_id]
        per_plan.append((plan_id, len(mine), avancement(mine)))
    plans = {p.id: p for p in db.session.scalars(select(Plan).where(
        Plan.collectivite_id == collectivite_id, Plan.deleted_at.is_(None)))}
    rows = sorted(((plans[pid], n, av) for pid, n, av in per_plan if pid in plans),
                  key=lambda r: r[0].nom)
    rows += [(p, 0, None) for p in plans.values() if p.id not in {r[0].id for r in rows}]
    return stats, rows
