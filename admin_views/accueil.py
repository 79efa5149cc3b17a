"""Home page: one dashboard per role, the full lists its blocks link to, the user's own
account page (the weekly digest's opt-out) and the signed unsubscribe link of the digest."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from admin_views.base import SecureView
from tet.comptes.permissions import current_acteur
from tet import accueil as dashboard, accueil_digest, accueil_fiches
from tet.comptes import validation
from tet.comptes.audit import acting_as
from tet.nombres import db_id

TITRES = {"mes": "Mes fiches", "echeances": "Échéances des 30 prochains jours"}


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

    @expose("/mes-fiches")
    def mes_fiches(self):
        return self._fiches("mes")

    @expose("/echeances")
    def echeances(self):
        return self._fiches("echeances")

    def _fiches(self, kind: str):
        """A full list of the collectivité home (scoped by the fiche policy), paged."""
        a = current_acteur()
        if not a.collectivite_id:
            flash("Choisissez la collectivité pour laquelle vous agissez.", "error")
            return redirect(url_for(".index"))
        numero = request.args.get("page", 1, type=db_id) or 1
        today = date.today()
        return self.render("admin/dashboard_fiches.html", titre=TITRES[kind], today=today,
                           p=accueil_fiches.page(a, kind, numero, today))


class MonCompteView(SecureView):
    """The signed-in user's own preferences (reached from the header and the digest)."""

    without_contexte = True

    def is_visible(self):
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        user = current_acteur().user
        if request.method == "POST":
            recevoir = request.form.get("digest") == "oui"
            accueil_digest.desabonner(user, not recevoir)
            flash("Vous recevrez le résumé hebdomadaire de vos fiches." if recevoir else
                  "Vous ne recevrez plus le résumé hebdomadaire de vos fiches.", "success")
            return redirect(url_for(".index"))
        return self.render("admin/dashboard_compte.html", user=user,
                           memberships=current_acteur().contextes)


desabonnement = Blueprint("desabonnement", __name__)


@desabonnement.route("/desabonnement/<jeton>", methods=("GET", "POST"))
def confirmer(jeton: str):
    """The digest's link: a page with one button (a mail scanner that follows the link
    unsubscribes nobody), then the opt-out, without signing in."""
    if len(jeton) > 200:
        abort(404)
    user = accueil_digest.user_du_jeton(jeton)
    if user is None:
        abort(404)
    fait = request.method == "POST"
    if fait:
        with acting_as(user, context="lien de désabonnement du résumé"):
            accueil_digest.desabonner(user)
    return render_template("admin/dashboard_desabonnement.html", user=user, fait=fait)
