"""Flask-Admin back-office: one Admin per app, scoped views, French templates."""
from __future__ import annotations

import os

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from admin_views.comptes.utilisateurs import (
    CollectiviteView,
    MembershipView,
    OpsnMembershipView,
    OpsnView,
    UserView,
)
from admin_views.comptes.audit import AuditLogView
from admin_views.comptes.auth import bp as auth_bp
from admin_views.informations import bp as informations_bp
from admin_views.indicateurs.copie import CopieView
from admin_views.accueil import DashboardView, MonCompteView, desabonnement
from admin_views.plans.fiches import FicheView
from admin_views.filters import register_filters
from admin_views.exports import PartnerExportView
from admin_views.plans.imports import ImportView
from admin_views.indicateurs.catalogue import IndicateurView, ReferentielView
from admin_views.maturite.questionnaire import MaturiteView
from admin_views.maturite.pilotage import MaturiteNationaleView, OpsnMaturiteView
from admin_views.maturite.referentiel import ReferentielMaturiteView
from admin_views.plans.pages import CorbeilleView, InspirationView
from admin_views.plans.plans import PlanView
from admin_views.plans.rapports import RapportView
from tet.plans.rapports import selection as bilan_selection
from admin_views.maturite.rapport import RapportMaturiteView
from admin_views.comptes.validations import ValidationView
from admin_views.comptes.demandes import (
    DemandeAdhesionView,
    NotificationView,
    RattachementView,
)
from tet.extensions import login_manager
from tet.nombres import ID_MAX
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Membership, Opsn, OpsnMembership, User
from tet.comptes.demandes import DemandeAdhesion, Rattachement
from tet.plans.models import FicheAction, Plan
from tet.indicateurs.models import IndicateurDefinition

# (view class, model, menu name, category, endpoint); the endpoints are part of the URLs.
MODEL_VIEWS = [
    (PlanView, Plan, "Plans", "Plans d'action", "plan"),
    (FicheView, FicheAction, "Fiches action", "Plans d'action", "fiche"),
    (IndicateurView, IndicateurDefinition, "Indicateurs", "Indicateurs", "indicateur"),
    (CollectiviteView, Collectivite, "Collectivités", "Comptes", "collectivite"),
    (MembershipView, Membership, "Membres", "Comptes", "membership"),
    (DemandeAdhesionView, DemandeAdhesion, "Demandes d'accès", "Comptes", "demandeadhesion"),
    (UserView, User, "Utilisateurs", "Comptes", "user"),
    (OpsnView, Opsn, "Opérateurs (OPSN)", "OPSN", "opsn"),
    (OpsnMembershipView, OpsnMembership, "Membres OPSN", "OPSN", "opsnmembership"),
    (RattachementView, Rattachement, "Rattachements", "OPSN", "rattachement"),
    (AuditLogView, AuditLog, "Journal d'audit", "Comptes", "auditlog"),
]


class IdConverter(IntegerConverter):
    """``<int:id>`` stops at the largest database id: a longer number is a 404, not an
    integer overflow in the query."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=ID_MAX, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def init_admin(app: Flask) -> Admin:
    _flask_admin_templates(app)
    app.url_map.converters["int"] = IdConverter
    _init_login(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(informations_bp)
    app.register_blueprint(desabonnement)
    register_filters(app)
    admin = Admin(
        app,
        name="TeT back-office",
        theme=Bootstrap4Theme(base_template="admin/tet_base.html", fluid=True),
        index_view=DashboardView(name="Accueil", url="/admin"),
    )
    for view_cls, model, name, category, endpoint in MODEL_VIEWS:
        admin.add_view(view_cls(model, name=name, category=category, endpoint=endpoint))
    admin.add_view(InspirationView(name="S'inspirer", category="Plans d'action",
                                   endpoint="inspiration", url="/admin/inspiration"))
    admin.add_view(ImportView(name="Importer (Excel)", category="Plans d'action",
                              endpoint="import_plans", url="/admin/import-plans"))
    admin.add_view(CorbeilleView(name="Corbeille", category="Plans d'action",
                                 endpoint="corbeille", url="/admin/corbeille"))
    admin.add_view(ReferentielView(name="Référentiels", category="Indicateurs",
                                   endpoint="referentiel", url="/admin/referentiels"))
    admin.add_view(MaturiteView(name="Questionnaire de maturité", category="Maturité",
                                endpoint="maturite", url="/admin/maturite"))
    admin.add_view(OpsnMaturiteView(name="Espace OPSN", category="Maturité",
                                    endpoint="opsn_maturite", url="/admin/opsn-espace"))
    admin.add_view(MaturiteNationaleView(name="Tableau de bord national", category="Maturité",
                                         endpoint="maturite_national",
                                         url="/admin/maturite-nationale"))
    admin.add_view(ReferentielMaturiteView(name="Référentiel du questionnaire",
                                           category="Maturité", endpoint="maturite_referentiel",
                                           url="/admin/maturite-referentiel"))
    admin.add_view(ValidationView(name="Comptes à valider", category="Comptes",
                                  endpoint="validations", url="/admin/validations"))
    admin.add_view(PartnerExportView(name="Exports pour partenaires", category="Comptes",
                                     endpoint="exports_partenaires",
                                     url="/admin/exports-partenaires"))
    admin.add_view(CopieView(name="Copie entre collectivités", category="Indicateurs",
                             endpoint="copie", url="/admin/copie"))
    admin.add_view(RapportView(name="Rapports", endpoint="rapports", url="/admin/rapports"))
    app.jinja_env.globals["tet_bilan"] = bilan_selection  # the « Bilans » form's choices
    admin.add_view(RapportMaturiteView(name="Rapport de maturité", endpoint="rapport_maturite",
                                       url="/admin/rapport-maturite"))
    _plan_links(admin)
    from admin_views.projets import init_projets

    init_projets(admin, app)
    admin.add_view(NotificationView(name="Notifications", endpoint="notifications",
                                    url="/admin/notifications"))
    admin.add_view(MonCompteView(name="Mon compte", endpoint="moncompte", url="/admin/mon-compte"))
    app.extensions["tet_admin"] = admin
    return admin


def _plan_links(admin: Admin) -> None:
    from flask_admin.menu import MenuLink

    from tet.comptes.permissions import current_acteur

    class CollectiviteLink(MenuLink):
        def is_accessible(self):
            return current_user.is_authenticated and current_acteur().collectivite_id is not None

    admin.add_link(CollectiviteLink(name="Tableau de bord des plans", category="Plans d'action",
                                    endpoint="plan.tableau_de_bord_collectivite"))
    admin.add_link(CollectiviteLink(name="Fiches non classées", category="Plans d'action",
                                    endpoint="fiche.non_classees"))
    class SaisieLink(MenuLink):
        def is_accessible(self):
            from tet.actions import can

            return current_user.is_authenticated and can(current_acteur(), "saisir_valeurs")

    admin.add_link(SaisieLink(name="Saisie annuelle", category="Indicateurs",
                              endpoint="indicateur.saisie"))


def _flask_admin_templates(app: Flask) -> None:
    """Flask-Admin's own templates also as ``flask_admin/…``, so that the few we override
    (templates/admin/: inline handlers the CSP forbids) can reuse the rest of them."""
    import flask_admin
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    original = os.path.join(os.path.dirname(flask_admin.__file__), "templates", "bootstrap4")
    app.jinja_loader = ChoiceLoader([  # type: ignore[assignment]
        FileSystemLoader(os.path.join(app.root_path, app.template_folder)),
        PrefixLoader({"flask_admin": FileSystemLoader(original)}),
    ])


def _init_login(app: Flask) -> None:
    from flask import redirect, request, url_for

    from tet.comptes import sessions

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str):
        return sessions.load(session_id)

    @login_manager.unauthorized_handler
    def unauthorized():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
