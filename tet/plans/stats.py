"""Avancement figures of a plan or of a whole collectivité, computed by SQL aggregates.

A page costs a fixed number of queries whatever the number of fiches: counts by statut and
priorité (with the late ones) in one GROUP BY, pilotes in one, the first late fiches in one,
per top-level axe (recursive CTE over the tree) or per plan in one. A fiche filed several
times in a plan counts once for it (DISTINCT); no list of ids ever leaves the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (
    String,
    and_,
    case,
    func,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan, Tag
from tet.comptes.models import User
from tet.plans.models import PRIORITES, STATUTS, fiche_axe, fiche_pilote_user, fiche_tag

DONE, DROPPED = "realise", "abandonne"
SANS_PILOTE = "Sans pilote"
TOP_PILOTES = 15
LATE_SHOWN = 20  # late fiches listed on a dashboard; the rest on the paged list
LATE_PAGE = 50


def is_late(date_fin: date | None, statut: str, today: date) -> bool:
    """Past its date de fin and neither réalisée nor abandonnée."""
    return bool(date_fin and date_fin < today and statut not in (DONE, DROPPED))


def late_condition(today: date):
    """The SQL twin of ``is_late``."""
    return and_(FicheAction.date_fin < today, FicheAction.statut.not_in((DONE, DROPPED)))


def percent(done: int, counted: int) -> int | None:
    """Percentage of réalisées among the fiches not abandoned (None when there are none)."""
    return round(100 * done / counted) if counted else None


def binaire(column):
    """``column`` ordered by code point, as Python sorts strings (PostgreSQL's "C"
    collation; SQLite's default BINARY collation already does)."""
    return column.collate("C") if db.session.get_bind().dialect.name == "postgresql" else column


@dataclass
class Stats:
    total: int = 0
    by_statut: list[tuple[str, str, int]] = field(default_factory=list)
    by_priorite: list[tuple[str, str, int]] = field(default_factory=list)
    by_pilote: list[tuple[str, int]] = field(default_factory=list)
    late: list[FicheAction] = field(default_factory=list)  # the first LATE_SHOWN
    late_count: int = 0
    avancement: int | None = None
    per_axe: list[tuple[str, int, int | None]] = field(default_factory=list)


# --- scopes: conditions on FicheAction --------------------------------------------------

def in_plan(plan_id: int) -> list:
    """Live fiches filed anywhere in the plan (a subquery, not a list of ids)."""
    filed = (select(fiche_axe.c.fiche_id).join(Axe, Axe.id == fiche_axe.c.axe_id)
             .where(Axe.plan_id == plan_id))
    return [FicheAction.id.in_(filed), FicheAction.deleted_at.is_(None)]


def of_collectivite(collectivite_id: int) -> list:
    return [FicheAction.collectivite_id == collectivite_id, FicheAction.deleted_at.is_(None)]


# --- the figures -----------------------------------------------------------------------

def compute(scope: list, today: date | None = None) -> Stats:
    """Every figure but the per-axe / per-plan ones, over the fiches matching ``scope``."""
    today = today or date.today()
    late = late_condition(today)
    statuts, priorites, counts = {}, {}, {"late": 0, "total": 0}
    for statut, priorite, n, n_late in db.session.execute(
            select(FicheAction.statut, FicheAction.priorite, func.count(),
                   func.sum(case((late, 1), else_=0)))
            .where(*scope).group_by(FicheAction.statut, FicheAction.priorite)):
        statuts[statut] = statuts.get(statut, 0) + n
        priorites[priorite] = priorites.get(priorite, 0) + n
        counts["total"] += n
        counts["late"] += n_late or 0
    counted = counts["total"] - statuts.get(DROPPED, 0)
    return Stats(
        total=counts["total"],
        by_statut=[(code, label, statuts.get(code, 0)) for code, label in STATUTS],
        by_priorite=[(code, label, priorites.get(code, 0)) for code, label in PRIORITES]
        + [("", "Non renseignée", priorites.get(None, 0))],
        by_pilote=pilotes(scope, counts["total"]),
        late=late_fiches(scope, today, LATE_SHOWN),
        late_count=counts["late"],
        avancement=percent(statuts.get(DONE, 0), counted),
    )


def _user_name():
    """``User.nom_complet`` in SQL: « prénom nom », else the e-mail."""
    full = func.trim(User.prenom + literal(" ") + User.nom)
    return func.coalesce(func.nullif(full, ""), User.email)


def pilotes(scope: list, total: int, limit: int = TOP_PILOTES) -> list[tuple[str, int]]:
    """(name, fiches) for user pilotes and « personne » tags, plus « Sans pilote » (``total``
    less the fiches having one); the ``limit`` largest, ties by name. Same-named pilotes
    count together. One query, read from the pilote links (not from every fiche)."""
    users = (select(fiche_pilote_user.c.fiche_id, _user_name().label("nom"))
             .join(User, User.id == fiche_pilote_user.c.user_id)
             .join(FicheAction, FicheAction.id == fiche_pilote_user.c.fiche_id).where(*scope))
    tags = (select(fiche_tag.c.fiche_id, Tag.nom.label("nom"))
            .join(Tag, and_(Tag.id == fiche_tag.c.tag_id, Tag.kind == "personne"))
            .join(FicheAction, FicheAction.id == fiche_tag.c.fiche_id).where(*scope))
    names = union_all(users, tags).cte("pilotes")
    n = func.count().label("n")
    top = (select(names.c.nom, n).group_by(names.c.nom)
           .order_by(n.desc(), binaire(names.c.nom)).limit(limit + 1).subquery())
    piloted = select(literal(None, String), func.count(names.c.fiche_id.distinct()))
    counts = {nom: count for nom, count in db.session.execute(
        union_all(select(top.c.nom, top.c.n), piloted))}
    counts[SANS_PILOTE] = counts.get(SANS_PILOTE, 0) + total - counts.pop(None, 0)
    ranked = sorted(((nom, count) for nom, count in counts.items() if count),
                    key=lambda kv: (-kv[1], kv[0]))
    return ranked[:limit]


def late_order():
    return (FicheAction.date_fin, binaire(FicheAction.titre), FicheAction.id)


def late_fiches(scope: list, today: date, limit: int, after: FicheAction | None = None):
    """Late fiches by date de fin (then title), ``limit`` of them, after ``after`` (keyset)."""
    query = select(FicheAction).where(*scope, late_condition(today))
    if after is not None:
        query = query.where(tuple_(*late_order()) > tuple_(
            literal(after.date_fin), literal(after.titre, String), literal(after.id)))
    return list(db.session.scalars(query.order_by(*late_order()).limit(limit)))


def _figures(pairs, scope: list):
    """(key, fiches, non abandonnées, réalisées) per key of the distinct (key, fiche_id)
    ``pairs``, over the fiches matching ``scope``."""
    return (select(pairs.c.key, func.count(),
                   func.sum(case((FicheAction.statut != DROPPED, 1), else_=0)),
                   func.sum(case((FicheAction.statut == DONE, 1), else_=0)))
            .join(FicheAction, FicheAction.id == pairs.c.fiche_id).where(*scope)
            .group_by(pairs.c.key).subquery())


def under_top_axes(plan_id: int):
    """Recursive CTE (axe_id, top_id): every axe below the plan's root with the top-level
    axe it belongs to (a top-level axe: itself)."""
    root = aliased(Axe)
    top = (select(Axe.id.label("axe_id"), Axe.id.label("top_id"))
           .join(root, root.id == Axe.parent_id)
           .where(root.plan_id == plan_id, root.parent_id.is_(None))
           .cte("sous_axes", recursive=True))
    return top.union_all(select(Axe.id, top.c.top_id).join(top, Axe.parent_id == top.c.axe_id))


def per_axe(plan_id: int) -> list[tuple[str, int, int | None]]:
    """(top-level axe, fiches under it at any depth, avancement), in tree order."""
    root = aliased(Axe)
    top = under_top_axes(plan_id)
    pairs = (select(top.c.top_id.label("key"), fiche_axe.c.fiche_id)
             .join(fiche_axe, fiche_axe.c.axe_id == top.c.axe_id).distinct().subquery())
    agg = _figures(pairs, [FicheAction.deleted_at.is_(None)])
    rows = db.session.execute(
        select(Axe.nom, *list(agg.c)[1:]).join(root, root.id == Axe.parent_id)
        .outerjoin(agg, agg.c.key == Axe.id)
        .where(root.plan_id == plan_id, root.parent_id.is_(None))
        .order_by(Axe.position, Axe.id))
    return [(nom, n or 0, percent(done or 0, counted or 0)) for nom, n, counted, done in rows]


def plan_stats(plan: Plan, today: date | None = None) -> Stats:
    stats = compute(in_plan(plan.id), today)
    stats.per_axe = per_axe(plan.id)
    return stats


def per_plan(collectivite_id: int) -> list[tuple[Plan, int, int | None]]:
    """(plan, live fiches of the collectivité filed in it, avancement), by plan name."""
    pairs = (select(Axe.plan_id.label("key"), fiche_axe.c.fiche_id)
             .join(fiche_axe, fiche_axe.c.axe_id == Axe.id)
             .join(Plan, Plan.id == Axe.plan_id)
             .where(Plan.collectivite_id == collectivite_id, Plan.deleted_at.is_(None))
             .distinct().subquery())
    agg = _figures(pairs, of_collectivite(collectivite_id))
    rows = db.session.execute(
        select(Plan, *list(agg.c)[1:]).outerjoin(agg, agg.c.key == Plan.id)
        .where(Plan.collectivite_id == collectivite_id, Plan.deleted_at.is_(None))
        .order_by(binaire(Plan.nom), Plan.id))
    return [(plan, n or 0, percent(done or 0, counted or 0))
            for plan, n, counted, done in rows]


def collectivite_stats(collectivite_id: int, today: date | None = None):
    """Over all live fiches of the collectivité, and per plan: (stats, [(plan, n, av)])."""
    return compute(of_collectivite(collectivite_id), today), per_plan(collectivite_id)


def late_count(scope: list, today: date) -> int:
    return db.session.scalar(select(func.count()).select_from(FicheAction)
                             .where(*scope, late_condition(today)))
