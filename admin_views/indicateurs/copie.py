"""Support tool: copy a collectivité's indicator data to another, preview then apply."""
from __future__ import annotations

from flask import flash, request
from flask_admin import expose

from admin_views.base import SecureView
from tet.extensions import db
from tet.comptes.permissions import current_acteur
from tet.plans import copie


class CopieView(SecureView):
    def allowed(self) -> bool:
        return current_acteur().is_support

    @expose("/", methods=("GET", "POST"))
    def index(self):
        src = (request.values.get("source") or "").strip()
        dst = (request.values.get("cible") or "").strip()
        plan, done = None, False
        if src and dst:
            try:
                if request.method == "POST" and request.form.get("confirmer"):
                    plan = copie.apply(src, dst, current_acteur().user)
                    done = True
                    flash(f"Copie effectuée de {plan.source.nom} vers {plan.cible.nom}.",
                          "success")
                else:
                    plan = copie.preview(src, dst)
            except copie.CopieError as exc:
                db.session.rollback()
                flash(str(exc), "error")
        return self.render("admin/copie.html", source=src, cible=dst, plan=plan, done=done)
