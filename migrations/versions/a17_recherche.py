"""recherche plein texte (inspiration, journal, collectivités)

Revision ID: a17_recherche
Revises: a16_france
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a17_recherche'
down_revision = 'a16_france'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
