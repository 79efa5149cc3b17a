"""Vues des appels à projets : organisateur, porteurs de projets, comité, observatoire public.

Each area registers its views in its own function (the four were built side by side)."""
from __future__ import annotations

from flask import Flask
from flask_admin import Admin


def init_organisateur(admin: Admin, app: Flask) -> None:
    """Calls of the organiser: the call, its committee, its candidatures, exports."""


def init_porteur(admin: Admin, app: Flask) -> None:
    """Space of the project holders: organisation, dossiers, pièces, dépôt, messages, suivi."""


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
