"""Demo plans: a PCAET and a CRTE for the CC, a communal plan for Valbourg, a PAT for Ville
d'Exemple, one déclinaison (idempotent). Each fiche's content (thématiques, référentiel
actions, indicators, statut, dates, pilotes, budget) is read from ``demo_plans.json``;
its dated history is written by ``seeds.demo_historique`` (``flask seed --demo`` only)."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite, Membership
from tet.indicateurs.models import IndicateurDefinition, ReferentielAction
from tet.plans.models import Axe, Declinaison, FicheAction, Plan, Thematique
from tet.comptes.models import User
from tet.plans import fiches as fiche_service
from tet.plans import arbre

DATA = Path(__file__).with_name("demo_plans.json")
# JSON key → fiche form key (per-collectivité tags, comma-separated names)
TAGS = {"service": "service", "personne": "personne", "elu": "elu",
        "partenaires": "partenaire", "structure": "structure"}


def _jour(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _montant(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def fiche_data(titre: str, spec: dict, users: dict, thematiques: dict) -> dict:
    """The fiche form's values for a demo fiche described by ``spec``."""
    data = {
        "titre": titre, "description": spec.get("description"),
        "objectifs": spec.get("objectifs"), "statut": spec.get("statut", "a_venir"),
        "priorite": spec.get("priorite"), "date_debut": _jour(spec.get("debut")),
        "date_fin": _jour(spec.get("fin")), "temps_mise_en_oeuvre": spec.get("temps"),
        "amelioration_continue": spec.get("amelioration_continue", False),
        "cibles": spec.get("cibles", []), "participation": spec.get("participation"),
        "thematique_ids": [thematiques[n].id for n in spec.get("thematiques", [])],
        "pilote_ids": [users[e].id for e in spec.get("pilotes", []) if e in users],
        "financeurs": [fiche_service.FinanceurRow(nom, _montant(m))
                       for nom, m in spec.get("financeurs", [])],
        "budgets": [fiche_service.BudgetRow(b["nature"], "eur_ht", b.get("annee"),
                                            _montant(b.get("prevu")), _montant(b.get("reel")))
                    for b in spec.get("budget", [])],
    }
    for key, form_key in TAGS.items():
        value = spec.get(key)
        if value:
            data[form_key] = value if isinstance(value, list) else [value]
    return data


class _Loader:
    def __init__(self, collectivite: Collectivite, specs: dict):
        self.coll = collectivite
        self.specs = specs
        self.users = {u.email: u for u in db.session.scalars(select(User).join(Membership).where(
            Membership.collectivite_id == collectivite.id).order_by(User.email))}
        self.author = next(iter(self.users.values()), None)
        self.thematiques = {t.nom: t for t in db.session.scalars(select(Thematique))}

    def fiche(self, titre: str) -> FicheAction:
        existing = db.session.scalar(select(FicheAction).where(
            FicheAction.collectivite_id == self.coll.id, FicheAction.titre == titre))
        if existing is not None:
            return existing
        spec = self.specs.get(titre, {})
        fiche = FicheAction(collectivite_id=self.coll.id)
        fiche_service.save_fiche(fiche, fiche_data(titre, spec, self.users, self.thematiques),
                                 self.author)
        fiche.referentiel_actions = list(db.session.scalars(select(ReferentielAction).where(
            ReferentielAction.identifiant.in_(spec.get("referentiel", [])))))
        fiche.indicateurs = list(db.session.scalars(select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id.is_(None),
            IndicateurDefinition.identifiant.in_(spec.get("indicateurs", [])))))
        return fiche

    def axes(self, plan: Plan, items: list, parent=None) -> None:
        for item in items:
            axe = _existing_axe(plan, item["nom"]) or arbre.add_axe(plan, item["nom"], parent)
            for titre in item.get("fiches", []) + item.get("ranger", []):
                fiche = self.fiche(titre)
                current = {a.id for a in arbre.places(fiche)}
                if axe.id not in current:
                    arbre.ranger(fiche, current | {axe.id})
            self.axes(plan, item.get("axes", []), axe)


def _existing_axe(plan: Plan, nom: str):
    return db.session.scalar(select(Axe).where(Axe.plan_id == plan.id, Axe.nom == nom))


def load_demo_plans(data_path: Path = DATA) -> dict:
    data = json.loads(data_path.read_text(encoding="utf-8"))
    created = 0
    for siren, content in data["collectivites"].items():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))
        loader = _Loader(coll, data.get("fiches", {}))
        for p in content["plans"]:
            plan = db.session.scalar(select(Plan).where(Plan.collectivite_id == coll.id,
                                                        Plan.nom == p["nom"]))
            if plan is None:
                plan = arbre.create_plan(coll.id, p["nom"], p["type"],
                                        description=p.get("description"))
                created += 1
            loader.axes(plan, p["axes"])
        for titre in content.get("non_classees", []):
            loader.fiche(titre)
    titles = {f.titre: f for f in db.session.scalars(select(FicheAction))}
    for a, b in data.get("liens", []):  # fiches liées (added once: ``link`` keeps one row)
        fiche_service.link(titles[a], titles[b])
    for titre in data.get("confidentielles", []):
        if not titles[titre].confidentiel:
            titles[titre].confidentiel = True
    for supra, membre in data.get("declinaisons", []):  # requested and accepted
        key = (titles[supra].id, titles[membre].id)
        link = db.session.get(Declinaison, key)
        if link is None:
            db.session.add(Declinaison(supra_fiche_id=key[0], membre_fiche_id=key[1],
                                       statut="acceptee"))
        elif link.statut == "demandee" and link.demandee_par_id is None:
            link.statut = "acceptee"  # a demo row written before consent existed
    db.session.commit()
    return {"plans": created}
