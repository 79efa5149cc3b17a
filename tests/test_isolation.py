"""Each test starts from the seeded database: the restore run before every test
(tests/conftest.py) puts back every row of every table and the full-text indexes."""
from __future__ import annotations

from sqlalchemy import delete, select, text, update

from tests import builders
from tests.conftest import _restore
from tet import recherche
from tet.comptes.journal import AuditLog
from tet.extensions import db
from tet.plans.models import FicheAction


def _rows() -> dict[str, list[str]]:
    with db.engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(t.select()).all()))
                for t in db.metadata.sorted_tables}


def _found(texte: str) -> int:
    query, _rank = recherche.fiches(select(FicheAction.id), texte)
    return len(db.session.scalars(query).all())


def test_restore_puts_back_every_row_and_the_search_index(app):
    with app.app_context():
        before = _rows()
        titre = db.session.scalar(select(FicheAction.titre).order_by(FicheAction.id))
        assert _found(titre) and not _found("ombrière éphémère")
        builders.collectivite("Commune éphémère")
        db.session.execute(update(FicheAction).values(titre="Ombrière éphémère"))
        db.session.execute(delete(AuditLog))
        db.session.commit()
        assert _found("ombrière éphémère") and _rows() != before

        _restore(app.extensions["tet_snapshot"])
        db.session.remove()
        assert _rows() == before
        assert _found(titre) and not _found("ombrière éphémère")
        if db.engine.dialect.name == "sqlite":  # raises if an FTS5 index disagrees
            for fts in recherche.FTS_TABLES.values():
                db.session.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')"))
        db.session.remove()
