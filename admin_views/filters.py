"""Template helpers: French formatting, the current acteur, notification count."""
from __future__ import annotations

from flask import Flask, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import SecurityError

from admin_views import gabarits
from tet import formats
from tet.plans import models as plan_choices
from tet.comptes.models import NIVEAUX_LABELS, OPSN_ROLES_LABELS, TYPES_COLLECTIVITE_LABELS
from tet.comptes.permissions import current_acteur
from tet.verrous import Perime, fige, signer

CHOICE_LISTS = {
    "priorite": plan_choices.PRIORITES, "temps": plan_choices.TEMPS,
    "cibles": plan_choices.CIBLES, "participation": plan_choices.PARTICIPATION,
    "budget_nature": plan_choices.BUDGET_NATURES, "budget_unite": plan_choices.BUDGET_UNITES,
    "statut": plan_choices.STATUTS, "plan_type": plan_choices.PLAN_TYPES,
}


def choice_label(value, list_name: str) -> str:
    """The French label of a stored code (empty for None)."""
    if value in (None, ""):
        return ""
    return dict(CHOICE_LISTS[list_name]).get(value, value)


def role_label(contexte) -> str:
    if contexte is None:
        return ""
    if contexte.kind == "opsn":
        return "OPSN " + OPSN_ROLES_LABELS.get(contexte.role, contexte.role).lower()
    if contexte.kind == "organisation":
        return "Porteur de projets" + (" (admin)" if contexte.role == "admin" else "")
    if contexte.kind == "comite":
        return "Membre du comité"
    return NIVEAUX_LABELS.get(contexte.role, contexte.role)


def unread() -> int:
    from tet.comptes.notifications import unread_count

    return unread_count(current_user.id) if current_user.is_authenticated else 0


def ratt_actions(ratt) -> Markup:
    from admin_views.comptes.demandes import _ratt_actions

    return _ratt_actions(None, None, ratt, "actions")


def _gauge(percent, title):
    from admin_views.charts import gauge

    return gauge(percent, title)


def _change(value) -> str:
    from admin_views.comptes.audit import show_value

    return show_value(value)


def _rollup(items):
    from tet.plans.declinaisons import rollup

    return rollup(items)


def can(action: str, obj=None) -> bool:
    """May the current acteur do ``action`` (on ``obj``)? (``tet.actions``)"""
    from tet.actions import can as allowed

    return allowed(current_acteur(), action, obj)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        tet_number=formats.nombre, tet_datetime=formats.date_heure, tet_date=formats.date_fr,
        tet_percent=formats.pourcent, tet_time=formats.heure, tet_date_longue=formats.date_longue,
        pluriel=formats.pluriel, accord=formats.accord,
        tet_type=lambda t: TYPES_COLLECTIVITE_LABELS.get(t, t),
        tet_choice=choice_label, tet_money=formats.montant,
        tet_plan_type=lambda t: choice_label(t, "plan_type"),
        tet_change=_change,
    )
    app.jinja_env.globals.update(
        tet_acteur=current_acteur, tet_role_label=role_label, tet_unread=unread,
        tet_ratt_actions=ratt_actions, tet_gauge=_gauge, tet_rollup=_rollup, can=can,
        tet_verrou_base=lambda **values: signer({k: fige(v) for k, v in values.items()}),
        tet_page_entete=gabarits.entete, tet_titre=gabarits.titre, tet_aria=gabarits.aria,
    )

    @app.errorhandler(403)
    def forbidden(_exc):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(_exc):
        return render_template("errors/404.html"), 404

    @app.errorhandler(413)
    def too_large(_exc):
        return render_template("errors/413.html"), 413

    @app.errorhandler(StaleDataError)
    @app.errorhandler(Perime)
    def stale(_exc):
        """A concurrent save not answered by a conflict page: refused, nothing written."""
        from tet.extensions import db

        db.session.rollback()
        return render_template("errors/409.html"), 409

    @app.errorhandler(500)
    def server_error(_exc):
        from tet.extensions import db

        db.session.rollback()
        return render_template("errors/500.html"), 500

    @app.errorhandler(400)
    def bad_request(exc):
        if isinstance(exc, SecurityError):  # untrusted Host: no URL can be built, plain text
            return "Requête refusée : nom d'hôte non autorisé.", 400, {
                "Content-Type": "text/plain; charset=utf-8"}
        return render_template("errors/400.html", description=getattr(exc, "description", "")), 400
