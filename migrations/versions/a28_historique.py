"""historique lisible : lots d'enregistrement, restauration (issue 12)

Revision ID: a28_historique
Revises: a26_projets
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a28_historique'
down_revision = 'a26_projets'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
