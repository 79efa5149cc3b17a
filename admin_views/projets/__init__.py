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
    """Committee: evaluations, séance, ranking, votes and decision, dossier PDF."""


def init_observatoire(admin: Admin, app: Flask) -> None:
    """Public observatoire at /observatoire/ (no login)."""


def init_projets(admin: Admin, app: Flask) -> None:
    init_organisateur(admin, app)
    init_porteur(admin, app)
    init_comite(admin, app)
    init_observatoire(admin, app)
