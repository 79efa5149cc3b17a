"""indice de maturité courant par collectivité

The latest snapshot and the latest official snapshot of each collectivité, copied into
``mat_indice_courant`` (and its per-category indices into ``mat_indice_categorie``),
backfilled from the history in SQL.

Revision ID: a20_indice
Revises: a18_listes
"""
from alembic import op
import sqlalchemy as sa


revision = 'a20_indice'
down_revision = 'a18_listes'
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO mat_indice_courant (collectivite_id, snapshot_id, at, version_id, indice, lettre,
    progression, officiel, officiel_snapshot_id, officiel_at, indice_officiel,
    lettre_officielle)
SELECT s.collectivite_id, s.id, s.at, s.version_id, s.indice, s.lettre, s.progression,
       s.officiel, o.id, o.at, o.indice, o.lettre
FROM mat_snapshot s
JOIN (SELECT collectivite_id, MAX(id) AS sid FROM mat_snapshot
      GROUP BY collectivite_id) l ON l.sid = s.id
LEFT JOIN (SELECT collectivite_id, MAX(id) AS sid FROM mat_snapshot WHERE officiel
           GROUP BY collectivite_id) lo ON lo.collectivite_id = s.collectivite_id
LEFT JOIN mat_snapshot o ON o.id = lo.sid
"""
CATEGORIES = {
    "sqlite": "SELECT i.collectivite_id, j.key, json_extract(j.value, '$.indice') "
              "FROM mat_indice_courant i JOIN mat_snapshot s ON s.id = i.snapshot_id, "
              "json_each(s.par_categorie) j",
    "postgresql": "SELECT i.collectivite_id, j.key, (j.value ->> 'indice')::int "
                  "FROM mat_indice_courant i JOIN mat_snapshot s ON s.id = i.snapshot_id "
                  "CROSS JOIN LATERAL json_each(s.par_categorie) j",
}


def upgrade():
    op.create_table(
        'mat_indice_courant',
        sa.Column('collectivite_id', sa.Integer(), nullable=False),
        sa.Column('snapshot_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('indice', sa.Integer(), nullable=True),
        sa.Column('lettre', sa.String(length=1), nullable=True),
        sa.Column('progression', sa.Integer(), nullable=False),
        sa.Column('officiel', sa.Boolean(), nullable=False),
        sa.Column('officiel_snapshot_id', sa.Integer(), nullable=True),
        sa.Column('officiel_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('indice_officiel', sa.Integer(), nullable=True),
        sa.Column('lettre_officielle', sa.String(length=1), nullable=True),
        sa.ForeignKeyConstraint(['collectivite_id'], ['collectivite.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['snapshot_id'], ['mat_snapshot.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['officiel_snapshot_id'], ['mat_snapshot.id'],
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['version_id'], ['mat_version.id']),
        sa.PrimaryKeyConstraint('collectivite_id'),
    )
    for column in ('snapshot_id', 'at', 'version_id', 'officiel_snapshot_id',
                   'indice_officiel', 'lettre_officielle'):
        op.create_index(f'ix_mat_indice_courant_{column}', 'mat_indice_courant', [column])
    op.create_table(
        'mat_indice_categorie',
        sa.Column('collectivite_id', sa.Integer(), nullable=False),
        sa.Column('categorie_code', sa.String(length=40), nullable=False),
        sa.Column('indice', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['collectivite_id'], ['mat_indice_courant.collectivite_id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('collectivite_id', 'categorie_code'),
    )
    op.create_index('ix_mat_indice_categorie_code_indice', 'mat_indice_categorie',
                    ['categorie_code', 'indice'])
    bind = op.get_bind()
    bind.execute(sa.text(BACKFILL))
    bind.execute(sa.text("INSERT INTO mat_indice_categorie (collectivite_id, categorie_code, "
                         "indice) " + CATEGORIES[bind.dialect.name]))


def downgrade():
    op.drop_index('ix_mat_indice_categorie_code_indice', table_name='mat_indice_categorie')
    op.drop_table('mat_indice_categorie')
    for column in ('snapshot_id', 'at', 'version_id', 'officiel_snapshot_id',
                   'indice_officiel', 'lettre_officielle'):
        op.drop_index(f'ix_mat_indice_courant_{column}', table_name='mat_indice_courant')
    op.drop_table('mat_indice_courant')
