"""Bulk edit of the fiche list's selection (``tet.plans.edition_lot``): Flask-Admin list
actions that first show a confirmation form (the value to set), then apply it."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_admin.actions import action
from flask_admin.helpers import get_redirect_target

from tet import verrous
from tet.actions import can
from tet.extensions import db
from tet.plans import edition_lot, filtres
from tet.plans.models import PRIORITES, STATUTS, FicheAction, Plan

ACTIONS = {"lot_statut": "statut", "lot_priorite": "priorite", "lot_pilote": "pilote",
           "lot_axe": "axe"}
DROITS = {"statut": "modifier", "priorite": "modifier", "pilote": "ranger", "axe": "ranger"}


class LotFichesMixin:
    """For ``FicheView``: the actions show only to those who may use them; a forged POST
    of a hidden one is refused (403)."""

    def is_action_allowed(self, name):
        if name in ACTIONS:
            return can(self.acteur, DROITS[ACTIONS[name]], FicheAction)
        return super().is_action_allowed(name)

    def handle_action(self, return_view=None):
        name = request.form.get("action")
        if name in ACTIONS and not self.is_action_allowed(name):
            abort(403)
        return super().handle_action(return_view)

    @action("lot_statut", "Changer le statut…")
    def action_lot_statut(self, ids):
        return self._lot("statut", ids)

    @action("lot_priorite", "Changer la priorité…")
    def action_lot_priorite(self, ids):
        return self._lot("priorite", ids)

    @action("lot_pilote", "Ajouter ou remplacer un pilote…")
    def action_lot_pilote(self, ids):
        return self._lot("pilote", ids)

    @action("lot_axe", "Ranger dans un axe…")
    def action_lot_axe(self, ids):
        return self._lot("axe", ids)

    def _lot(self, genre: str, raw_ids):
        retour = get_redirect_target() or self.get_url(".index_view")
        try:
            ids = edition_lot.lire_ids(raw_ids)
        except edition_lot.LotError as exc:
            flash(str(exc), "error")
            return redirect(retour)
        erreur = None
        if request.form.get("confirme") == "1":
            operation = genre
            if genre == "pilote":
                operation = ("pilote_remplace" if request.form.get("mode") == "remplacer"
                             else "pilote_ajout")
            try:
                bilan = edition_lot.appliquer(self.acteur, ids, operation,
                                              request.form.get("valeur"))
                verrous.commit()
            except edition_lot.LotError as exc:
                db.session.rollback()
                erreur = str(exc)
            else:
                flash(bilan.message(), "success" if bilan.modifiees else "warning")
                return redirect(retour)
        return self.render("admin/fiche_lot.html", genre=genre, ids=ids, erreur=erreur,
                           action_name=f"lot_{genre}", retour=retour,
                           choix=self._lot_choix(genre), titres=self._lot_titres(ids),
                           valeur=request.form.get("valeur", ""),
                           mode=request.form.get("mode", "ajouter"))

    def _lot_titres(self, ids):
        """The first selected fiches the acteur can see (names on the confirmation page)."""
        query = self.get_query().filter(FicheAction.id.in_(ids)).order_by(
            FicheAction.titre).limit(10).with_entities(FicheAction.titre)
        return [t for (t,) in query]

    def _lot_choix(self, genre: str):
        """(value, label) options, or for an axe [(plan name, options)]."""
        if genre == "statut":
            return list(STATUTS)
        if genre == "priorite":
            return [("", "Non renseignée")] + list(PRIORITES)
        cid = self.acteur.collectivite_id
        if cid is None:
            return []
        if genre == "pilote":
            return filtres.pilotes_of(cid)
        plans = db.session.execute(db.select(Plan.id, Plan.nom).where(
            Plan.collectivite_id == cid, Plan.deleted_at.is_(None)).order_by(Plan.nom)).all()
        return [(nom, filtres.axes_of(pid, racine=f"{nom} (à la racine du plan)"))
                for pid, nom in plans]
