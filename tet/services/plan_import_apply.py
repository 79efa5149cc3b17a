"""Write what ``plan_import.read`` found into a collectivité, in one transaction. Plans are
matched by name, axes by path, fiches by title: re-importing updates, never duplicates."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from tet.extensions import db
from tet.models import Axe, Collectivite, FicheAction, IndicateurDefinition, Plan, User
from tet.models.accounts import Membership
from tet.models.plans import BudgetLigne, FicheFinanceur
from tet.services import tree
from tet.services.audit import acting_as
from tet.services.fiches import get_or_create_tags, save_fiche, split_names
from tet.services.indicateurs import visible_condition
from tet.services.plan_format import normalise
from tet.services.plan_import import Lecture, PlanLu, Probleme


@dataclass
class Bilan:
    plans_crees: list[str] = field(default_factory=list)
    plans_mis_a_jour: list[str] = field(default_factory=list)
    fiches_creees: int = 0
    fiches_mises_a_jour: int = 0
    personnes_creees: list[str] = field(default_factory=list)


def simulate(lecture: Lecture, collectivite: Collectivite) -> Bilan:
    """What ``apply`` would do (nothing written)."""
    try:
        return _run(lecture, collectivite, None, "simulation")
    finally:
        db.session.rollback()


def apply(lecture: Lecture, collectivite: Collectivite, by: User | None, filename: str) -> Bilan:
    if lecture.erreurs:
        raise ValueError("Le classeur contient des erreurs : rien n'a été importé.")
    try:
        with acting_as(by, context=f"import {filename}"[:300]):
            bilan = _run(lecture, collectivite, by, filename)
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return bilan


class _Context:
    def __init__(self, collectivite: Collectivite):
        self.coll = collectivite
        live = list(db.session.scalars(select(FicheAction).where(
            FicheAction.collectivite_id == collectivite.id, FicheAction.deleted_at.is_(None))))
        titles = {f.id: f.titre for f in live}
        self.fiches = {}  # "titre" for an action, "titre du parent / titre" for a sous-action
        for f in live:
            key = f.titre if f.parent_id is None else f"{titles.get(f.parent_id)} / {f.titre}"
            self.fiches.setdefault(normalise(key), f)
        self.members = {}
        for user in db.session.scalars(select(User).join(Membership).where(
                Membership.collectivite_id == collectivite.id, Membership.validee)):
            self.members[normalise(user.nom_complet)] = user
            self.members[normalise(user.email)] = user
        self.indicateurs = {}
        for d in db.session.scalars(select(IndicateurDefinition).where(
                visible_condition(collectivite.id))):
            self.indicateurs[normalise(d.nom)] = d
            if d.identifiant:
                self.indicateurs[normalise(d.identifiant)] = d


def _run(lecture: Lecture, coll: Collectivite, by: User | None, filename: str) -> Bilan:
    bilan = Bilan()
    ctx = _Context(coll)
    for plan_lu in lecture.plans:
        plan = db.session.scalar(select(Plan).where(
            Plan.collectivite_id == coll.id, Plan.nom == plan_lu.nom, Plan.deleted_at.is_(None)))
        if plan is None:
            plan = tree.create_plan(coll.id, plan_lu.nom, plan_lu.type or "autre",
                                    created_by_id=by.id if by else None)
            bilan.plans_crees.append(plan.nom)
        else:
            if plan_lu.type is not None:  # the workbook states the type: it wins
                plan.type = plan_lu.type
            bilan.plans_mis_a_jour.append(plan.nom)
        axes = _ensure_axes(plan, plan_lu)
        for lue in plan_lu.fiches:
            key = normalise(lue.titre if lue.parent_titre is None
                            else f"{lue.parent_titre} / {lue.titre}")
            fiche = ctx.fiches.get(key)
            if fiche is None:
                fiche = FicheAction(collectivite_id=coll.id, titre=lue.titre)
                bilan.fiches_creees += 1
                ctx.fiches[key] = fiche
            else:
                bilan.fiches_mises_a_jour += 1
            for name in _fill(fiche, lue.data, ctx, by, bilan):
                note = Probleme(plan_lu.feuille, lue.ligne, "Personne pilote",
                                f"« {name} » n'est pas membre de la collectivité : "
                                "créé(e) comme étiquette de personne pilote.", bloquant=False)
                if str(note) not in {str(p) for p in lecture.problemes}:
                    lecture.problemes.append(note)
            if lue.parent_titre is not None:
                parent = ctx.fiches.get(normalise(lue.parent_titre))
                if parent is not None and parent.id is not None:
                    fiche.parent_id = parent.id
            db.session.flush()
            current = {a.id for a in tree.places(fiche)}
            tree.ranger(fiche, current | {axes[lue.path]})
    return bilan


def _ensure_axes(plan: Plan, plan_lu: PlanLu) -> dict[tuple, int]:
    root = tree.root_of(plan)
    ids = {(): root.id}
    existing = {(a.parent_id, normalise(a.nom)): a for a in db.session.scalars(
        select(Axe).where(Axe.plan_id == plan.id))}
    for path in plan_lu.axes:
        parent_id = ids[path[:-1]]
        axe = existing.get((parent_id, normalise(path[-1])))
        if axe is None:
            axe = tree.add_axe(plan, path[-1], db.session.get(Axe, parent_id))
            existing[(parent_id, normalise(path[-1]))] = axe
        ids[path] = axe.id
    return ids


def _fill(fiche: FicheAction, data: dict, ctx: _Context, by, bilan: Bilan) -> list[str]:
    """Apply a row's data; returns the pilotes that are not members (kept as person tags)."""
    values = {k: v for k, v in data.items() if k not in (
        "personne", "financeurs", "budget", "indicateurs")}
    values.setdefault("titre", fiche.titre)
    others: list[str] = []
    if "personne" in data:
        users = []
        for name in split_names(data["personne"]):
            user = ctx.members.get(normalise(name))
            (users if user else others).append(user or name)
        values["pilote_ids"] = [u.id for u in users]
        values["personne"] = ", ".join(others)
        bilan.personnes_creees += [n for n in others if n not in bilan.personnes_creees]
    save_fiche(fiche, values, by)
    if "financeurs" in data:
        fiche.financeurs = [
            FicheFinanceur(financeur=get_or_create_tags(fiche.collectivite_id, "financeur",
                                                        [nom])[0], montant=montant)
            for nom, montant in data["financeurs"]]
    if "budget" in data:
        fiche.budgets = [b for b in fiche.budgets if not (b.annee is None and
                                                          b.unite == "eur_ht")]
        fiche.budgets.append(BudgetLigne(nature="investissement", unite="eur_ht", annee=None,
                                         prevu=data["budget"]))
    if "indicateurs" in data:
        for name in data["indicateurs"]:
            definition = ctx.indicateurs.get(normalise(name))
            if definition is not None and definition not in fiche.indicateurs:
                fiche.indicateurs.append(definition)
    return others
