"""Avancement figures of a plan or of a whole collectivité, computed by SQL aggregates.

A page costs a fixed number of queries whatever the number of fiches: counts by statut and
priorité (with the late ones) in one GROUP BY, pilotes in one, the first late fiches in one,
per top-level axe or per plan in one. A plan's figures read the maintained
``sous_arbre_fiche`` rows (tet/plans/agregats.py: a fiche filed several times in a
plan is one row of its root, with its statut, priorité and dates), not every placement
joined to its fiche; no list of ids ever leaves the database.
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
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan, Tag
from tet.comptes.models import User
from tet.plans.models import PRIORITES, STATUTS, fiche_pilote_user, fiche_tag
from tet.plans.agregats_tables import sous_arbre_compte as C
from tet.plans.agregats_tables import sous_arbre_fiche as SAF
from tet.plans.agregats_tables import sous_arbre_total as T
from tet.tri import tri_fr

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


# --- scopes -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Perimetre:
    """The live fiches counted: ``lignes`` selects their (fiche_id, statut, priorite,
    date_debut, date_fin) — for a plan, from the maintained ``sous_arbre_fiche`` rows of its
    root — and ``fiches`` are the same fiches as conditions on ``FicheAction``."""
    lignes: object
    fiches: list
    racine: int | None = None  # a plan's root: its figures are read from the counts


def racine_id(plan_id: int) -> int | None:
    """The plan's root axe (one query: a literal id lets PostgreSQL use its statistics)."""
    return db.session.scalar(select(Axe.id).where(Axe.plan_id == plan_id,
                                                  Axe.parent_id.is_(None)))


def _rows_under(axe_id) -> object:
    return (select(SAF.c.fiche_id, SAF.c.titre, SAF.c.statut, SAF.c.priorite, SAF.c.date_debut,
                   SAF.c.date_fin).where(SAF.c.axe_id == axe_id, SAF.c.vivante == true()))


def du_plan(plan_id: int, racine: int | None = None) -> Perimetre:
    """Live fiches filed anywhere in the plan, once each."""
    racine = racine_id(plan_id) if racine is None else racine
    return Perimetre(_rows_under(racine), in_plan(plan_id, racine), racine)


def in_plan(plan_id: int, racine: int | None = None) -> list:
    """Live fiches filed anywhere in the plan, as conditions (a subquery, not a list of ids)."""
    racine = racine if racine is not None else (
        select(Axe.id).where(Axe.plan_id == plan_id, Axe.parent_id.is_(None))
        .scalar_subquery())
    return [FicheAction.id.in_(_rows_under(racine).with_only_columns(SAF.c.fiche_id)),
            FicheAction.deleted_at.is_(None)]


def of_collectivite(collectivite_id: int) -> Perimetre:
    fiches = [FicheAction.collectivite_id == collectivite_id, FicheAction.deleted_at.is_(None)]
    return Perimetre(select(FicheAction.id.label("fiche_id"), FicheAction.titre, FicheAction.statut,
                            FicheAction.priorite, FicheAction.date_debut, FicheAction.date_fin)
                     .where(*fiches), fiches)


def _late(cols, today: date):
    return and_(cols.date_fin < today, cols.statut.not_in((DONE, DROPPED)))


# --- the figures -----------------------------------------------------------------------

def _by_figures(scope: Perimetre, today: date) -> list[tuple]:
    """(statut, priorité, fiches, late ones) — for a plan, from its root's counts, the late
    ones of the current month (the counts go by month) counted on the rows' date index."""
    if scope.racine is None:
        rows = scope.lignes.subquery("lignes")
        return db.session.execute(
            select(rows.c.statut, rows.c.priorite, func.count(),
                   func.sum(case((_late(rows.c, today), 1), else_=0)))
            .group_by(rows.c.statut, rows.c.priorite)).all()
    mois = today.strftime("%Y-%m")
    passe = and_(C.c.echeance != "", C.c.echeance < mois, C.c.statut.not_in((DONE, DROPPED)))
    rows = [(statut, priorite or None, n, late) for statut, priorite, n, late in db.session.execute(
        select(C.c.statut, C.c.priorite, func.sum(C.c.n), func.sum(case((passe, C.c.n), else_=0)))
        .where(C.c.axe_id == scope.racine).group_by(C.c.statut, C.c.priorite))]
    c = scope.lignes.selected_columns
    ce_mois = db.session.scalar(scope.lignes.with_only_columns(func.count()).where(
        c.date_fin >= today.replace(day=1), _late(c, today)))
    return rows + [(DONE, None, 0, ce_mois)]


def compute(scope: Perimetre, today: date | None = None) -> Stats:
    """Every figure but the per-axe / per-plan ones, over the fiches of ``scope``."""
    today = today or date.today()
    statuts, priorites, counts = {}, {}, {"late": 0, "total": 0}
    for statut, priorite, n, n_late in _by_figures(scope, today):
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


def pilotes(scope: Perimetre, total: int, limit: int = TOP_PILOTES) -> list[tuple[str, int]]:
    """(name, fiches) for user pilotes and « personne » tags, plus « Sans pilote » (``total``
    less the fiches having one); the ``limit`` largest, ties by name. Same-named pilotes
    count together. One query, read from the pilote links (not from every fiche)."""
    counted = scope.lignes.subquery("comptees")
    users = (select(fiche_pilote_user.c.fiche_id, _user_name().label("nom"))
             .join(User, User.id == fiche_pilote_user.c.user_id)
             .join(counted, counted.c.fiche_id == fiche_pilote_user.c.fiche_id))
    tags = (select(fiche_tag.c.fiche_id, Tag.nom.label("nom"))
            .join(Tag, and_(Tag.id == fiche_tag.c.tag_id, Tag.kind == "personne"))
            .join(counted, counted.c.fiche_id == fiche_tag.c.fiche_id))
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


def late_fiches(scope: Perimetre, today: date, limit: int,
                after: FicheAction | None = None) -> list[FicheAction]:
    """Late fiches by date de fin (then title), ``limit`` of them, after ``after`` (keyset).
    Chosen on the scope's rows, only up to the ``limit``-th late date de fin (found on the
    date index), then loaded: never every late fiche."""
    c = scope.lignes.selected_columns
    late = scope.lignes.where(_late(c, today))
    rest = late if after is None else late.where(c.date_fin > after.date_fin)
    cutoff = (rest.with_only_columns(c.date_fin).order_by(c.date_fin)
              .offset(limit - 1).limit(1).scalar_subquery())
    chosen = late.with_only_columns(c.fiche_id).where(or_(cutoff.is_(None), c.date_fin <= cutoff))
    order = (c.date_fin, binaire(c.titre), c.fiche_id)
    if after is not None:
        chosen = chosen.where(tuple_(*order) > tuple_(
            literal(after.date_fin), literal(after.titre, String), literal(after.id)))
    chosen = chosen.order_by(*order).limit(limit).subquery("choisies")
    return list(db.session.scalars(select(FicheAction).join(
        chosen, chosen.c.fiche_id == FicheAction.id).order_by(*late_order())))


def _figures():
    """fiches, non abandonnées, réalisées: sums of the totals."""
    return (func.sum(T.c.n), func.sum(case((T.c.statut != DROPPED, T.c.n), else_=0)),
            func.sum(case((T.c.statut == DONE, T.c.n), else_=0)))


def per_axe(plan_id: int, racine: int | None = None) -> list[tuple[str, int, int | None]]:
    """(top-level axe, fiches under it at any depth, avancement), in tree order."""
    racine = racine_id(plan_id) if racine is None else racine
    rows = db.session.execute(
        select(Axe.nom, *_figures()).outerjoin(T, T.c.axe_id == Axe.id)
        .where(Axe.parent_id == racine)
        .group_by(Axe.id, Axe.nom, Axe.position).order_by(Axe.position, Axe.id))
    return [(nom, n or 0, percent(done or 0, counted or 0)) for nom, n, counted, done in rows]


def plan_stats(plan: Plan, today: date | None = None) -> Stats:
    racine = racine_id(plan.id)
    stats = compute(du_plan(plan.id, racine), today)
    stats.per_axe = per_axe(plan.id, racine)
    return stats


def per_plan(collectivite_id: int) -> list[tuple[Plan, int, int | None]]:
    """(plan, live fiches of the collectivité filed in it, avancement), by plan name: the
    rows of each plan's root, read on the root's index."""
    root = aliased(Axe)
    rows = db.session.execute(
        select(Plan, *_figures())
        .outerjoin(root, and_(root.plan_id == Plan.id, root.parent_id.is_(None)))
        .outerjoin(T, and_(T.c.axe_id == root.id, T.c.collectivite_id == collectivite_id))
        .where(Plan.collectivite_id == collectivite_id, Plan.deleted_at.is_(None))
        .group_by(Plan.id).order_by(binaire(Plan.nom), Plan.id))
    return [(plan, n or 0, percent(done or 0, counted or 0))
            for plan, n, counted, done in rows]


def collectivite_stats(collectivite_id: int, today: date | None = None):
    """Over all live fiches of the collectivité, and per plan: (stats, [(plan, n, av)])."""
    return compute(of_collectivite(collectivite_id), today), per_plan(collectivite_id)


def late_count(scope: Perimetre, today: date) -> int:
    return sum(late or 0 for _s, _p, _n, late in _by_figures(scope, today))
