"""A plan's bilan as data, ready for any format: cover, key figures, late fiches and the
tree with each fiche's essential fields — over the report's selection (``selection``), in
a fixed number of queries (figures by GROUP BY, the tree's axes in one, placements in one,
each kind of fiche data in one)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select

from tet.extensions import db
from tet.plans import arbre
from tet.plans.agregats_tables import sous_arbre_fiche as SAF
from tet.plans.models import STATUTS, FicheAction, Plan, fiche_axe, Axe
from tet.plans.rapports import fiches as fiche_data
from tet.plans.rapports.selection import Options
from tet.plans.stats import DONE, DROPPED, binaire, late_condition, percent

LATE_SHOWN = 20  # late fiches listed in the bilan (the count gives the rest)


@dataclass
class Chiffres:
    total: int = 0
    par_statut: list[tuple[str, str, int]] = field(default_factory=list)
    avancement: int | None = None
    en_retard: int = 0
    retard: list[FicheAction] = field(default_factory=list)  # the first LATE_SHOWN
    par_axe: list[tuple[int, str, int, int | None]] = field(default_factory=list)  # top level


@dataclass
class Branche:
    """An axe of the tree with the selected fiches filed right under it."""
    axe_id: int
    nom: str
    niveau: int                      # 0: top-level axe
    fiches: list[tuple[int, bool]] = field(default_factory=list)  # (id, shown above)
    numero: str = ""                 # « 1.2 »

    @property
    def titre(self) -> str:
        """« 1.2. Nom », or the name alone when it already starts with its number."""
        return self.nom if self.nom[:1].isdigit() else f"{self.numero}. {self.nom}"


@dataclass
class Bilan:
    plan: Plan
    collectivite: str
    le: date
    options: Options
    chiffres: Chiffres
    racine: list[tuple[int, bool]] = field(default_factory=list)  # filed at the plan's root
    branches: list[Branche] = field(default_factory=list)  # tree order, empty ones left out
    details: dict[int, fiche_data.Detail] = field(default_factory=dict)
    axes_choisis: list[str] = field(default_factory=list)

    def filtres(self) -> list[str]:
        """The options narrowing the fiches, in words (the cover says them)."""
        out = []
        if self.options.statuts:
            out.append("statuts " + ", ".join(dict(STATUTS)[s] for s in self.options.statuts))
        if self.axes_choisis:
            out.append("axes " + ", ".join(f"« {nom} »" for nom in self.axes_choisis))
        return out

    def section(self, code: str) -> bool:
        return code in self.options.sections


def chiffres(sel, racine: int | None, today: date) -> Chiffres:
    """Counts by statut and late ones (one GROUP BY), per top-level axe (one GROUP BY on the
    maintained rows), the first late fiches (one query)."""
    ids = sel.subquery("sel")
    late = late_condition(today)
    rows = db.session.execute(
        select(FicheAction.statut, func.count(), func.sum(case((late, 1), else_=0)))
        .join(ids, ids.c.fiche_id == FicheAction.id).group_by(FicheAction.statut)).all()
    counts = {statut: n for statut, n, _l in rows}
    total = sum(counts.values())
    c = Chiffres(total=total, en_retard=sum(n or 0 for _s, _n, n in rows),
                 par_statut=[(code, label, counts.get(code, 0)) for code, label in STATUTS],
                 avancement=percent(counts.get(DONE, 0), total - counts.get(DROPPED, 0)))
    c.retard = list(db.session.scalars(
        select(FicheAction).join(ids, ids.c.fiche_id == FicheAction.id).where(late)
        .order_by(FicheAction.date_fin, binaire(FicheAction.titre), FicheAction.id)
        .limit(LATE_SHOWN)))
    if racine is not None:
        ids2 = sel.subquery("sel2")
        n = func.count(SAF.c.fiche_id)
        done = func.sum(case((SAF.c.statut == DONE, 1), else_=0))
        dropped = func.sum(case((SAF.c.statut == DROPPED, 1), else_=0))
        per = {axe_id: (n_, d or 0, x or 0) for axe_id, n_, d, x in db.session.execute(
            select(SAF.c.axe_id, n, done, dropped).join(ids2, ids2.c.fiche_id == SAF.c.fiche_id)
            .join(Axe, and_(Axe.id == SAF.c.axe_id, Axe.parent_id == racine))
            .group_by(SAF.c.axe_id))}
        c.par_axe = [(axe_id, nom, per[axe_id][0], percent(per[axe_id][1],
                                                   per[axe_id][0] - per[axe_id][2]))
                     for axe_id, nom in db.session.execute(
                         select(Axe.id, Axe.nom).where(Axe.parent_id == racine)
                         .order_by(Axe.position, Axe.id)) if axe_id in per]
    return c


def bilan(plan: Plan, sel, options: Options, today: date | None = None) -> Bilan:
    """Everything the bilan shows of ``plan`` for the fiches of ``sel``."""
    today = today or date.today()
    root = arbre.load_axes(plan)
    b = Bilan(plan, plan.collectivite.nom, today, options,
              chiffres(sel, root.axe.id, today),
              axes_choisis=[n.axe.nom for n in root.children if n.axe.id in options.axes])
    if not (b.section("arbre") or options.format == "pptx"):
        return b
    ids = sel.subquery("placees")
    placements: dict[int, list[int]] = {}
    for axe_id, fiche_id in db.session.execute(
            select(fiche_axe.c.axe_id, fiche_axe.c.fiche_id)
            .join(ids, ids.c.fiche_id == fiche_axe.c.fiche_id)
            .join(Axe, Axe.id == fiche_axe.c.axe_id).where(Axe.plan_id == plan.id)):
        placements.setdefault(axe_id, []).append(fiche_id)
    b.details = fiche_data.charger(sel, plan.collectivite_id)
    order = {fid: i for i, fid in enumerate(b.details)}  # title order
    here = {axe_id: sorted((f for f in fids if f in order), key=order.__getitem__)
            for axe_id, fids in placements.items()}
    seen: set[int] = set()

    def once(fids):
        out = [(fid, fid in seen) for fid in fids]
        seen.update(fids)
        return out

    b.racine = [] if options.axes else once(here.get(root.axe.id, []))
    b.branches = _branches(root, here, set(options.axes))
    for branche in b.branches:
        branche.fiches = once(branche.fiches)
    return b


def _branches(root, here: dict[int, list[int]], chosen: set[int]) -> list[Branche]:
    """The tree in order, numbered (1, 1.1…), keeping the axes holding selected fiches
    (under the chosen top-level axes, if any)."""
    def walk(node, prefix):
        out = []
        for i, child in enumerate(node.children, 1):
            if node is root and chosen and child.axe.id not in chosen:
                continue
            numero = f"{prefix}{i}"
            below = walk(child, numero + ".")
            fiches = here.get(child.axe.id, [])
            if fiches or below:
                out += [Branche(child.axe.id, child.axe.nom, child.depth, fiches, numero)] + below
        return out

    return walk(root, "")
