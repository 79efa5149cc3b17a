"""tri français (collation), formats (issue 12)

PostgreSQL: the ICU collation ``tet_fr`` (French, numbers by value) used by
``tet.tri.tri_fr`` in ORDER BY. SQLite has no stored collation: ``tet.tri`` registers the
same name on every connection. The two long lists sorted by name (a collectivité's fiches,
the collectivités of France) get an index in that order, so their pages are still read
from an index (``tet.tri.INDEX_FR``, outside the models' comparison).

Revision ID: a32_francais
Revises: a30_accueil
"""
from alembic import op


revision = 'a32_francais'
down_revision = 'a30_accueil'
branch_labels = None
depends_on = None

COLLATION = "tet_fr"  # tet.tri.COLLATION (a migration does not import the app)
ICU_LOCALE = "fr-u-kn-true"


INDEX_FR = {
    "ix_fiche_action_liste_fr": ("fiche_action", "collectivite_id, titre COLLATE tet_fr, id",
                                 "deleted_at IS NULL"),
    "ix_collectivite_nom_fr": ("collectivite", "nom COLLATE tet_fr, id", None),
}


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE COLLATION IF NOT EXISTS {COLLATION} "
                   f"(provider = icu, locale = '{ICU_LOCALE}')")
    for name, (table, columns, where) in INDEX_FR.items():
        op.execute(f"CREATE INDEX {name} ON {table} ({columns})"
                   + (f" WHERE {where}" if where else ""))


def downgrade():
    for name in INDEX_FR:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP COLLATION IF EXISTS {COLLATION}")
