"""référentiel des collectivités de France

Revision ID: a16_france
Revises: a15_pages
"""
from alembic import op
import sqlalchemy as sa


revision = 'a16_france'
down_revision = 'a15_pages'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
