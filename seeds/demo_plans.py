"""Demo plans: a realistic PCAET and CRTE for the CC, a PAT for Ville d'Exemple, one
déclinaison (idempotent). Statuts, dates and pilotes are spread deterministically."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite, Membership
from tet.plans.models import Declinaison, FicheAction, Plan, Thematique
from tet.comptes.models import User
from tet.plans import fiches as fiche_service
from tet.plans import arbre

DATA = Path(__file__).with_name("demo_plans.json")
STATUTS = ["en_cours", "a_venir", "realise", "en_cours", "en_retard", "en_pause", "a_venir",
           "bloque", "realise", "a_discuter", "en_cours", "abandonne"]
PRIORITES = ["eleve", "moyen", "bas", "moyen"]
SERVICES = ["Service patrimoine", "Service mobilités", "Service environnement",
            "Direction de l'aménagement"]
PARTENAIRES = ["ADEME", "Région Grand Est", "Agence locale de l'énergie", "Chambre d'agriculture"]


class _Loader:
    def __init__(self, collectivite: Collectivite):
        self.coll = collectivite
        self.index = 0
        self.users = list(db.session.scalars(select(User).join(Membership).where(
            Membership.collectivite_id == collectivite.id).order_by(User.email)))
        self.author = self.users[0] if self.users else None
        self.thematiques = list(db.session.scalars(select(Thematique).order_by(Thematique.id)))

    def fiche(self, titre: str) -> FicheAction:
        existing = db.session.scalar(select(FicheAction).where(
            FicheAction.collectivite_id == self.coll.id, FicheAction.titre == titre))
        if existing is not None:
            return existing
        i = self.index
        self.index += 1
        start = date(2024 + i % 3, 1 + (i * 5) % 12, 1)
        fiche = FicheAction(collectivite_id=self.coll.id)
        data = {
            "titre": titre,
            "description": f"{titre} : action portée par {self.coll.nom}.",
            "statut": STATUTS[i % len(STATUTS)], "priorite": PRIORITES[i % len(PRIORITES)],
            "date_debut": start,
            "date_fin": date(start.year + 1 + i % 3, start.month, 28),
            "service": SERVICES[i % len(SERVICES)],
            "partenaire": PARTENAIRES[i % len(PARTENAIRES)],
            "personne": "Chargé·e de mission climat" if i % 4 == 0 else "",
            "pilote_ids": [self.users[i % len(self.users)].id] if self.users and i % 4 else [],
            "thematique_ids": [self.thematiques[i % len(self.thematiques)].id]
            if self.thematiques else [],
            "cibles": ["collectivite"] if i % 2 else ["grand_public", "agents"],
        }
        return fiche_service.save_fiche(fiche, data, self.author)

    def axes(self, plan: Plan, items: list, parent=None) -> None:
        for item in items:
            axe = _existing_axe(plan, item["nom"]) or arbre.add_axe(plan, item["nom"], parent)
            for titre in item.get("fiches", []) + item.get("ranger", []):
                fiche = self.fiche(titre)
                current = {a.id for a in arbre.places(fiche)}
                arbre.ranger(fiche, current | {axe.id})
            self.axes(plan, item.get("axes", []), axe)


def _existing_axe(plan: Plan, nom: str):
    from tet.plans.models import Axe

    return db.session.scalar(select(Axe).where(Axe.plan_id == plan.id, Axe.nom == nom))


def load_demo_plans(data_path: Path = DATA) -> dict:
    data = json.loads(data_path.read_text(encoding="utf-8"))
    created = 0
    for siren, content in data["collectivites"].items():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))
        loader = _Loader(coll)
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
    for titre in data.get("confidentielles", []):
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
