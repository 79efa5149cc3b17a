"""Rattachement requests, adhesion requests and notifications."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from admin_views.base import ScopedModelView, SecureView
from admin_views.carte import carte
from tet.formats import date_heure
from tet.extensions import db
from tet.comptes.models import Collectivite, Opsn
from tet.comptes.demandes import DemandeAdhesion, Notification, Rattachement
from tet.comptes.models import NIVEAUX
from tet.colonnes import utcnow
from tet.comptes.demandes import RATTACHEMENT_STATUTS
from tet.comptes.permissions import current_acteur, policy_for
from tet.comptes import services as accounts, rattachement
from tet.liens_publics import public_url
from tet.nombres import db_id

ADHESION_STATUTS = [("demandee", "En attente"), ("acceptee", "Acceptée"),
                    ("refusee", "Refusée")]
ACTION_LABELS = {"accepter": "Accepter", "refuser": "Refuser", "annuler": "Annuler",
                 "terminer": "Mettre fin"}
ACTION_STYLES = {"accepter": "success", "refuser": "danger", "annuler": "secondary",
                 "terminer": "warning"}


def post_button(url: str, label: str, style: str, confirm: str | None = None,
                extra: str = "") -> Markup:
    """A small POST form (works without JavaScript, CSRF-protected)."""
    asked = f' data-confirm="{escape(confirm)}"' if confirm else ""
    return Markup(
        f'<form method="post" action="{escape(url)}" class="d-inline"{asked}>'
        f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">{extra}'
        f'<button class="btn btn-sm btn-{style}" type="submit">{escape(label)}</button></form> '
    )


def allowed_actions(a, ratt: Rattachement) -> list[str]:
    policy = policy_for(Rattachement)
    actions = []
    if ratt.statut == "demandee" and policy.can_decide(a, ratt):
        actions += ["accepter", "refuser"]
    if ratt.statut == "demandee" and policy.can_cancel(a, ratt):
        actions.append("annuler")
    if ratt.statut == "acceptee" and policy.can_end(a, ratt):
        actions.append("terminer")
    return actions


def _ratt_actions(view, context, model, name):
    a = current_acteur()
    buttons = [
        post_button(url_for("rattachement.transition", id=model.id, action=act),
                    ACTION_LABELS[act], ACTION_STYLES[act],
                    confirm="Confirmer ?" if act in ("refuser", "terminer") else None)
        for act in allowed_actions(a, model)
    ]
    return Markup("".join(buttons))


def _note(view, context, model, name):
    """The latest official letter of the collectivité (its current index row)."""
    indice = model.collectivite.indice_courant
    if indice is None or indice.lettre_officielle is None:
        return "—"
    return Markup(f'<span class="badge tet-bg-{indice.lettre_officielle}">'
                  f'{indice.lettre_officielle}</span> {indice.indice_officiel}')


def _activite(view, context, model, name):
    indice = model.collectivite.indice_courant
    return date_heure(indice.at) if indice else "pas commencé"


class RattachementView(ScopedModelView):
    name = "Rattachements"
    can_view_details = True
    column_list = ["collectivite", "opsn", "statut", "note", "activite", "created_at",
                   "decide_le", "actions"]
    column_labels = {"collectivite": "Collectivité", "opsn": "OPSN", "statut": "Statut",
                     "created_at": "Demandé le", "decide_le": "Dernière décision",
                     "actions": "Actions", "message": "Message", "motif": "Motif",
                     "note": "Note de maturité", "activite": "Dernière activité",
                     "demande_par": "Demandé par", "decide_par": "Décidé par",
                     "collectivite.nom": "Collectivité", "opsn.nom": "OPSN"}
    column_searchable_list = ["collectivite.nom", "opsn.nom"]
    column_filters = ["statut", "opsn.nom", "created_at"]
    column_sortable_list = [("collectivite", "collectivite.nom"), ("opsn", "opsn.nom"),
                            "statut", ("note", "collectivite.indice_courant.lettre_officielle"),
                            ("activite", "collectivite.indice_courant.at"), "created_at",
                            "decide_le"]
    column_default_sort = ("created_at", True)
    column_formatters = {
        "actions": _ratt_actions,
        "note": _note,
        "activite": _activite,
    }
    column_export_list = ["collectivite", "opsn", "statut", "created_at", "decide_le"]
    column_details_list = ["collectivite", "opsn", "statut", "message", "demande_par",
                           "created_at", "decide_par", "decide_le", "motif"]
    column_choices = {"statut": RATTACHEMENT_STATUTS}

    def get_query(self):
        return super().get_query().options(
            joinedload(Rattachement.collectivite).joinedload(Collectivite.indice_courant),
            joinedload(Rattachement.opsn))

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        return redirect(url_for(".demander"))

    @expose("/demander/", methods=("GET", "POST"))
    def demander(self):
        a = self.acteur
        if not self.policy.can_request(a):
            abort(403)
        coll = db.session.get(Collectivite, a.collectivite_id)
        active = rattachement.active_for(coll.id)
        choices = rattachement.opsn_serving(coll.departement)
        if request.method == "POST" and active is None:
            opsn = db.session.get(Opsn, request.form.get("opsn_id", type=db_id) or 0)
            if opsn is None or opsn not in choices:
                flash("Choisissez un OPSN qui dessert votre département.", "error")
            else:
                try:
                    rattachement.request(coll, opsn, a.user, request.form.get("message"),
                                         url=public_url(f"{self.endpoint}.index_view"))
                except rattachement.RattachementError as exc:
                    db.session.rollback()
                    flash(str(exc), "error")
                else:
                    flash(f"Demande de rattachement envoyée à {opsn.nom}.", "success")
                    return redirect(url_for(".index_view"))
        return self.render("admin/rattachement_demander.html", collectivite=coll,
                           active=active, choices=choices,
                           carte=carte(rattachement.served_departements(),
                                       highlight=coll.departement))

    @expose("/<int:id>/<action>", methods=("POST",))
    def transition(self, id: int, action: str):
        ratt = self.get_one(id)
        if ratt is None:
            abort(404)
        if action not in allowed_actions(self.acteur, ratt):
            abort(403)
        try:
            rattachement.transition(ratt, action, self.acteur.user, request.form.get("motif"))
        except rattachement.RattachementError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(f"Rattachement {ratt.statut_label.lower()}.", "success")
        return redirect(request.referrer or url_for(".index_view"))


def _adhesion_actions(view, context, model, name):
    if model.statut != "demandee":
        return ""
    select_html = Markup('<select name="niveau" class="form-control-sm">' + "".join(
        f'<option value="{k}"{" selected" if k == "lecture" else ""}>{escape(v)}</option>'
        for k, v in NIVEAUX) + "</select> ")
    return Markup(
        post_button(url_for("demandeadhesion.decide", id=model.id, decision="accepter"),
                    "Accepter", "success", extra=select_html)
        + post_button(url_for("demandeadhesion.decide", id=model.id, decision="refuser"),
                      "Refuser", "danger", confirm="Refuser cette demande ?"))


class DemandeAdhesionView(ScopedModelView):
    name = "Demandes d'accès"
    column_list = ["user", "user.prenom", "user.nom", "collectivite", "statut", "created_at",
                   "actions"]
    column_labels = {"user": "E-mail", "user.prenom": "Prénom", "user.nom": "Nom",
                     "collectivite": "Collectivité", "statut": "Statut",
                     "created_at": "Demandée le", "actions": "Décision",
                     "message": "Message", "user.email": "E-mail"}
    column_choices = {"statut": ADHESION_STATUTS}
    column_formatters = {"actions": _adhesion_actions}
    column_export_list = ["user", "collectivite", "statut", "created_at"]
    column_searchable_list = ["user.email", "user.nom"]
    column_filters = ["statut"]
    column_sortable_list = ["statut", "created_at"]
    column_default_sort = ("created_at", True)
    column_details_list = ["user", "collectivite", "statut", "message", "created_at",
                           "decide_le"]

    def get_query(self):
        return super().get_query().options(joinedload(DemandeAdhesion.user),
                                           joinedload(DemandeAdhesion.collectivite))

    @expose("/<int:id>/<decision>", methods=("POST",))
    def decide(self, id: int, decision: str):
        demande = self.get_one(id)
        if demande is None:
            abort(404)
        if decision not in ("accepter", "refuser") or not self.policy.can_decide(
                self.acteur, demande):
            abort(403)
        try:
            accounts.decide_adhesion(demande, decision == "accepter", self.acteur.user,
                                     request.form.get("niveau", "lecture"))
        except accounts.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash("Demande traitée.", "success")
        return redirect(url_for(".index_view"))


class NotificationView(SecureView):
    """The signed-in user's own notifications (reached from the bell in the header)."""

    without_contexte = True

    def is_visible(self):
        return False

    @expose("/")
    def index(self):
        user = self.acteur_user()
        items = db.session.scalars(
            select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc()).limit(200)
        ).all()
        return self.render("admin/notifications.html", items=items)

    @expose("/lues", methods=("POST",))
    def mark_read(self):
        user = self.acteur_user()
        db.session.execute(update(Notification).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        ).values(read_at=utcnow()))
        db.session.commit()
        return redirect(url_for(".index"))

    @staticmethod
    def acteur_user():
        return current_acteur().user
