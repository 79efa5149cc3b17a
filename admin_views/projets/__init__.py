"""Vues des appels à projets : organisateur, porteurs de projets, comité, observatoire public.

Each area registers its views in its own function (the four were built side by side)."""
from __future__ import annotations

from flask import Flask
from flask_admin import Admin


def init_organisateur(admin: Admin, app: Flask) -> None:
    """Calls of the organiser: the call, its committee, its candidatures, exports."""
    from admin_views.projets.appels import AppelView
    from admin_views.projets.comite_organisateur import InvitationView
    from tet.projets.models import AppelAProjets

    admin.add_view(AppelView(AppelAProjets, name="Appels à projets", category="Appels à projets",
                             endpoint="projets_appels", url="/admin/projets/appels"))
    admin.add_view(InvitationView(name="Invitation au comité", endpoint="projets_invitation",
                                  url="/admin/projets/invitation"))


def init_porteur(admin: Admin, app: Flask) -> None:
    """Space of the project holders: organisation, dossiers, pièces, dépôt, messages, suivi."""
    from admin_views.projets.porteur_candidatures import MesCandidaturesView
    from admin_views.projets.porteur_dossiers import MesDossiersView
    from admin_views.projets.porteur_inscription import bp
    from admin_views.projets.porteur_organisation import MonOrganisationView

    app.register_blueprint(bp)
    categorie = "Appels à projets"
    admin.add_view(MesDossiersView(name="Mes dossiers", category=categorie,
                                   endpoint="porteur", url="/admin/mes-dossiers"))
    admin.add_view(MonOrganisationView(name="Mon organisation", category=categorie,
                                       endpoint="porteur_organisation",
                                       url="/admin/mon-organisation"))
    admin.add_view(MesCandidaturesView(name="Candidatures (porteur)", category=categorie,
                                       endpoint="porteur_candidatures",
                                       url="/admin/mes-candidatures"))


def init_comite(admin: Admin, app: Flask) -> None:
    """Committee: evaluations, séance, ranking, votes and decision, dossier PDF; the
    validation of the impact values of the retained projects."""
    from admin_views.projets.comite import ComiteView
    from admin_views.projets.suivi_impacts import SuiviImpactsView

    admin.add_view(ComiteView(name="Comité et décisions", category="Appels à projets",
                              endpoint="projets_comite", url="/admin/comite"))
    admin.add_view(SuiviImpactsView(name="Valeurs d’impact à valider",
                                    category="Appels à projets",
                                    endpoint="projets_comite_suivi", url="/admin/comite-suivi"))


def init_observatoire(admin: Admin, app: Flask) -> None:
    """Public observatoire at /observatoire/ (no login)."""
    from admin_views.projets import observatoire

    observatoire.init(app)


def init_projets(admin: Admin, app: Flask) -> None:
    init_organisateur(admin, app)
    init_porteur(admin, app)
    init_comite(admin, app)
    init_observatoire(admin, app)
