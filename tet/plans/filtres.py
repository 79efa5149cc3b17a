"""Filters of the fiche list: read from the query string, turned into SQL conditions on
``FicheAction`` (EXISTS subqueries on the link tables and on the maintained closure
``sous_arbre_fiche``: an axe's fiches include those of its sous-axes; never a list of ids),
and the option lists of one collectivité (its members, services, plans and axes only).

The « en retard » filter is ``stats.late_condition``, the rule of the late-fiche pages.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, exists, not_, select

from tet.extensions import db
from tet.comptes.models import Membership, User
from tet.plans.agregats_tables import sous_arbre_fiche as SAF
from tet.plans.models import (
    PRIORITES,
    STATUTS,
    Axe,
    FicheAction,
    Plan,
    Tag,
    Thematique,
    fiche_pilote_user,
    fiche_tag,
    fiche_thematique,
)
from tet.plans.stats import late_condition
from tet.nombres import parse_date_parametre, parse_id

SANS_PRIORITE = "aucune"
OPTIONS_MAX = 500    # options of one list (services, axes); beyond, the first ones by name
AXE_PROFONDEUR = 4   # axes offered in the picker: down to this depth under the plan
PARAMS = ("pilote", "service", "plan", "axe", "thematique", "statut", "priorite",
          "echeance_du", "echeance_au", "sans_echeance", "sans_pilote", "en_retard")


@dataclass
class Criteres:
    """The filters asked for (ids already parsed; None: not asked)."""
    pilote: int | None = None
    service: int | None = None
    plan: int | None = None
    axe: int | None = None
    thematique: int | None = None
    statut: str | None = None
    priorite: str | None = None
    echeance_du: date | None = None
    echeance_au: date | None = None
    sans_echeance: bool = False
    sans_pilote: bool = False
    en_retard: bool = False
    racine: int | None = None  # the plan's root axe (``verifier``)
    erreurs: list[str] = field(default_factory=list)

    @property
    def actifs(self) -> bool:
        return any(getattr(self, name) for name in PARAMS)


def _date(args, name: str, label: str, erreurs: list[str]) -> date | None:
    return parse_date_parametre(args, name, erreurs,
                                f"Date {label} invalide (format JJ/MM/AAAA) : filtre ignoré.")


def lire(args) -> Criteres:
    """The filters of a query string; a malformed value is ignored with a French message."""
    c = Criteres()
    for name in ("pilote", "service", "plan", "axe", "thematique"):
        raw = (args.get(name) or "").strip()
        if raw:
            value = parse_id(raw)
            if value is None:
                c.erreurs.append(f"Filtre « {name} » invalide : ignoré.")
            setattr(c, name, value)
    statut = args.get("statut") or None
    c.statut = statut if statut in dict(STATUTS) else None
    priorite = args.get("priorite") or None
    c.priorite = priorite if priorite in dict(PRIORITES) or priorite == SANS_PRIORITE else None
    c.echeance_du = _date(args, "echeance_du", "« échéance après le »", c.erreurs)
    c.echeance_au = _date(args, "echeance_au", "« échéance avant le »", c.erreurs)
    c.sans_echeance = args.get("sans_echeance") == "1"
    c.sans_pilote = args.get("sans_pilote") == "1"
    c.en_retard = args.get("en_retard") == "1"
    return c


def conditions(c: Criteres, today: date | None = None) -> list:
    """SQL conditions on ``FicheAction`` (to add to an already scoped query)."""
    f = FicheAction.id
    conds = []
    if c.pilote:
        conds.append(exists().where(fiche_pilote_user.c.fiche_id == f,
                                    fiche_pilote_user.c.user_id == c.pilote))
    if c.service:
        conds.append(exists().where(fiche_tag.c.fiche_id == f, fiche_tag.c.tag_id == c.service))
    if c.thematique:
        conds.append(exists().where(fiche_thematique.c.fiche_id == f,
                                    fiche_thematique.c.thematique_id == c.thematique))
    if c.axe:  # the closure: filed at the axe or anywhere under it (read on its index)
        conds.append(f.in_(select(SAF.c.fiche_id).where(SAF.c.axe_id == c.axe)))
    elif c.plan:  # the plan's root axe: a look-up of its primary key per fiche
        racine = c.racine if c.racine is not None else select(Axe.id).where(
            Axe.plan_id == c.plan, Axe.parent_id.is_(None)).scalar_subquery()
        conds.append(exists().where(SAF.c.axe_id == racine, SAF.c.fiche_id == f))
    if c.statut:
        conds.append(FicheAction.statut == c.statut)
    if c.priorite == SANS_PRIORITE:
        conds.append(FicheAction.priorite.is_(None))
    elif c.priorite:
        conds.append(FicheAction.priorite == c.priorite)
    if c.sans_echeance:
        conds.append(FicheAction.date_fin.is_(None))
    if c.echeance_du:
        conds.append(FicheAction.date_fin >= c.echeance_du)
    if c.echeance_au:
        conds.append(FicheAction.date_fin <= c.echeance_au)
    if c.sans_pilote:
        personne = select(fiche_tag.c.fiche_id).join(
            Tag, and_(Tag.id == fiche_tag.c.tag_id, Tag.kind == "personne")).where(
            fiche_tag.c.fiche_id == f)
        conds += [not_(exists().where(fiche_pilote_user.c.fiche_id == f)),
                  not_(personne.exists())]
    if c.en_retard:
        conds.append(late_condition(today or date.today()))
    return conds


def verifier(c: Criteres, collectivite_id: int | None) -> None:
    """The plan's root axe looked up (``racine``); a plan or an axe of another collectivité
    (or of a deleted plan) matches nothing; an axe outside the chosen plan is dropped (the
    plan was changed after the axe was chosen). Two queries at most."""
    def live(query):
        query = query.join(Plan, Plan.id == Axe.plan_id).where(Plan.deleted_at.is_(None))
        return query if collectivite_id is None else query.where(
            Plan.collectivite_id == collectivite_id)

    if c.plan:
        c.racine = db.session.scalar(live(select(Axe.id).where(
            Axe.plan_id == c.plan, Axe.parent_id.is_(None)))) or -1
    if c.axe:
        plan_id = db.session.scalar(live(select(Axe.plan_id).where(Axe.id == c.axe)))
        if plan_id is None:
            c.axe = -1  # no axe has this id: no fiche
        elif c.plan and plan_id != c.plan:
            c.axe = None


# --- option lists (one collectivité) ------------------------------------------------------

@dataclass
class Options:
    pilotes: list = field(default_factory=list)
    services: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    axes: list = field(default_factory=list)  # (id, label with its depth)
    thematiques: list = field(default_factory=list)
    statuts: list = field(default_factory=lambda: list(STATUTS))
    priorites: list = field(default_factory=lambda: list(PRIORITES) + [
        (SANS_PRIORITE, "Non renseignée")])


def options(collectivite_id: int | None, plan_id: int | None) -> Options:
    """The lists of the filter form: the collectivité's validated members, services and
    live plans; the axes of the chosen plan (depth ≤ ``AXE_PROFONDEUR``); the thématiques.
    Without a collectivité (support national) only the national lists."""
    o = Options(thematiques=[(t.id, t.nom) for t in db.session.scalars(
        select(Thematique).order_by(Thematique.nom))])
    if collectivite_id is None:
        return o
    o.pilotes = pilotes_of(collectivite_id)
    o.services = list(db.session.execute(
        select(Tag.id, Tag.nom).where(Tag.collectivite_id == collectivite_id,
                                      Tag.kind == "service")
        .order_by(Tag.nom).limit(OPTIONS_MAX)))
    o.plans = list(db.session.execute(
        select(Plan.id, Plan.nom).where(Plan.collectivite_id == collectivite_id,
                                        Plan.deleted_at.is_(None)).order_by(Plan.nom)))
    if plan_id and any(pid == plan_id for pid, _nom in o.plans):
        o.axes = axes_of(plan_id)
    return o


def pilotes_of(collectivite_id: int) -> list[tuple[int, str]]:
    """(id, name) of the collectivité's validated members, by name."""
    return [(u.id, u.nom_complet) for u in db.session.scalars(
        select(User).join(Membership).where(Membership.collectivite_id == collectivite_id,
                                            Membership.validee)
        .order_by(User.nom, User.prenom, User.email).limit(OPTIONS_MAX))]


def axes_of(plan_id: int, racine: str | None = None) -> list[tuple[int, str]]:
    """The plan's axes in tree order, indented by depth, down to ``AXE_PROFONDEUR``, at
    most ``OPTIONS_MAX``: one query of three columns. The root (the plan itself) first,
    labelled ``racine``, when given."""
    children = defaultdict(list)
    for axe_id, parent_id, nom in db.session.execute(
            select(Axe.id, Axe.parent_id, Axe.nom).where(Axe.plan_id == plan_id)
            .order_by(Axe.position, Axe.id)):
        children[parent_id].append((axe_id, nom))
    out: list[tuple[int, str]] = [(root, racine) for root, _nom in children[None] if racine]
    stack = [(child, 1) for root, _nom in children[None] for child in reversed(children[root])]
    while stack and len(out) < OPTIONS_MAX:
        (axe_id, nom), depth = stack.pop()
        out.append((axe_id, "\u2003" * (depth - 1) + nom))
        if depth < AXE_PROFONDEUR:
            stack += [(child, depth + 1) for child in reversed(children[axe_id])]
    return out
