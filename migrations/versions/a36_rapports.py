"""rapports PDF / Word / PowerPoint (issue 13)

Revision ID: a36_rapports
Revises: a34_types_plan
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a36_rapports'
down_revision = 'a34_types_plan'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
