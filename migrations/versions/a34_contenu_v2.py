"""questionnaire v2 — champs de contenu (fondements, étapes, effort, coût, acteurs…) (issue 14)

Revision ID: a34_contenu_v2
Revises: a32_francais
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'a34_contenu_v2'
down_revision = 'a32_francais'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
