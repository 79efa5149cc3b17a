"""The national support's queue of new collectivité accounts: accept, or refuse with a
reason (``tet.comptes.validation``)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from admin_views.base import SecureView
from tet.extensions import db
from tet.comptes.permissions import current_acteur
from tet.comptes.politiques import can_validate_accounts
from tet.comptes import validation
from tet.comptes.services import AccountError


class ValidationView(SecureView):
    def allowed(self) -> bool:
        return can_validate_accounts(current_acteur())

    @expose("/")
    def index(self):
        return self.render("admin/validations.html", demandes=validation.pending(),
                           total=validation.pending_count())

    @expose("/<int:id>/<decision>", methods=("POST",))
    def decide(self, id: int, decision: str):
        if decision not in ("accepter", "refuser"):
            abort(404)
        membership = validation.get_pending(id)
        if membership is None:
            flash("Cette demande a déjà été traitée.", "error")
            return redirect(url_for(".index"))
        nom = membership.collectivite.nom
        try:
            if decision == "accepter":
                validation.accept(membership)
                flash(f"Compte de {nom} validé : le demandeur en est informé.", "success")
            else:
                validation.refuse(membership, request.form.get("motif", ""))
                flash(f"Demande pour {nom} refusée : le demandeur en est informé.", "success")
        except AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        home = request.form.get("retour") == "accueil"
        return redirect(url_for("admin.index") if home else url_for(".index"))
