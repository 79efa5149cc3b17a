"""questionnaire v2 — champs de contenu (fondements, étapes, effort, coût, acteurs…) (issue 14)

Question: ``fondements`` (legal or normative basis). Recommandation: ``pourquoi``,
``etapes``, ``effort``, ``cout``, ``acteurs``. Version: ``reference``, the stable name of a
shipped version (``seeds.maturite.SHIPPED``), so that a version made in the back-office
editor under the number a shipped file declares no longer passes for it. Existing rows: the
version numbered 1 is the shipped v1 (``flask seed`` is the only way to make a first
version); the one numbered 2 is the shipped v2 only if it carries the note that v2 was
loaded with before this revision.

Revision ID: a34_contenu_v2
Revises: a32_francais
"""
from alembic import op
import sqlalchemy as sa


revision = 'a34_contenu_v2'
down_revision = 'a32_francais'
branch_labels = None
depends_on = None

V2_NOTE = ("Deuxième version : aides argumentées avec leurs bases légales et normatives, "
           "réponse « non concerné » où elle a du sens, recommandations détaillées (étapes, "
           "effort, coût, acteurs, indicateur de réussite, ressources), questions défectueuses "
           "corrigées.")


# added and dropped in place (ALTER TABLE), never by batch mode's copy of the table: on
# SQLite, dropping the old copy of mat_version or mat_question would cascade to their
# children (foreign keys are enforced on every connection)
COLUMNS = (
    ('mat_question', sa.Column('fondements', sa.JSON(), server_default='[]', nullable=False)),
    ('mat_recommandation', sa.Column('pourquoi', sa.Text(), nullable=True)),
    ('mat_recommandation', sa.Column('etapes', sa.JSON(), server_default='[]', nullable=False)),
    ('mat_recommandation', sa.Column('effort', sa.Text(), nullable=True)),
    ('mat_recommandation', sa.Column('cout', sa.Text(), nullable=True)),
    ('mat_recommandation', sa.Column('acteurs', sa.JSON(), server_default='[]', nullable=False)),
)


def upgrade():
    op.add_column('mat_version', sa.Column('reference', sa.String(length=40), nullable=True))
    op.create_index('ix_mat_version_reference', 'mat_version', ['reference'], unique=True)
    for table, column in COLUMNS:
        op.add_column(table, column)
    version = sa.table('mat_version', sa.column('numero', sa.Integer),
                       sa.column('note', sa.Text), sa.column('reference', sa.String))
    op.execute(version.update().where(version.c.numero == 1)
               .values(reference='questionnaire-v1'))
    op.execute(version.update().where(version.c.numero == 2, version.c.note == V2_NOTE)
               .values(reference='questionnaire-v2'))


def downgrade():
    op.drop_index('ix_mat_version_reference', table_name='mat_version')
    for table, column in reversed(COLUMNS + (('mat_version', sa.Column('reference')),)):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column.name}")
