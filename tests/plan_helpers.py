"""Helpers for the plan tests: find demo rows by name (inside an app context)."""
from __future__ import annotations

from sqlalchemy import select

from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan


def plan_id(app, nom: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Plan.id).where(Plan.nom == nom))


def axe_id(app, nom: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Axe.id).where(Axe.nom == nom))


def fiche_id(app, titre: str) -> int:
    with app.app_context():
        return db.session.scalar(select(FicheAction.id).where(FicheAction.titre == titre))


def fiche(app, fid: int) -> FicheAction:
    with app.app_context():
        f = db.session.get(FicheAction, fid)
        db.session.expunge(f)
        return f
