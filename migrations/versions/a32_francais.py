"""tri français (collation), formats (issue 12)

Revision ID: a32_francais
Revises: a30_accueil
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a32_francais'
down_revision = 'a30_accueil'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
