"""recherche plein texte (inspiration, journal, collectivités)

PostgreSQL: extension ``unaccent`` (contrib; « trusted » since PostgreSQL 13, so the owner
of the database may create it), configurations ``fr_unaccent`` (French stemming after
unaccent) and ``tet_simple`` (names: unaccent, no stemming), stored tsvectors ``fiche_action.recherche``
(titre A, description B) and ``audit_log.recherche``, and three GIN indexes. The expressions
are those of ``tet.recherche.SEARCH_SQL``.

SQLite: FTS5 tables over fiche_action, audit_log and collectivite (external content, kept in
sync by triggers), filled here. A later migration that rebuilds one of these tables with
``batch_alter_table`` drops its triggers: it must create them again (tests check it).

Revision ID: a17_recherche
Revises: a16_france
"""
from alembic import op
import sqlalchemy as sa


revision = 'a17_recherche'
down_revision = 'a16_france'
branch_labels = None
depends_on = None

UNACCENT_REFUSED = (
    "La recherche plein texte demande l'extension PostgreSQL « unaccent » (paquet "
    "postgresql-contrib). Le rôle de l'application n'a pas pu la créer : faites-le une fois "
    "en superutilisateur (sudo -u postgres psql -d <base> -c 'CREATE EXTENSION unaccent;'), "
    "ou donnez au rôle la propriété de la base, puis relancez « flask db upgrade ».")

# (FTS table, content table, columns, extra options)
FTS = [
    ("fiche_fts", "fiche_action", ("titre", "description"), ""),
    ("audit_fts", "audit_log", ("object_repr", "user_email", "object_type"), ""),
    ("collectivite_fts", "collectivite", ("nom", "siren", "code_insee"), ", prefix='2 3'"),
]

PG_FICHE_VECTOR = (
    "setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(titre, '')), 'A') || "
    "setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(description, '')), 'B')")
PG_AUDIT_VECTOR = (
    "to_tsvector('fr_unaccent'::regconfig, coalesce(object_repr, '') "
    "|| ' ' || translate(coalesce(user_email, ''), '@.', '  ') "
    "|| ' ' || coalesce(object_type, ''))")
PG_COLLECTIVITE_VECTOR = (
    "to_tsvector('tet_simple'::regconfig, coalesce(collectivite.nom, '') "
    "|| ' ' || coalesce(collectivite.siren, '') "
    "|| ' ' || coalesce(collectivite.code_insee, ''))")


def _create_unaccent(bind):
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")).scalar():
        return
    try:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except sa.exc.DBAPIError as exc:
        raise RuntimeError(UNACCENT_REFUSED) from exc


def _upgrade_postgresql(bind):
    _create_unaccent(bind)
    for name, source, dictionary in (("fr_unaccent", "french", "french_stem"),
                                     ("tet_simple", "simple", "simple")):
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{source})")
        op.execute(f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
                   f"hword, hword_part, word WITH unaccent, {dictionary}")
    # stored: ranked (fiches), or filtered row by row when the journal is read by date
    for name, vector in (("fiche_action", PG_FICHE_VECTOR), ("audit_log", PG_AUDIT_VECTOR)):
        op.execute(f"ALTER TABLE {name} ADD COLUMN recherche tsvector "
                   f"GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"CREATE INDEX ix_{name}_recherche ON {name} USING gin (recherche)")
    op.execute(f"CREATE INDEX ix_collectivite_recherche ON collectivite "
               f"USING gin (({PG_COLLECTIVITE_VECTOR}))")
    for name in ("fiche_action", "audit_log", "collectivite"):  # statistics of the vectors
        op.execute(f"ANALYZE {name}")


def _upgrade_sqlite():
    for fts, source, columns, options in FTS:
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{source}', "
                   f"content_rowid='id', tokenize='unicode61 remove_diacritics 2'{options})")
        op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {source} BEGIN "
                   f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
        op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {source} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                   f"END")
        op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {source} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                   f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _upgrade_postgresql(bind)
    elif bind.dialect.name == "sqlite":
        _upgrade_sqlite()


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for index in ("ix_collectivite_recherche", "ix_audit_log_recherche",
                      "ix_fiche_action_recherche"):
            op.execute(f"DROP INDEX IF EXISTS {index}")
        op.execute("ALTER TABLE fiche_action DROP COLUMN IF EXISTS recherche")
        op.execute("ALTER TABLE audit_log DROP COLUMN IF EXISTS recherche")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS tet_simple")
        # the unaccent extension stays: it may serve others, and dropping it needs rights
    elif bind.dialect.name == "sqlite":
        for fts, _source, _columns, _options in FTS:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
