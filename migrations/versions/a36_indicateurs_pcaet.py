"""indicateurs réglementaires du PCAET — sources et secteurs du catalogue (issue 14)

Revision ID: a36_indicateurs_pcaet
Revises: a34_contenu_v2
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a36_indicateurs_pcaet'
down_revision = 'a34_contenu_v2'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
