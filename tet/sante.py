"""The health check behind ``/sante``: can the database answer, is its schema the one
this code expects (the Alembic revision stored equals the head of ``migrations/``)?

Cheap (two one-row queries; the head is read from the migration scripts once per
process) and silent about details: the reason is a French sentence, never the error text
(which may name a host, a user or a path).
"""
from __future__ import annotations

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tet.extensions import db

OK = {"etat": "ok"}
BASE_INJOIGNABLE = "base de données injoignable"
SCHEMA_PERIME = ("schéma de la base pas à jour : lancer « flask --app app db upgrade »")


def _engine():
    return db.engine


def _heads() -> set[str]:
    """The head revision(s) of the migration scripts, read once per process."""
    heads = current_app.extensions.get("tet_alembic_heads")
    if heads is None:
        directory = current_app.extensions["migrate"].directory
        heads = set(ScriptDirectory(directory).get_heads())
        current_app.extensions["tet_alembic_heads"] = heads
    return heads


def etat() -> tuple[dict, int]:
    """``({"etat": "ok"}, 200)``, or ``({"etat": "erreur", "raison": …}, 503)``."""
    try:
        with _engine().connect() as conn:
            conn.execute(text("SELECT 1"))
            courantes = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        current_app.logger.exception("/sante : la base de données ne répond pas")
        return {"etat": "erreur", "raison": BASE_INJOIGNABLE}, 503
    if courantes != _heads():
        return {"etat": "erreur", "raison": SCHEMA_PERIME}, 503
    return OK, 200
