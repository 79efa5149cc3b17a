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


def upgrade():
    with op.batch_alter_table('mat_version') as batch:
        batch.add_column(sa.Column('reference', sa.String(length=40), nullable=True))
        batch.create_unique_constraint('uq_mat_version_reference', ['reference'])
    with op.batch_alter_table('mat_question') as batch:
        batch.add_column(sa.Column('fondements', sa.JSON(), server_default='[]',
                                   nullable=False))
    with op.batch_alter_table('mat_recommandation') as batch:
        batch.add_column(sa.Column('pourquoi', sa.Text(), nullable=True))
        batch.add_column(sa.Column('etapes', sa.JSON(), server_default='[]', nullable=False))
        batch.add_column(sa.Column('effort', sa.Text(), nullable=True))
        batch.add_column(sa.Column('cout', sa.Text(), nullable=True))
        batch.add_column(sa.Column('acteurs', sa.JSON(), server_default='[]', nullable=False))
    version = sa.table('mat_version', sa.column('numero', sa.Integer),
                       sa.column('note', sa.Text), sa.column('reference', sa.String))
    op.execute(version.update().where(version.c.numero == 1)
               .values(reference='questionnaire-v1'))
    op.execute(version.update().where(version.c.numero == 2, version.c.note == V2_NOTE)
               .values(reference='questionnaire-v2'))


def downgrade():
    with op.batch_alter_table('mat_recommandation') as batch:
        for column in ('acteurs', 'cout', 'effort', 'etapes', 'pourquoi'):
            batch.drop_column(column)
    with op.batch_alter_table('mat_question') as batch:
        batch.drop_column('fondements')
    with op.batch_alter_table('mat_version') as batch:
        batch.drop_constraint('uq_mat_version_reference', type_='unique')
        batch.drop_column('reference')
