"""The move of a collectivité to a newer version of the questionnaire: a preview of what is
kept and what must be answered again, then a confirmation by POST (its admin and support;
another collectivité's id is a 404, as on the other maturity pages)."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_admin import expose
from sqlalchemy.exc import IntegrityError

from tet.extensions import db
from tet.comptes.permissions import current_acteur
from tet.formats import pluriel
from tet.maturite import passage as service
from tet.maturite import permissions as perm
from tet.nombres import db_id


class PassageMixin:
    """Routes of ``MaturiteView`` (its ``_collectivite`` and ``_url``)."""

    def _movable(self):
        coll = self._collectivite()
        if not perm.can_move(current_acteur(), coll.id):
            abort(403)
        return coll

    @expose("/passage")
    def passage(self):
        coll = self._movable()
        apercu = service.apercu(coll)
        if not apercu.utile:
            flash("La collectivité répond déjà à la version la plus récente du questionnaire.",
                  "info")
            return redirect(self._url(".index", coll))
        return self.render("admin/maturite_passage.html", coll=coll, apercu=apercu,
                           u=lambda ep, **kw: self._url(ep, coll, **kw))

    @expose("/passage", methods=("POST",))
    def passer(self):
        coll = self._movable()
        source, cible = (request.form.get(k, type=db_id) for k in ("source", "cible"))
        jeton = (request.form.get("jeton") or "")[:64]
        if not (source and cible and jeton):
            flash("Confirmez le passage depuis son aperçu.", "error")
            return redirect(self._url(".passage", coll))
        try:
            bilan = service.passer(coll, current_acteur().user, source, cible, jeton)
            db.session.commit()
        except service.PassageError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(self._url(".passage", coll))
        except IntegrityError:  # the same move confirmed at the same time by someone else
            db.session.rollback()
            flash("Le passage vient d'être fait par une autre personne : rien n'a été "
                  "modifié.", "info")
            return redirect(self._url(".index", coll))
        if bilan.deja:
            flash(f"La collectivité répond déjà à la version {bilan.cible.numero} du "
                  "questionnaire : rien n'a été modifié.", "info")
        else:
            flash(f"Passage à la version {bilan.cible.numero} du questionnaire fait : "
                  f"{pluriel(bilan.reponses, 'réponse reprise', 'réponses reprises')}, "
                  f"{pluriel(bilan.suivis, 'suivi de recommandation repris', 'suivis de recommandation repris')}.",
                  "success")
        return redirect(self._url(".index", coll))
