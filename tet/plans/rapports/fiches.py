"""The essential fields of the selected fiches, one query per kind of data whatever their
number (no query per fiche, no list of ids: each query joins the selection subquery).

``charger(sel, collectivite_id)`` → ``{fiche id: Detail}`` in tree-independent title order:
the fiche's own columns, its pilotes (members and « personne » tags), élus, services and
structures, its budget (prévu and réel, € HT), its indicators with their last objectif and
résultat, and its latest notes de suivi."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, literal, select

from tet.comptes.models import User
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur, fiche_indicateur
from tet.plans.models import (
    BudgetLigne,
    FicheAction,
    FicheFinanceur,
    NoteSuivi,
    Tag,
    fiche_pilote_user,
    fiche_tag,
)
from tet.plans.stats import binaire, is_late

TAGS = ("personne", "elu", "service", "structure", "partenaire")


@dataclass
class Indicateur:
    nom: str
    unite: str
    derniers: dict = field(default_factory=dict)  # type → (année, valeur)


@dataclass
class Detail:
    fiche: FicheAction
    pilotes: list[str] = field(default_factory=list)
    tags: dict[str, list[str]] = field(default_factory=dict)
    budget: dict[str, object] = field(default_factory=dict)  # prevu / reel, € HT
    financeurs: list[tuple[str, object]] = field(default_factory=list)
    indicateurs: list[Indicateur] = field(default_factory=list)
    notes: list[tuple[date, str]] = field(default_factory=list)  # latest first

    def en_retard(self, today: date) -> bool:
        return is_late(self.fiche.date_fin, self.fiche.statut, today)


def charger(sel, collectivite_id: int, notes: int = 1, complet: bool = False
            ) -> dict[int, Detail]:
    """The details of the fiches of ``sel`` (a subquery of ids); ``notes``: how many of the
    latest notes each; ``complet`` adds the financeurs (the fiche PDF)."""
    ids = sel.subquery("selection")
    fiches = db.session.scalars(select(FicheAction).join(ids, ids.c.fiche_id == FicheAction.id)
                                .order_by(binaire(FicheAction.titre), FicheAction.id))
    details = {f.id: Detail(f) for f in fiches}
    if not details:
        return details
    col = ids.c.fiche_id
    _pilotes(details, col)
    _tags(details, col)
    _budgets(details, col)
    if complet:
        _financeurs(details, col)
    _indicateurs(details, col, collectivite_id)
    _notes(details, col, notes)
    return details


def _pilotes(details, ids) -> None:
    nom = func.coalesce(func.nullif(func.trim(User.prenom + literal(" ") + User.nom), ""),
                        User.email)
    for fiche_id, name in db.session.execute(
            select(fiche_pilote_user.c.fiche_id, nom)
            .join(User, User.id == fiche_pilote_user.c.user_id)
            .where(fiche_pilote_user.c.fiche_id.in_(select(ids))).order_by(nom)):
        details[fiche_id].pilotes.append(name)


def _tags(details, ids) -> None:
    for fiche_id, kind, name in db.session.execute(
            select(fiche_tag.c.fiche_id, Tag.kind, Tag.nom).join(Tag, Tag.id == fiche_tag.c.tag_id)
            .where(fiche_tag.c.fiche_id.in_(select(ids)), Tag.kind.in_(TAGS))
            .order_by(Tag.nom)):
        details[fiche_id].tags.setdefault(kind, []).append(name)
    for d in details.values():
        d.pilotes += d.tags.get("personne", [])


def _budgets(details, ids) -> None:
    """Per fiche, in € HT: a total line (no year) when there is one, else the sum of the
    yearly lines — summed by the database."""
    total = BudgetLigne.annee.is_(None)
    sums = [func.sum(case((cond, getattr(BudgetLigne, col)), else_=None))
            for col in ("prevu", "reel") for cond in (total, BudgetLigne.annee.is_not(None))]
    counts = func.sum(case((total, 1), else_=0))
    for fiche_id, prevu_t, prevu_a, reel_t, reel_a, n_total in db.session.execute(
            select(BudgetLigne.fiche_id, *sums, counts)
            .where(BudgetLigne.fiche_id.in_(select(ids)), BudgetLigne.unite == "eur_ht")
            .group_by(BudgetLigne.fiche_id)):
        prevu, reel = (prevu_t, reel_t) if n_total else (prevu_a, reel_a)
        details[fiche_id].budget = {k: v for k, v in (("prevu", prevu), ("reel", reel))
                                    if v is not None}


def _financeurs(details, ids) -> None:
    for fiche_id, name, montant in db.session.execute(
            select(FicheFinanceur.fiche_id, Tag.nom, FicheFinanceur.montant)
            .join(Tag, Tag.id == FicheFinanceur.tag_id)
            .where(FicheFinanceur.fiche_id.in_(select(ids))).order_by(Tag.nom)):
        details[fiche_id].financeurs.append((name, montant))


def _indicateurs(details, ids, collectivite_id) -> None:
    """The linked indicators, then their last value of each type (a window function)."""
    by_def: dict[int, list[Indicateur]] = {}
    linked = select(fiche_indicateur.c.definition_id).where(
        fiche_indicateur.c.fiche_id.in_(select(ids)))
    for fiche_id, def_id, nom, unite in db.session.execute(
            select(fiche_indicateur.c.fiche_id, IndicateurDefinition.id,
                   IndicateurDefinition.nom, IndicateurDefinition.unite)
            .join(IndicateurDefinition, IndicateurDefinition.id == fiche_indicateur.c.definition_id)
            .where(fiche_indicateur.c.fiche_id.in_(select(ids)))
            .order_by(IndicateurDefinition.nom)):
        ind = Indicateur(nom, unite)
        details[fiche_id].indicateurs.append(ind)
        by_def.setdefault(def_id, []).append(ind)
    if not by_def:
        return
    rang = func.row_number().over(partition_by=(IndicateurValeur.definition_id,
                                                IndicateurValeur.type),
                                  order_by=IndicateurValeur.annee.desc()).label("rang")
    last = (select(IndicateurValeur.definition_id, IndicateurValeur.type,
                   IndicateurValeur.annee, IndicateurValeur.valeur, rang)
            .where(IndicateurValeur.collectivite_id == collectivite_id,
                   IndicateurValeur.definition_id.in_(linked.distinct())).subquery())
    for def_id, type_, annee, valeur in db.session.execute(
            select(last.c.definition_id, last.c.type, last.c.annee, last.c.valeur)
            .where(last.c.rang == 1)):
        for ind in by_def.get(def_id, []):
            ind.derniers[type_] = (annee, valeur)


def _notes(details, ids, n: int) -> None:
    rang = func.row_number().over(partition_by=NoteSuivi.fiche_id,
                                  order_by=(NoteSuivi.date.desc(), NoteSuivi.id.desc()))
    last = (select(NoteSuivi.fiche_id, NoteSuivi.date, NoteSuivi.texte, rang.label("rang"))
            .where(NoteSuivi.fiche_id.in_(select(ids))).subquery())
    for fiche_id, when, texte, _r in db.session.execute(
            select(last).where(last.c.rang <= n).order_by(last.c.fiche_id, last.c.rang)):
        details[fiche_id].notes.append((when, texte))
