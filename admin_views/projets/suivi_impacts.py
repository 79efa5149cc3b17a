"""Impact values to validate (``projets_comite_suivi``): the yearly objectif / résultat
values the holders of retained projects proposed, validated or refused (with a reason) by
the organiser through ``tet.projets.suivi``; each project links its fiche action."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_login import current_user

from admin_views.base import SecureView
from forms.projets.comite import VERDICTS, ValidationValeurForm
from tet.comptes.permissions import current_acteur
from tet.extensions import db
from tet.indicateurs.valeurs import format_valeur
from tet.projets import suivi, tableaux_comite as tableaux
from tet.projets.commun import Refus
from tet.verrous import Perime


class SuiviImpactsView(SecureView):
    """The organisers of the calls (admin / édition act, lecture reads) and support."""

    def allowed(self) -> bool:
        a = current_acteur()
        return bool(a.is_support or a.collectivite_id)

    def is_visible(self) -> bool:
        return current_user.is_authenticated and current_acteur().has_access and self.allowed()

    @expose("/")
    def index(self):
        a = current_acteur()
        rows = tableaux.valeurs_a_valider(a)
        gere = a.is_support or a.can_write_collectivite(a.collectivite_id)
        return self.render("admin/projets/comite/suivi.html", rows=rows, gere=gere,
                           verdicts=VERDICTS,
                           limite=tableaux.LIMITE_VALEURS, fmt=format_valeur)

    @expose("/valeur/<int:id>", methods=("POST",))
    def valider(self, id: int):
        a = current_acteur()
        row = tableaux.valeur_a_valider(a, id)
        if row is None:
            abort(404)
        form = ValidationValeurForm()
        if not form.validate():
            flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
            return redirect(url_for(".index"))
        try:
            suivi.valider_valeur(a, row, form.verdict.data == "valider",
                                 form.commentaire.data, version=form.version.data)
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
        except Perime:
            db.session.rollback()
            flash("Cette valeur a changé entre-temps (le porteur l'a corrigée ?) : rien n'a été "
                  "enregistré, vérifiez-la de nouveau.", "error")
        else:
            db.session.commit()
            flash("Valeur validée." if form.verdict.data == "valider" else
                  "Valeur refusée : le porteur est averti de la raison.", "success")
        return redirect(url_for(".index"))

