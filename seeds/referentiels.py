"""Load the CAE and ECi référentiels and the national indicator catalogue (idempotent: a
second load updates the existing rows in place, by identifiant)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition, ReferentielAction

FOLDER = Path(__file__).with_name("referentiels")
# catalogue fields copied from the file (absent: none)
CHAMPS = ("nom", "unite", "thematique", "description", "famille", "secteur", "vecteur",
          "filiere", "source")


def _load_tree(data: dict, known: dict) -> int:
    added = 0

    def walk(items, parent, depth):
        nonlocal added
        for position, item in enumerate(items):
            node = known.get(item["id"])
            if node is None:
                node = ReferentielAction(referentiel=data["referentiel"], identifiant=item["id"])
                db.session.add(node)
                known[item["id"]] = node
                added += 1
            node.nom, node.parent_id = item["nom"], parent.id if parent else None
            node.description = item.get("description")
            node.profondeur, node.position = depth, position
            db.session.flush()
            walk(item.get("children", []), node, depth + 1)

    walk(data["axes"], None, 1)
    return added


def load_referentiels(folder: Path = FOLDER) -> dict:
    known = {a.identifiant: a for a in db.session.scalars(select(ReferentielAction))}
    actions = sum(_load_tree(json.loads((folder / f"{name}.json").read_text("utf-8")), known)
                  for name in ("cae", "eci"))
    catalogue = json.loads((folder / "indicateurs.json").read_text("utf-8"))["indicateurs"]
    existing = {d.identifiant: d for d in db.session.scalars(
        select(IndicateurDefinition).where(IndicateurDefinition.collectivite_id.is_(None)))}
    added = 0
    for row in catalogue:
        definition = existing.get(row["identifiant"])
        if definition is None:
            definition = IndicateurDefinition(identifiant=row["identifiant"])
            db.session.add(definition)
            added += 1
        for champ in CHAMPS:
            if getattr(definition, champ) != row.get(champ):
                setattr(definition, champ, row.get(champ))
        if definition.reglementaire != bool(row.get("reglementaire")):
            definition.reglementaire = bool(row.get("reglementaire"))
        liees = [known[a] for a in row.get("actions", [])]
        if definition.actions != liees:
            definition.actions = liees
    db.session.commit()
    return {"actions": actions, "indicateurs": added}
