"""A fiche's history: preview and restore of one of its versions (``tet.plans.restauration``)."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, request, url_for
from flask_admin import expose

from forms.verrou import VERSION
from tet import verrous
from tet.actions import require
from tet.extensions import db
from tet.plans import arbre, restauration
from tet.plans.fiches import FicheError


class HistoriqueFicheMixin:
    """Routes of the fiche view (its scoped ``_fiche``: another collectivité's fiche is 404)."""

    @expose("/<int:id>/historique/<int:version_id>", methods=("GET", "POST"))
    def restauration(self, id: int, version_id: int):
        fiche = self._fiche(id)
        require(self.acteur, "restaurer", fiche)
        version = restauration.version_de(fiche, version_id)
        if version is None:
            abort(404)
        status = 200
        if request.method == "POST":
            try:
                fait = restauration.restaurer(fiche, version, self.acteur.user,
                                              request.form.get(VERSION))
                verrous.commit()
            except verrous.Perime:
                db.session.rollback()
                flash("La fiche a été modifiée depuis l’affichage de l’aperçu : rien n’a été "
                      "restauré. Voici ce que la restauration changerait maintenant.", "error")
                status = 409
            except (FicheError, arbre.TreeError) as exc:
                db.session.rollback()
                flash(str(exc), "error")
                status = 400
            else:
                if not fait.changements:
                    flash("La fiche est déjà dans cet état : rien à restaurer.", "info")
                else:
                    flash(f"{fait.titre} : fait.", "success")
                for phrase in fait.impossibles:
                    flash(phrase, "warning")
                return redirect(url_for(".page", id=fiche.id) + "#historique")
        return make_response(self.render(
            "admin/fiche_restauration.html", fiche=fiche,
            apercu=restauration.apercu(fiche, version), version_courante=fiche.version,
            version_name=VERSION), status)
