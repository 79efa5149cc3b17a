"""Load the demo accounts of ``demo_accounts.json`` (idempotent: existing rows are kept)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from tet.extensions import db
from tet.comptes.models import (
    Collectivite,
    Membership,
    Opsn,
    OpsnDepartement,
    OpsnMembership,
    User,
)
from tet.comptes.demandes import Rattachement
from tet.colonnes import utcnow
from tet.comptes import services as accounts

DATA = Path(__file__).with_name("demo_accounts.json")


def _by_siren(model, siren: str):
    return db.session.scalar(select(model).where(model.siren == siren))


def _get_or_create(model, lookup: dict, **values):
    obj = db.session.scalar(select(model).filter_by(**lookup))
    if obj is None:
        obj = model(**lookup, **values)
        db.session.add(obj)
        db.session.flush()
    return obj


def load_demo(data_path: Path = DATA) -> dict:
    """Create what is missing; returns counts of what was created."""
    return load_accounts(json.loads(data_path.read_text(encoding="utf-8")))


def load_comparables(data_path: Path = DATA) -> dict:
    """The demo collectivités that answer the questionnaire for the benchmark (``seed
    --demo`` only: the test database keeps the four demo collectivités)."""
    data = json.loads(data_path.read_text(encoding="utf-8"))
    return load_accounts({"password": data["password"], "opsn": [],
                          **{k: data["comparables"][k] for k in
                             ("collectivites", "users", "rattachements")}})


def load_accounts(data: dict) -> dict:
    """``data``: opsn, collectivites, users, rattachements (and the password)."""
    created = {"opsn": 0, "collectivites": 0, "users": 0}
    for o in data["opsn"]:
        opsn = _by_siren(Opsn, o["siren"])
        if opsn is None:
            opsn = Opsn(nom=o["nom"], siren=o["siren"], email_contact=o.get("email_contact"),
                        departements=[OpsnDepartement(code=c) for c in o["departements"]])
            db.session.add(opsn)
            created["opsn"] += 1
    for c in data["collectivites"]:
        coll = _by_siren(Collectivite, c["siren"])
        if coll is None:
            fields = {k: v for k, v in c.items() if k != "membres"}
            db.session.add(Collectivite(**fields, source="demo"))
            created["collectivites"] += 1
        elif coll.source == "saisie":  # demo rows made before the source column existed
            coll.source = "demo"
    db.session.flush()
    for c in data["collectivites"]:
        supra = _by_siren(Collectivite, c["siren"])
        for siren in c.get("membres", []):
            membre = _by_siren(Collectivite, siren)
            if membre not in supra.membres:
                supra.membres.append(membre)
    for u in data["users"]:
        user = accounts.find_user(u["email"])
        if user is None:
            user = User(email=u["email"], prenom=u["prenom"], nom=u["nom"],
                        is_support=u.get("is_support", False), email_verifie_le=utcnow())
            accounts.set_password(user, data["password"], enforce_policy=False)
            db.session.add(user)
            db.session.flush()
            created["users"] += 1
        for siren, niveau in u.get("collectivites", {}).items():
            coll = _by_siren(Collectivite, siren)
            _get_or_create(Membership, {"user_id": user.id, "collectivite_id": coll.id},
                           niveau=niveau)
        for siren, role in u.get("opsn", {}).items():
            opsn = _by_siren(Opsn, siren)
            _get_or_create(OpsnMembership, {"user_id": user.id, "opsn_id": opsn.id},
                           role=role)
    for r in data["rattachements"]:
        coll = _by_siren(Collectivite, r["collectivite"])
        opsn = _by_siren(Opsn, r["opsn"])
        _get_or_create(Rattachement, {"collectivite_id": coll.id, "opsn_id": opsn.id},
                       statut=r["statut"], message=r.get("message"))
    db.session.commit()
    return created
