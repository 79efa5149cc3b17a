"""Demo indicator values (the PCAET's series of the CC du Val Démo over the years, with its
objectives), its personnalisé indicators and their links to fiches (idempotent: links are
added, never replaced — the catalogue ones come with the fiches, ``seeds.demo_plans``)."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import FicheAction
from tet.indicateurs.models import IndicateurDefinition
from tet.indicateurs import valeurs as service

DATA = Path(__file__).with_name("demo_indicateurs.json")


def _set_all(cid: int, definition, values: dict, existing: dict, sources: dict) -> None:
    """Write the values that are missing or differ (``existing``: ``service.cellules``;
    ``sources``: by type of value)."""
    for type_ in ("objectif", "resultat"):
        source = sources.get(type_)
        for annee, valeur in values.get(type_, {}).items():
            current = existing.get((definition.id, int(annee), type_))
            if (current is not None and Decimal(current.valeur) == Decimal(str(valeur))
                    and (source is None or current.source == source)):
                continue
            service.set_valeur(cid, definition, int(annee), type_, valeur, source=source)


def load_demo_indicateurs(data_path: Path = DATA) -> None:
    data = json.loads(data_path.read_text(encoding="utf-8"))
    for siren, content in data.items():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))
        by_key = {d.identifiant: d for d in db.session.scalars(select(IndicateurDefinition).where(
            service.visible_condition(coll.id)))}
        existing = service.cellules(coll.id, [d.id for d in by_key.values()])
        with db.session.no_autoflush:  # one flush for the whole series, not one per value
            for identifiant, values in content.get("valeurs", {}).items():
                _set_all(coll.id, by_key[identifiant], values, existing,
                         {"resultat": values.get("source"),
                          "objectif": content.get("source_objectifs")})
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
            with db.session.no_autoflush:
                _set_all(coll.id, definition, row, existing,
                         {"objectif": content.get("source_objectifs")})
        for titre, links in content.get("fiches", {}).items():
            fiche = db.session.scalar(select(FicheAction).where(
                FicheAction.collectivite_id == coll.id, FicheAction.titre == titre))
            for definition in (by_key[k] for k in links.get("indicateurs", [])):
                if definition not in fiche.indicateurs:
                    fiche.indicateurs.append(definition)
    db.session.commit()
