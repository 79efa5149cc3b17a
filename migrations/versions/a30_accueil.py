"""pages d'accueil par rôle, digest hebdomadaire (issue 12)

Revision ID: a30_accueil
Revises: a28_historique
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a30_accueil'
down_revision = 'a28_historique'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
