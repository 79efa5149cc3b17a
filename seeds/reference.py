"""Reference data every installation needs (national lists), loaded by ``flask seed``."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from tet.extensions import db
from tet.plans.models import Thematique

THEMATIQUES = Path(__file__).with_name("thematiques.json")


def load_reference() -> dict:
    from seeds.referentiels import load_referentiels

    names = json.loads(THEMATIQUES.read_text(encoding="utf-8"))["thematiques"]
    known = set(db.session.scalars(select(Thematique.nom)))
    added = [Thematique(nom=n) for n in names if n not in known]
    db.session.add_all(added)
    db.session.commit()
    return {"thematiques": len(added), **load_referentiels()}
