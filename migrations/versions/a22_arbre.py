"""arbre des plans à l'échelle nationale

Every plan gets its one root axe back (the load data set inserted plans whose top-level
axes had no parent: the tree page showed the first one's subtree only); fiche_axe gets an
index on (axe_id, fiche_id) instead of (axe_id): the fiches of an axe from the index alone.

Revision ID: a22_arbre
Revises: a20_indice
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a22_arbre'
down_revision = 'a20_indice'
branch_labels = None
depends_on = None

# plans whose parent-less axes are not exactly one (a root made here is marked position -1)
SANS_RACINE = ("(SELECT COUNT(*) FROM axe r WHERE r.plan_id = plan.id "
               "AND r.parent_id IS NULL) <> 1")


def upgrade():
    op.execute("INSERT INTO axe (plan_id, parent_id, nom, position, version) "
               f"SELECT plan.id, NULL, plan.nom, -1, 1 FROM plan WHERE {SANS_RACINE}")
    op.execute("UPDATE axe SET parent_id = (SELECT r.id FROM axe r WHERE r.plan_id = "
               "axe.plan_id AND r.parent_id IS NULL AND r.position = -1) "
               "WHERE parent_id IS NULL AND position <> -1 AND EXISTS (SELECT 1 FROM axe r "
               "WHERE r.plan_id = axe.plan_id AND r.parent_id IS NULL AND r.position = -1)")
    op.execute("UPDATE axe SET position = 0 WHERE parent_id IS NULL AND position = -1")
    with op.batch_alter_table('fiche_axe', schema=None) as batch_op:
        batch_op.create_index('ix_fiche_axe_axe_id_fiche_id', ['axe_id', 'fiche_id'],
                              unique=False)
        batch_op.drop_index('ix_fiche_axe_axe_id')  # its prefix


def downgrade():
    with op.batch_alter_table('fiche_axe', schema=None) as batch_op:
        batch_op.create_index('ix_fiche_axe_axe_id', ['axe_id'], unique=False)
        batch_op.drop_index('ix_fiche_axe_axe_id_fiche_id')
    # the roots stay: the trees are valid with them
