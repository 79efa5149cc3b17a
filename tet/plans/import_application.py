"""Write what ``plan_import.read`` found into a collectivité, in one transaction. Plans are
matched by name, axes by path, fiches by title: re-importing updates, never duplicates.

The workbook is first planned in memory (``prevoir``: the look-ups are read once per
workbook, whatever its size), which is all the preview needs: it writes nothing. ``apply``
then writes the plan in batches (``plan_import_ecriture``) and records ONE audit entry."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from tet.comptes.audit import acting_as
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.comptes.models import Collectivite, User
from tet.indicateurs.models import IndicateurDefinition
from tet.comptes.models import Membership
from tet import verrous
from tet.plans.fiches import SIMPLE_FIELDS, TAG_FIELDS, split_names
from tet.indicateurs.valeurs import visible_condition
from tet.plans.format import normalise
from tet.plans.import_lecture import HEADER_NAMES, Lecture, PlanLu, Probleme
from tet.plans.import_ecriture import Ref, ecrire
from tet.plans.arbre import TreeError

NON_SIMPLE = ("personne", "financeurs", "budget", "indicateurs")


@dataclass
class Bilan:
    plans_crees: list[str] = field(default_factory=list)
    plans_mis_a_jour: list[str] = field(default_factory=list)
    fiches_creees: int = 0
    fiches_mises_a_jour: int = 0
    personnes_creees: list[str] = field(default_factory=list)
    axes_crees: int = 0


@dataclass
class FicheOp:
    """Everything the import does to one fiche, rows of the workbook merged in order (a
    later row wins field by field, as successive saves would)."""
    ref: Ref
    titre: str
    champs: dict = field(default_factory=dict)  # SIMPLE_FIELDS columns
    tags: dict = field(default_factory=dict)  # kind → names (those kinds replaced)
    pilotes: set | None = None  # user ids (replaced)
    financeurs: list | None = None  # [(nom, montant)] (replaced)
    budget: object = None  # the total € HT (replaces the previous one)
    a_budget: bool = False
    indicateurs: set = field(default_factory=set)  # definition ids (added)
    axes: list = field(default_factory=list)  # Ref of axes (added)
    parent: FicheOp | None = None

    @property
    def nouvelle(self) -> bool:
        return self.ref.attrs.get("nouvelle", False)


@dataclass
class Prevision:
    bilan: Bilan
    plans: list[Ref] = field(default_factory=list)  # to create, or whose type changes
    cibles: list[Ref] = field(default_factory=list)  # every plan the workbook names
    axes: list[Ref] = field(default_factory=list)  # new ones, parents first
    fiches: dict[str, FicheOp] = field(default_factory=dict)
    problemes: list[Probleme] = field(default_factory=list)  # blocking, found while planning


def simulate(lecture: Lecture, collectivite: Collectivite) -> Bilan:
    """What ``apply`` would do; reads the look-ups, writes nothing. Problems found while
    planning are added to ``lecture`` as errors."""
    prevision = prevoir(lecture, collectivite)
    lecture.problemes.extend(prevision.problemes)
    return prevision.bilan


def apply(lecture: Lecture, collectivite: Collectivite, by: User | None, filename: str) -> Bilan:
    """All or nothing: the plan is written in batches, then committed once."""
    if lecture.erreurs:
        raise ValueError("Le classeur contient des erreurs : rien n'a été importé.")
    try:
        prevision = prevoir(lecture, collectivite)
        if prevision.problemes:
            raise ValueError(" ; ".join(str(p) for p in prevision.problemes[:5]))
        with acting_as(by, context=f"import du classeur {filename}"[:300]):  # one entry
            ecrire(prevision, collectivite, by, filename)
            db.session.commit()
    except verrous.Perime:
        db.session.rollback()
        raise ValueError("une fiche ou un plan a été modifié pendant l'import : recommencez."
                         ) from None
    except Exception:
        db.session.rollback()
        raise
    return prevision.bilan


class _Lookups:
    """Read once per workbook: the collectivité's live fiches (keys only), its members, the
    indicators it sees, and its plans named in the workbook with their axes."""

    def __init__(self, coll: Collectivite, noms: list[str]):
        rows = db.session.execute(select(FicheAction.id, FicheAction.titre,
                                         FicheAction.parent_id)
                                  .where(FicheAction.collectivite_id == coll.id,
                                         FicheAction.deleted_at.is_(None))
                                  .order_by(FicheAction.id)).all()
        titles = {i: t for i, t, _p in rows}
        self.fiches: dict[str, int] = {}  # "titre", or "titre du parent / titre"
        for i, titre, parent_id in rows:
            key = titre if parent_id is None else f"{titles.get(parent_id)} / {titre}"
            self.fiches.setdefault(normalise(key), i)
        self.titres = titles
        self.members: dict[str, int] = {}
        for uid, prenom, nom, email in db.session.execute(
                select(User.id, User.prenom, User.nom, User.email).join(Membership)
                .where(Membership.collectivite_id == coll.id, Membership.validee)):
            self.members[normalise(f"{prenom} {nom}".strip() or email)] = uid
            self.members[normalise(email)] = uid
        self.indicateurs: dict[str, int] = {}
        for did, nom, ident in db.session.execute(
                select(IndicateurDefinition.id, IndicateurDefinition.nom,
                       IndicateurDefinition.identifiant).where(visible_condition(coll.id))):
            self.indicateurs[normalise(nom)] = did
            if ident:
                self.indicateurs[normalise(ident)] = did
        self.plans: dict[str, Ref] = {}
        for pid, nom, type_, version in db.session.execute(
                select(Plan.id, Plan.nom, Plan.type, Plan.version)
                .where(Plan.collectivite_id == coll.id, Plan.deleted_at.is_(None),
                       Plan.nom.in_(noms)).order_by(Plan.id.desc())):
            self.plans[nom] = Ref(pid, nom=nom, type=type_, version=version)
        self.axes = db.session.execute(
            select(Axe.id, Axe.plan_id, Axe.parent_id, Axe.nom)
            .join(Plan, Plan.id == Axe.plan_id)
            .where(Plan.collectivite_id == coll.id, Plan.deleted_at.is_(None),
                   Plan.nom.in_(noms)).order_by(Axe.position, Axe.id)).all()


def prevoir(lecture: Lecture, coll: Collectivite) -> Prevision:
    """The import planned in memory: a fixed number of queries whatever the workbook."""
    look = _Lookups(coll, list({p.nom for p in lecture.plans}))
    prev = Prevision(Bilan())
    plans: dict[str, Ref] = {}
    axes = _AxesPrevus(look.axes, prev)
    deja = {str(p) for p in lecture.problemes}
    for plan_lu in lecture.plans:
        plan = plans.get(plan_lu.nom) or look.plans.get(plan_lu.nom)
        if plan is None:
            nom = plan_lu.nom.strip()[:300]
            if not nom:
                prev.problemes.append(Probleme(plan_lu.feuille, None, None,
                                               "la feuille n'a pas de nom : nommez-la comme "
                                               "le plan."))
                continue
            plan = Ref(None, nom=nom, type=plan_lu.type or "autre", nouveau=True)
            prev.plans.append(plan)
            prev.bilan.plans_crees.append(nom)
        elif plan.id is None:  # created by an earlier sheet of the same name
            plan.attrs["type"] = plan_lu.type or plan.attrs["type"]
            prev.bilan.plans_mis_a_jour.append(plan.attrs["nom"])
        else:
            if plan_lu.type is not None and plan_lu.type != plan.attrs["type"]:
                plan.attrs["nouveau_type"] = plan_lu.type  # the workbook states it: it wins
                if plan not in prev.plans:
                    prev.plans.append(plan)
            prev.bilan.plans_mis_a_jour.append(plan.attrs["nom"])
        plans[plan_lu.nom] = plan
        if plan not in prev.cibles:
            prev.cibles.append(plan)
        chemins = axes.du_plan(plan, plan_lu)
        for lue in plan_lu.fiches:
            key = normalise(lue.titre if lue.parent_titre is None
                            else f"{lue.parent_titre} / {lue.titre}")
            op = prev.fiches.get(key)
            if op is None:
                existing = look.fiches.get(key)
                if existing is None:
                    op = FicheOp(Ref(None, nouvelle=True), lue.titre)
                    prev.bilan.fiches_creees += 1
                else:
                    op = FicheOp(Ref(existing), look.titres[existing])
                    prev.bilan.fiches_mises_a_jour += 1
                prev.fiches[key] = op
            else:
                prev.bilan.fiches_mises_a_jour += 1
            others, inconnus = _fill(op, lue, look, prev, plan_lu)
            notes = [Probleme(plan_lu.feuille, lue.ligne, "Personne pilote",
                              f"« {name} » n'est pas membre de la collectivité : "
                              "créé(e) comme étiquette de personne pilote.", bloquant=False)
                     for name in others]
            notes += [Probleme(plan_lu.feuille, lue.ligne, "Indicateurs liés",
                               f"indicateur « {name} » introuvable (ni dans le catalogue ni "
                               "parmi ceux de la collectivité) : non lié.", bloquant=False)
                      for name in inconnus]
            for note in notes:
                if str(note) not in deja:
                    deja.add(str(note))
                    lecture.problemes.append(note)
            if lue.parent_titre is not None:
                parent = prev.fiches.get(normalise(lue.parent_titre))
                if parent is not None:
                    op.parent = parent
            if chemins[lue.path] not in op.axes:
                op.axes.append(chemins[lue.path])
    prev.bilan.axes_crees = len(prev.axes)
    return prev


class _AxesPrevus:
    """The plans' existing axes by (parent, name); new ones planned with their position."""

    def __init__(self, rows, prev: Prevision):
        self.prev = prev
        self.refs = {i: Ref(i) for i, _p, _pa, _n in rows}
        self.roots: dict[int, Ref] = {}
        self.children: dict[tuple, Ref] = {}
        self.count: dict[Ref, int] = {}
        for i, plan_id, parent_id, nom in rows:
            if parent_id is None:
                self.roots.setdefault(plan_id, self.refs[i])
                continue
            parent = self.refs.get(parent_id)
            self.children.setdefault((parent, normalise(nom)), self.refs[i])
            self.count[parent] = self.count.get(parent, 0) + 1

    def du_plan(self, plan: Ref, plan_lu: PlanLu) -> dict[tuple, Ref]:
        root = self.roots.get(plan.id) if plan.id is not None else None
        if root is None:
            root = plan.attrs.setdefault("racine", Ref(None))
            if plan.id is not None:  # an existing plan without root: as tree.root_of, fail
                raise TreeError(f"Le plan « {plan.attrs['nom']} » n'a pas de racine.")
        ids = {(): root}
        for path in plan_lu.axes:
            parent = ids[path[:-1]]
            key = (parent, normalise(path[-1]))
            axe = self.children.get(key)
            if axe is None:
                position = self.count.get(parent, 0)
                axe = Ref(None, plan=plan, parent=parent, nom=path[-1].strip()[:300],
                          position=position)
                self.count[parent] = position + 1
                self.children[key] = axe
                self.prev.axes.append(axe)
            ids[path] = axe
        return ids


def _fill(op: FicheOp, lue, look: _Lookups, prev: Prevision,
          plan_lu: PlanLu) -> tuple[list[str], list[str]]:
    """One row's data onto the fiche's plan; returns the pilotes that are not members (kept
    as person tags) and the indicators not found. The same rules as ``fiches.save_fiche``."""
    data = lue.data
    values = {k: v for k, v in data.items() if k not in NON_SIMPLE}
    others: list[str] = []
    if "personne" in data:
        users = []
        for name in split_names(data["personne"]):
            uid = look.members.get(normalise(name))
            (users if uid else others).append(uid or name)
        op.pilotes = set(users)
        values["personne"] = ", ".join(others)
        prev.bilan.personnes_creees += [n for n in others
                                        if n not in prev.bilan.personnes_creees]
    if values.get("date_debut") and values.get("date_fin") \
            and values["date_fin"] < values["date_debut"]:
        prev.problemes.append(Probleme(plan_lu.feuille, lue.ligne, HEADER_NAMES["date_fin"],
                                       "la date de fin précède la date de début (lignes "
                                       "fusionnées)."))
    for name in SIMPLE_FIELDS:
        if name in values and name != "titre":
            value = values[name]
            if isinstance(value, str):  # an empty field is "no value", as in the database
                value = value.strip() or None
            op.champs[name] = value
    for kind in TAG_FIELDS:
        if kind in values:
            op.tags[kind] = split_names(values[kind])
    if "financeurs" in data:
        op.financeurs = [(nom[:200], montant) for nom, montant in data["financeurs"]]
    if "budget" in data:
        op.budget, op.a_budget = data["budget"], True
    inconnus = []
    for name in data.get("indicateurs", ()):
        definition = look.indicateurs.get(normalise(name))
        if definition is not None:
            op.indicateurs.add(definition)
        else:
            inconnus.append(name)
    return others, inconnus
