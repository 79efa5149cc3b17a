"""import au format TeT, types de plan TeT (issue 13)

Revision ID: a34_types_plan
Revises: a32_francais
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a34_types_plan'
down_revision = 'a32_francais'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
