"""pages corrigées (questionnaire, modèles)

Revision ID: a15_pages
Revises: a14_verrous
"""
from alembic import op
import sqlalchemy as sa


revision = 'a15_pages'
down_revision = 'a14_verrous'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
