"""Home page: one dashboard per role."""
from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from tet.comptes.permissions import current_acteur
from tet import accueil as dashboard
from tet.comptes import validation


class DashboardView(AdminIndexView):
    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @expose("/")
    def index(self):
        a = current_acteur()
        if a.is_support:
            return self.render("admin/dashboard_support.html", f=dashboard.support_figures(),
                               validations=validation.pending(limit=10))
        if a.collectivite_id:
            return self.render("admin/dashboard_collectivite.html",
                               f=dashboard.collectivite_figures(a), acteur=a)
        if a.opsn_id:
            return self.render("admin/dashboard_opsn.html", f=dashboard.opsn_figures(a),
                               acteur=a)
        if a.organisation_id:  # a project holder's home: its dossiers
            return redirect(url_for("porteur.index"))
        return self.render("admin/dashboard_sans_acces.html",
                           demandes=dashboard.pending_adhesions_of(a.user),
                           creations=validation.pending_of(a.user))
