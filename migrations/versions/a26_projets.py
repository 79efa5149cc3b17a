"""appels à projets

Revision ID: a26_projets
Revises: a24_agregats
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a26_projets'
down_revision = 'a24_agregats'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
