"""Demo indicator values, a personnalisé indicator and fiche ↔ indicator / référentiel links
for the CC du Val Démo (idempotent)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import FicheAction
from tet.indicateurs.models import IndicateurDefinition, ReferentielAction
from tet.indicateurs import valeurs as service

DATA = Path(__file__).with_name("demo_indicateurs.json")


def _set_all(cid: int, definition, values: dict, source=None) -> None:
    for type_ in ("objectif", "resultat"):
        for annee, valeur in values.get(type_, {}).items():
            service.set_valeur(cid, definition, int(annee), type_, valeur, source=source)


def load_demo_indicateurs(data_path: Path = DATA) -> None:
    data = json.loads(data_path.read_text(encoding="utf-8"))
    for siren, content in data.items():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))
        by_key = {d.identifiant: d for d in db.session.scalars(select(IndicateurDefinition).where(
            service.visible_condition(coll.id)))}
        for identifiant, values in content.get("valeurs", {}).items():
            _set_all(coll.id, by_key[identifiant], values, values.get("source"))
        for row in content.get("personnalises", []):
            definition = db.session.scalar(select(IndicateurDefinition).where(
                IndicateurDefinition.collectivite_id == coll.id,
                IndicateurDefinition.nom == row["nom"]))
            if definition is None:
                definition = IndicateurDefinition(collectivite_id=coll.id, nom=row["nom"],
                                                  unite=row["unite"],
                                                  thematique=row.get("thematique"))
                db.session.add(definition)
                db.session.flush()
            by_key[row["nom"]] = definition
            _set_all(coll.id, definition, row)
        for titre, links in content.get("fiches", {}).items():
            fiche = db.session.scalar(select(FicheAction).where(
                FicheAction.collectivite_id == coll.id, FicheAction.titre == titre))
            fiche.indicateurs = [by_key[k] for k in links.get("indicateurs", [])]
            fiche.referentiel_actions = list(db.session.scalars(select(ReferentielAction).where(
                ReferentielAction.identifiant.in_(links.get("referentiel", [])))))
    db.session.commit()
