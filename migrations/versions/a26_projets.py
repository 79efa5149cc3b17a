"""appels à projets: organisations porteuses, appels, dossiers, candidatures, comité, suivi

Tables of ``tet.projets.models`` (design note in ``tet.projets``). New tables only: nothing
to backfill.

Revision ID: a26_projets
Revises: a24_agregats
"""
from alembic import op
import sqlalchemy as sa


revision = 'a26_projets'
down_revision = 'a24_agregats'
branch_labels = None
depends_on = None

TABLES = [  # in creation order
    'organisation', 'appel', 'dossier', 'organisation_membre', 'appel_axe', 'appel_etape',
    'appel_matrice', 'appel_piece', 'appel_territoire', 'comite_membre',
    'dossier_financement', 'dossier_jalon', 'dossier_risque', 'appel_critere',
    'candidature', 'dossier_piece', 'candidature_message', 'decision', 'evaluation',
    'impact', 'vote', 'impact_valeur',
]


def upgrade():
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nom', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('siren', sa.String(length=9), nullable=True),
    sa.Column('siret', sa.String(length=14), nullable=True),
    sa.Column('adresse', sa.Text(), nullable=True),
    sa.Column('code_postal', sa.String(length=5), nullable=True),
    sa.Column('commune', sa.String(length=150), nullable=True),
    sa.Column('departement', sa.String(length=3), nullable=True),
    sa.Column('email_contact', sa.String(length=254), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('siren', name=op.f('uq_organisation_siren'))
    )
    op.create_index('ix_organisation_departement', 'organisation', ['departement'])
    op.create_index('ix_organisation_nom', 'organisation', ['nom'])
    op.create_index('ix_organisation_type', 'organisation', ['type'])

    op.create_table('appel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collectivite_id', sa.Integer(), nullable=True),
    sa.Column('titre', sa.String(length=300), nullable=False),
    sa.Column('annee', sa.Integer(), nullable=False),
    sa.Column('statut', sa.String(length=10), server_default='brouillon', nullable=False),
    sa.Column('objectifs', sa.Text(), nullable=True),
    sa.Column('regles_eligibilite', sa.Text(), nullable=True),
    sa.Column('options_notes', sa.JSON(), nullable=False),
    sa.Column('seance_ouverte', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('seance_ouverte_le', sa.DateTime(timezone=True), nullable=True),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("statut IN ('brouillon', 'ouvert', 'clos', 'decide')", name=op.f('ck_appel_statut')),
    sa.ForeignKeyConstraint(['collectivite_id'], ['collectivite.id'], name=op.f('fk_appel_collectivite_id_collectivite'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['copied_from_id'], ['appel.id'], name=op.f('fk_appel_copied_from_id_appel'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_appel_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appel'))
    )
    op.create_index('ix_appel_annee', 'appel', ['annee'])
    op.create_index('ix_appel_collectivite_id', 'appel', ['collectivite_id'])
    op.create_index('ix_appel_copied_from_id', 'appel', ['copied_from_id'])
    op.create_index('ix_appel_created_by_id', 'appel', ['created_by_id'])
    op.create_index('ix_appel_statut', 'appel', ['statut'])
    op.create_index('ix_appel_titre', 'appel', ['titre'])

    op.create_table('dossier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('porteur_id', sa.Integer(), nullable=True),
    sa.Column('referent_nom', sa.String(length=200), nullable=True),
    sa.Column('referent_email', sa.String(length=254), nullable=True),
    sa.Column('referent_telephone', sa.String(length=30), nullable=True),
    sa.Column('titre', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('objectifs', sa.Text(), nullable=True),
    sa.Column('beneficiaires', sa.Text(), nullable=True),
    sa.Column('partenaires', sa.Text(), nullable=True),
    sa.Column('zone_impact', sa.String(length=20), nullable=False),
    sa.Column('stade', sa.String(length=20), nullable=False),
    sa.Column('departement', sa.String(length=3), nullable=True),
    sa.Column('budget_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('confidentiel', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('champs_publics', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stade IN ('idee', 'cahier_des_charges', 'prototype', 'developpement', 'test', 'production')", name=op.f('ck_dossier_stade')),
    sa.CheckConstraint("zone_impact IN ('local', 'regional', 'national', 'international')", name=op.f('ck_dossier_zone_impact')),
    sa.CheckConstraint('budget_total IS NULL OR budget_total >= 0', name=op.f('ck_dossier_budget')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_dossier_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['porteur_id'], ['user_account.id'], name=op.f('fk_dossier_porteur_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier'))
    )
    op.create_index('ix_dossier_confidentiel', 'dossier', ['confidentiel'])
    op.create_index('ix_dossier_departement', 'dossier', ['departement'])
    op.create_index('ix_dossier_organisation_id', 'dossier', ['organisation_id'])
    op.create_index('ix_dossier_porteur_id', 'dossier', ['porteur_id'])
    op.create_index('ix_dossier_stade', 'dossier', ['stade'])
    op.create_index('ix_dossier_titre', 'dossier', ['titre'])
    op.create_index('ix_dossier_zone_impact', 'dossier', ['zone_impact'])

    op.create_table('organisation_membre',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_membre_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_organisation_membre_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_membre')),
    sa.UniqueConstraint('user_id', 'organisation_id', name=op.f('uq_organisation_membre_user_id'))
    )
    op.create_index('ix_organisation_membre_organisation_id', 'organisation_membre', ['organisation_id'])
    op.create_index('ix_organisation_membre_user_id', 'organisation_membre', ['user_id'])

    op.create_table('appel_axe',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appel_id', sa.Integer(), nullable=False),
    sa.Column('nom', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('part', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('part BETWEEN 0 AND 100', name=op.f('ck_appel_axe_part')),
    sa.ForeignKeyConstraint(['appel_id'], ['appel.id'], name=op.f('fk_appel_axe_appel_id_appel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appel_axe'))
    )
    op.create_index('ix_appel_axe_appel_id', 'appel_axe', ['appel_id'])

    op.create_table('appel_etape',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appel_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('date_debut', sa.Date(), nullable=True),
    sa.Column('date_fin', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("kind IN ('depot', 'eligibilite', 'priorisation', 'risques', 'conventionnement', 'suivi')", name=op.f('ck_appel_etape_kind')),
    sa.CheckConstraint('date_fin IS NULL OR date_debut IS NULL OR date_fin >= date_debut', name=op.f('ck_appel_etape_dates')),
    sa.ForeignKeyConstraint(['appel_id'], ['appel.id'], name=op.f('fk_appel_etape_appel_id_appel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appel_etape')),
    sa.UniqueConstraint('appel_id', 'kind', name=op.f('uq_appel_etape_appel_id'))
    )
    op.create_index('ix_appel_etape_appel_id', 'appel_etape', ['appel_id'])

    op.create_table('appel_matrice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appel_id', sa.Integer(), nullable=False),
    sa.Column('nom', sa.String(length=200), nullable=False),
    sa.Column('poids', sa.Integer(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('poids BETWEEN 0 AND 100', name=op.f('ck_appel_matrice_poids')),
    sa.ForeignKeyConstraint(['appel_id'], ['appel.id'], name=op.f('fk_appel_matrice_appel_id_appel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appel_matrice'))
    )
    op.create_index('ix_appel_matrice_appel_id', 'appel_matrice', ['appel_id'])

    op.create_table('appel_piece',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appel_id', sa.Integer(), nullable=False),
    sa.Column('libelle', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('obligatoire', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['appel_id'], ['appel.id'], name=op.f('fk_appel_piece_appel_id_appel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appel_piece'))
    )
    op.create_index('ix_appel_piece_appel_id', 'appel_piece', ['appel_id'])

    op.create_table('appel_territoire',
    sa.Column('appel_id', sa.Integer(), nullable=False),
    sa.Column('collectivite_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['appel_id'], ['appel.id'], name=op.f('fk_appel_territoire_appel_id_appel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['collectivite_id'], ['collectivite.id'], name=op.f('fk_appel_territoire_collectivite_id_collectivite'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('appel_id', 'collectivite_id', name=op.f('pk_appel_territoire'))
    )
    op.create_index('ix_appel_territoire_collectivite_id', 'appel_territoire', ['collectivite_id'])

    op.create_table('comite_membre',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appel_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('origine', sa.String(length=20), nullable=False),
    sa.Column('collectivite_id', sa.Integer(), nullable=True),
    sa.Column('invite_le', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepte_le', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("origine IN ('organisateur', 'partenaire', 'expert')", name=op.f('ck_comite_membre_origine')),
    sa.CheckConstraint('user_id IS NOT NULL OR email IS NOT NULL', name=op.f('ck_comite_membre_qui')),
    sa.ForeignKeyConstraint(['appel_id'], ['appel.id'], name=op.f('fk_comite_membre_appel_id_appel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['collectivite_id'], ['collectivite.id'], name=op.f('fk_comite_membre_collectivite_id_collectivite'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_comite_membre_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comite_membre')),
    sa.UniqueConstraint('email', 'appel_id', name=op.f('uq_comite_membre_email')),
    sa.UniqueConstraint('user_id', 'appel_id', name=op.f('uq_comite_membre_user_id'))
    )
    op.create_index('ix_comite_membre_appel_id', 'comite_membre', ['appel_id'])
    op.create_index('ix_comite_membre_collectivite_id', 'comite_membre', ['collectivite_id'])
    op.create_index('ix_comite_membre_email', 'comite_membre', ['email'])
    op.create_index('ix_comite_membre_user_id', 'comite_membre', ['user_id'])

    op.create_table('dossier_financement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('cofinanceur', sa.String(length=200), nullable=False),
    sa.Column('montant', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('acquis', sa.Boolean(), nullable=False),
    sa.CheckConstraint('montant >= 0', name=op.f('ck_dossier_financement_montant')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_financement_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_financement'))
    )
    op.create_index('ix_dossier_financement_dossier_id', 'dossier_financement', ['dossier_id'])

    op.create_table('dossier_jalon',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('stade', sa.String(length=20), nullable=False),
    sa.Column('date_prevue', sa.Date(), nullable=True),
    sa.Column('date_atteinte', sa.Date(), nullable=True),
    sa.CheckConstraint("stade IN ('idee', 'cahier_des_charges', 'prototype', 'developpement', 'test', 'production')", name=op.f('ck_dossier_jalon_stade')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_jalon_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_jalon')),
    sa.UniqueConstraint('dossier_id', 'stade', name=op.f('uq_dossier_jalon_dossier_id'))
    )
    op.create_index('ix_dossier_jalon_dossier_id', 'dossier_jalon', ['dossier_id'])

    op.create_table('dossier_risque',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('categorie', sa.String(length=20), nullable=False),
    sa.Column('libelle', sa.String(length=300), nullable=False),
    sa.Column('probabilite', sa.Integer(), nullable=False),
    sa.Column('gravite', sa.Integer(), nullable=False),
    sa.Column('mesures', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("categorie IN ('technique', 'organisationnel', 'rh', 'planification', 'moyens', 'contractuel', 'juridique', 'financier', 'environnemental', 'acceptabilite')", name=op.f('ck_dossier_risque_categorie')),
    sa.CheckConstraint('gravite BETWEEN 1 AND 4', name=op.f('ck_dossier_risque_gravite')),
    sa.CheckConstraint('probabilite BETWEEN 1 AND 4', name=op.f('ck_dossier_risque_probabilite')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_risque_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_risque'))
    )
    op.create_index('ix_dossier_risque_categorie', 'dossier_risque', ['categorie'])
    op.create_index('ix_dossier_risque_dossier_id', 'dossier_risque', ['dossier_id'])

    op.create_table('appel_critere',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matrice_id', sa.Integer(), nullable=False),
    sa.Column('axe_id', sa.Integer(), nullable=True),
    sa.Column('libelle', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('poids', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('poids BETWEEN 0 AND 100', name=op.f('ck_appel_critere_poids')),
    sa.ForeignKeyConstraint(['axe_id'], ['appel_axe.id'], name=op.f('fk_appel_critere_axe_id_appel_axe'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['matrice_id'], ['appel_matrice.id'], name=op.f('fk_appel_critere_matrice_id_appel_matrice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appel_critere'))
    )
    op.create_index('ix_appel_critere_axe_id', 'appel_critere', ['axe_id'])
    op.create_index('ix_appel_critere_matrice_id', 'appel_critere', ['matrice_id'])

    op.create_table('candidature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('appel_id', sa.Integer(), nullable=False),
    sa.Column('axe_id', sa.Integer(), nullable=True),
    sa.Column('statut', sa.String(length=20), server_default='brouillon', nullable=False),
    sa.Column('motivation', sa.Text(), nullable=True),
    sa.Column('reponses', sa.JSON(), nullable=False),
    sa.Column('montant_demande', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('deposee_le', sa.DateTime(timezone=True), nullable=True),
    sa.Column('motif_eligibilite', sa.Text(), nullable=True),
    sa.Column('fiche_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("statut IN ('brouillon', 'depose', 'eligible', 'non_eligible', 'evalue', 'retenu', 'non_retenu', 'conventionne', 'en_suivi')", name=op.f('ck_candidature_statut')),
    sa.ForeignKeyConstraint(['appel_id'], ['appel.id'], name=op.f('fk_candidature_appel_id_appel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['axe_id'], ['appel_axe.id'], name=op.f('fk_candidature_axe_id_appel_axe'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_candidature_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['fiche_id'], ['fiche_action.id'], name=op.f('fk_candidature_fiche_id_fiche_action'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidature')),
    sa.UniqueConstraint('dossier_id', 'appel_id', name=op.f('uq_candidature_dossier_id')),
    sa.UniqueConstraint('fiche_id', name=op.f('uq_candidature_fiche_id'))
    )
    op.create_index('ix_candidature_appel_id', 'candidature', ['appel_id'])
    op.create_index('ix_candidature_axe_id', 'candidature', ['axe_id'])
    op.create_index('ix_candidature_deposee_le', 'candidature', ['deposee_le'])
    op.create_index('ix_candidature_dossier_id', 'candidature', ['dossier_id'])
    op.create_index('ix_candidature_statut', 'candidature', ['statut'])

    op.create_table('dossier_piece',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('piece_requise_id', sa.Integer(), nullable=True),
    sa.Column('nom', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('taille', sa.Integer(), nullable=False),
    sa.Column('type_mime', sa.String(length=100), nullable=False),
    sa.Column('ajoute_par_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ajoute_par_id'], ['user_account.id'], name=op.f('fk_dossier_piece_ajoute_par_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_piece_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['piece_requise_id'], ['appel_piece.id'], name=op.f('fk_dossier_piece_piece_requise_id_appel_piece'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_piece')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_dossier_piece_stored_name'))
    )
    op.create_index('ix_dossier_piece_ajoute_par_id', 'dossier_piece', ['ajoute_par_id'])
    op.create_index('ix_dossier_piece_dossier_id', 'dossier_piece', ['dossier_id'])
    op.create_index('ix_dossier_piece_piece_requise_id', 'dossier_piece', ['piece_requise_id'])

    op.create_table('candidature_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidature_id', sa.Integer(), nullable=False),
    sa.Column('auteur_id', sa.Integer(), nullable=True),
    sa.Column('de_organisateur', sa.Boolean(), nullable=False),
    sa.Column('corps', sa.Text(), nullable=False),
    sa.Column('lu_par_porteur_le', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lu_par_organisateur_le', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['auteur_id'], ['user_account.id'], name=op.f('fk_candidature_message_auteur_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['candidature_id'], ['candidature.id'], name=op.f('fk_candidature_message_candidature_id_candidature'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidature_message'))
    )
    op.create_index('ix_candidature_message_auteur_id', 'candidature_message', ['auteur_id'])
    op.create_index('ix_candidature_message_candidature_id', 'candidature_message', ['candidature_id'])

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidature_id', sa.Integer(), nullable=False),
    sa.Column('resultat', sa.String(length=10), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('quorum_atteint', sa.Boolean(), nullable=False),
    sa.Column('membres', sa.Integer(), nullable=False),
    sa.Column('pour', sa.Integer(), nullable=False),
    sa.Column('contre', sa.Integer(), nullable=False),
    sa.Column('abstention', sa.Integer(), nullable=False),
    sa.Column('decidee_le', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decidee_par_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("resultat IN ('retenu', 'non_retenu')", name=op.f('ck_decision_resultat')),
    sa.ForeignKeyConstraint(['candidature_id'], ['candidature.id'], name=op.f('fk_decision_candidature_id_candidature'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decidee_par_id'], ['user_account.id'], name=op.f('fk_decision_decidee_par_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    sa.UniqueConstraint('candidature_id', name=op.f('uq_decision_candidature_id'))
    )
    op.create_index('ix_decision_decidee_par_id', 'decision', ['decidee_par_id'])

    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidature_id', sa.Integer(), nullable=False),
    sa.Column('membre_id', sa.Integer(), nullable=False),
    sa.Column('critere_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Integer(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidature_id'], ['candidature.id'], name=op.f('fk_evaluation_candidature_id_candidature'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['critere_id'], ['appel_critere.id'], name=op.f('fk_evaluation_critere_id_appel_critere'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membre_id'], ['comite_membre.id'], name=op.f('fk_evaluation_membre_id_comite_membre'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation')),
    sa.UniqueConstraint('candidature_id', 'membre_id', 'critere_id', name=op.f('uq_evaluation_candidature_id'))
    )
    op.create_index('ix_evaluation_candidature_id', 'evaluation', ['candidature_id'])
    op.create_index('ix_evaluation_critere_id', 'evaluation', ['critere_id'])
    op.create_index('ix_evaluation_membre_id', 'evaluation', ['membre_id'])

    op.create_table('impact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidature_id', sa.Integer(), nullable=False),
    sa.Column('definition_id', sa.Integer(), nullable=False),
    sa.Column('annee_reference', sa.Integer(), nullable=False),
    sa.Column('valeur_reference', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidature_id'], ['candidature.id'], name=op.f('fk_impact_candidature_id_candidature'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['definition_id'], ['indicateur_definition.id'], name=op.f('fk_impact_definition_id_indicateur_definition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact')),
    sa.UniqueConstraint('candidature_id', 'definition_id', name=op.f('uq_impact_candidature_id'))
    )
    op.create_index('ix_impact_candidature_id', 'impact', ['candidature_id'])
    op.create_index('ix_impact_definition_id', 'impact', ['definition_id'])

    op.create_table('vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidature_id', sa.Integer(), nullable=False),
    sa.Column('membre_id', sa.Integer(), nullable=False),
    sa.Column('choix', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("choix IN ('pour', 'contre', 'abstention')", name=op.f('ck_vote_choix')),
    sa.ForeignKeyConstraint(['candidature_id'], ['candidature.id'], name=op.f('fk_vote_candidature_id_candidature'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membre_id'], ['comite_membre.id'], name=op.f('fk_vote_membre_id_comite_membre'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote')),
    sa.UniqueConstraint('candidature_id', 'membre_id', name=op.f('uq_vote_candidature_id'))
    )
    op.create_index('ix_vote_candidature_id', 'vote', ['candidature_id'])
    op.create_index('ix_vote_membre_id', 'vote', ['membre_id'])

    op.create_table('impact_valeur',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('impact_id', sa.Integer(), nullable=False),
    sa.Column('annee', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('valeur', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('statut', sa.String(length=10), nullable=False),
    sa.Column('valeur_validee', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('commentaire', sa.Text(), nullable=True),
    sa.Column('proposee_par_id', sa.Integer(), nullable=True),
    sa.Column('validee_par_id', sa.Integer(), nullable=True),
    sa.Column('validee_le', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("statut IN ('proposee', 'validee', 'refusee')", name=op.f('ck_impact_valeur_statut')),
    sa.CheckConstraint("type IN ('objectif', 'resultat')", name=op.f('ck_impact_valeur_type')),
    sa.CheckConstraint('annee BETWEEN 1990 AND 2100', name=op.f('ck_impact_valeur_annee')),
    sa.ForeignKeyConstraint(['impact_id'], ['impact.id'], name=op.f('fk_impact_valeur_impact_id_impact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposee_par_id'], ['user_account.id'], name=op.f('fk_impact_valeur_proposee_par_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['validee_par_id'], ['user_account.id'], name=op.f('fk_impact_valeur_validee_par_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_valeur')),
    sa.UniqueConstraint('impact_id', 'annee', 'type', name=op.f('uq_impact_valeur_impact_id'))
    )
    op.create_index('ix_impact_valeur_impact_id', 'impact_valeur', ['impact_id'])
    op.create_index('ix_impact_valeur_proposee_par_id', 'impact_valeur', ['proposee_par_id'])
    op.create_index('ix_impact_valeur_statut', 'impact_valeur', ['statut'])
    op.create_index('ix_impact_valeur_validee_par_id', 'impact_valeur', ['validee_par_id'])


def downgrade():
    for table in reversed(TABLES):  # their indexes go with them
        op.drop_table(table)
