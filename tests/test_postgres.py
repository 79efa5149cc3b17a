"""Checks that only make sense on the real PostgreSQL server (CI starts one)."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests import builders
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.comptes.demandes import Rattachement

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="TEST_DATABASE_URL ne désigne pas un serveur PostgreSQL (make test-pg)"),
]


def test_server_is_postgresql_15(app):
    with app.app_context():
        version = db.session.scalar(text("SHOW server_version"))
    assert version.startswith("15.")


def test_partial_unique_index_refuses_a_second_active_rattachement(app, ids):
    with app.app_context():
        indexes = dict(db.session.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'rattachement'")).all())
        assert "uq_rattachement_actif" in indexes
        definition = indexes["uq_rattachement_actif"]
        assert definition.startswith("CREATE UNIQUE INDEX") and " WHERE " in definition
        other = builders.opsn("OPSN Bis", ["67"])
        db.session.commit()
        db.session.add(Rattachement(collectivite_id=ids["cc"], opsn_id=other.id,
                                    statut="demandee"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # an ended one does not count
        db.session.add(Rattachement(collectivite_id=ids["cc"], opsn_id=other.id,
                                    statut="terminee"))
        db.session.commit()


def test_sequences_continue_after_the_snapshot_restore(app):
    with app.app_context():
        c = builders.collectivite("Commune neuve")
        db.session.commit()
        assert c.id > max(db.session.scalars(db.select(Collectivite.id).where(
            Collectivite.id != c.id)))
