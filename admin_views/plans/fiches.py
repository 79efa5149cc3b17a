"""Fiches action: list, form, fiche page, "ranger la fiche", notes, documents, links."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import expose
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from admin_views.base import ScopedModelView
from admin_views.plans.declinaisons import DeclinaisonsMixin, declinaisons_context
from admin_views.plans.fiche_form import (
    NomsFicheMixin,
    chosen_axe,
    fill_axes,
    fill_choices,
    form_data,
    prefill,
)
from admin_views.plans.fiche_historique import HistoriqueFicheMixin
from admin_views.plans.fiches_liste import FiltresFichesMixin
from admin_views.plans.fiches_lot import LotFichesMixin
from admin_views.plans.plans import STATUT_BADGES, STATUT_LABELS
from admin_views.plans.fiche_verrou import base_places, conflit_fiche, conflit_places
from admin_views.verrou import enregistrer, garder_l_autre
from forms.fiche import FicheForm
from forms.verrou import VERSION, poser
from tet.extensions import db
from tet.plans.models import Axe, Document, FicheAction, Plan
from tet.indicateurs.models import IndicateurDefinition, ReferentielAction
from tet.plans.models import PRIORITES, STATUTS, fiche_axe
from tet.actions import require
from tet.plans import documents as doc_service
from tet.plans import emplacements, restauration
from tet.plans import fiches as fiche_service
from tet.indicateurs import valeurs as ind_service
from tet.maturite import fiches as maturite_fiches
from tet.plans import arbre
from tet import verrous
from tet.nombres import db_id, parse_id
from tet.tri import tri_fr


def _titre_link(view, context, model, name):
    return Markup(f'<a href="{url_for("fiche.page", id=model.id)}">{escape(model.titre)}</a>')


class FicheView(HistoriqueFicheMixin, LotFichesMixin, FiltresFichesMixin, NomsFicheMixin,
                DeclinaisonsMixin, ScopedModelView):
    list_template = "admin/fiche_list.html"
    column_list = ["titre", "statut", "priorite", "date_debut", "date_fin", "confidentiel",
                   "updated_at"]
    column_labels = {"titre": "Titre", "statut": "Statut", "priorite": "Priorité",
                     "date_debut": "Début", "date_fin": "Fin prévisionnelle",
                     "confidentiel": "Confidentielle", "updated_at": "Modifiée le",
                     "description": "Description"}
    column_choices = {"statut": STATUTS, "priorite": PRIORITES}
    column_formatters = {"titre": _titre_link}
    column_formatters_export = {}
    column_searchable_list = ["titre", "description"]
    column_sortable_list = ["titre", "statut", "priorite", "date_debut", "date_fin",
                            "updated_at"]
    column_default_sort = "titre"
    column_export_list = ["titre", "statut", "priorite", "date_debut", "date_fin",
                          "confidentiel", "description"]

    def _fiche(self, id) -> FicheAction:
        fiche = self.get_one(id)
        if fiche is None:
            abort(404)
        return fiche

    def _check_edit(self, fiche):
        require(self.acteur, "modifier", fiche)

    @expose("/details/")
    def details_view(self):
        return self.page(self._fiche(request.args.get("id")).id)

    # --- create / edit with the grouped form ------------------------------------------
    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        if not self.can_create:
            abort(403)
        a = self.acteur
        cid = a.collectivite_id
        if cid is None:
            flash("Choisissez d'abord la collectivité pour laquelle vous agissez.", "error")
            return redirect(url_for(".index_view"))
        axe = self._target_axe(cid)
        form = fill_choices(FicheForm(), cid)
        fill_axes(form, cid, axe)
        if form.validate_on_submit():
            fiche = FicheAction(collectivite_id=cid)
            saved = self._save(fiche, form_data(form), axe or chosen_axe(form, cid),
                               "Fiche créée.")
            if saved:
                return saved
        return self.render("admin/fiche_form.html", form=form, fiche=None, axe=axe)

    def _save(self, fiche, data, axe, message, version=verrous.LIBRE):
        """Save the form's data (and file a new fiche under ``axe``): a redirect to the fiche
        page, or None after a French error message with nothing written (``verrous.Perime``
        goes up when the fiche changed since ``version``)."""
        try:
            fiche_service.save_fiche(fiche, data, self.acteur.user, version=version)
            if axe is not None:
                arbre.ranger(fiche, {axe.id})
            verrous.commit()
        except (fiche_service.FicheError, arbre.TreeError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return None
        flash(message, "success")
        return redirect(url_for(".page", id=fiche.id))

    def _target_axe(self, cid):
        axe_id = request.args.get("axe", type=db_id)
        if not axe_id:
            return None
        axe = db.session.scalar(select(Axe).join(Plan).where(
            Axe.id == axe_id, Plan.collectivite_id == cid, Plan.deleted_at.is_(None)))
        if axe is None:
            abort(404)
        return axe

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        fiche = self._fiche(request.args.get("id"))
        self._check_edit(fiche)
        form = fill_choices(FicheForm(), fiche.collectivite_id, exclude=fiche.id)
        # a contributeur edits the fiches they pilot, but does not reassign them
        locked = self.acteur.niveau == "contributeur"
        if locked:
            form.pilote_ids.render_kw = {"disabled": True}
        if request.method == "GET" or locked:
            form.pilote_ids.data = [u.id for u in fiche.pilotes]
        if request.method == "GET":
            prefill(form, fiche)
            poser(form, fiche)
        if form.validate_on_submit():
            data = form_data(form)
            if locked:
                data.pop("pilote_ids")
            for name in garder_l_autre(request.form):  # a merge keeps the other's value
                data.pop(name, None)
            saved = enregistrer(
                lambda version: self._save(fiche, data, None, "Fiche enregistrée.", version),
                request.form.get(VERSION), lambda: conflit_fiche(self, fiche, form))
            if saved:
                return saved
        return self.render("admin/fiche_form.html", form=form, fiche=fiche, axe=None)

    def delete_model(self, model):
        fiche_service.soft_delete(model, self.acteur.user)
        db.session.commit()
        return True

    # --- the fiche page ---------------------------------------------------------------
    @expose("/<int:id>")
    def page(self, id: int):
        fiche = db.session.scalar(
            self.get_query().filter(FicheAction.id == id).options(
                selectinload(FicheAction.tags), selectinload(FicheAction.pilotes),
                selectinload(FicheAction.thematiques), selectinload(FicheAction.financeurs),
                selectinload(FicheAction.budgets), selectinload(FicheAction.notes),
                selectinload(FicheAction.documents), selectinload(FicheAction.sous_actions),
                selectinload(FicheAction.indicateurs), selectinload(FicheAction.referentiel_actions))
            .statement)
        if fiche is None:
            abort(404)
        places = emplacements.chemins(fiche.id)
        history = restauration.historique_fiche(fiche.id)
        a = self.acteur
        return self.render(
            "admin/fiche_page.html", fiche=fiche, places=places, history=history,
            liens=fiche_service.linked(fiche), candidates=_link_candidates(fiche),
            today=date.today(), **declinaisons_context(a, fiche),
            recommandation=maturite_fiches.recommandation_of(fiche),
            visible_ids=self._visible_ids(), indicateur_charts=self._indicateur_charts(fiche),
            indicateur_choices=db.session.scalars(select(IndicateurDefinition).where(
                ind_service.visible_condition(fiche.collectivite_id))
                .order_by(IndicateurDefinition.identifiant, tri_fr(IndicateurDefinition.nom))).all(),
            statut_labels=STATUT_LABELS, statut_badges=STATUT_BADGES,
            tag_names=fiche_service.tag_names)

    @expose("/<int:id>/ranger", methods=("GET", "POST"))
    def ranger(self, id: int):
        fiche = self._fiche(id)
        require(self.acteur, "ranger", fiche)
        if request.method == "POST":
            ids = {i for i in map(parse_id, request.form.getlist("axe_ids")) if i}
            if "axe_ids" in garder_l_autre(request.form):
                flash("Les emplacements choisis par l'autre personne sont conservés.", "success")
                return redirect(url_for(".page", id=fiche.id))

            def sauver(version):
                arbre.ranger(fiche, ids, version)
                fiche.updated_by_id = self.acteur.user.id  # a new version of the fiche
                verrous.commit()
                flash("Emplacements de la fiche enregistrés.", "success")
                return redirect(url_for(".page", id=fiche.id))

            try:
                return enregistrer(sauver, request.form.get(VERSION),
                                   lambda: conflit_places(self, fiche, ids))
            except arbre.TreeError as exc:
                db.session.rollback()
                flash(str(exc), "error")
        plans = arbre.load_forest(fiche.collectivite_id)  # axes only, every plan at once
        current = {a.id for a in arbre.places(fiche)}
        return self.render("admin/fiche_ranger.html", fiche=fiche, plans=plans,
                           current=current, verrou_base=base_places(current))

    @expose("/<int:id>/notes", methods=("POST",))
    def add_note(self, id: int):
        def apply(fiche):
            try:
                when = date.fromisoformat(request.form.get("date") or date.today().isoformat())
            except ValueError:
                raise fiche_service.FicheError("Date invalide.")
            fiche_service.add_note(fiche, when, request.form.get("texte", ""), self.acteur.user)
            return "Note de suivi ajoutée."

        return self._change(id, "#suivi", fiche_service.FicheError, apply)

    def _change(self, id: int, anchor: str, errors, apply, allowed=None):
        """A change from the fiche page: checked (``allowed(acteur, fiche)``, by default the
        right to edit the fiche), committed or rolled back, then back to the page at
        ``anchor`` with a French message."""
        fiche = self._fiche(id)
        if allowed is None:
            require(self.acteur, "modifier", fiche)
        elif not allowed(self.acteur, fiche):
            abort(403)
        try:
            message = apply(fiche)
            db.session.commit()
        except errors as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            if message:
                flash(message, "success")
        return redirect(url_for(".page", id=fiche.id) + anchor)

    @expose("/<int:id>/liens", methods=("POST",))
    def liens(self, id: int):
        def apply(fiche):
            other = self.get_one(request.form.get("autre_id"))
            if other is None:
                abort(404)
            if request.form.get("op") == "retirer":
                fiche_service.unlink(fiche, other)
            else:
                fiche_service.link(fiche, other)

        return self._change(id, "#liens", fiche_service.FicheError, apply)

    def _indicateur_charts(self, fiche):
        from admin_views.indicateurs.catalogue import chart_of

        values = ind_service.values_of(fiche.collectivite_id, [d.id for d in fiche.indicateurs])
        return [(d, chart_of(d, values.get(d.id, []))) for d in fiche.indicateurs]

    def _visible_ids(self):
        """Collectivités whose fiches the acteur may open (for links to déclinaisons)."""
        a = self.acteur
        return None if a.is_support else {a.collectivite_id}

    @expose("/<int:id>/indicateurs", methods=("POST",))
    def indicateurs(self, id: int):
        def apply(fiche):
            definition = db.session.scalar(select(IndicateurDefinition).where(
                IndicateurDefinition.id == request.form.get("definition_id", type=db_id),
                ind_service.visible_condition(fiche.collectivite_id)))
            if definition is None:
                abort(404)
            toggle(fiche.indicateurs, definition, request.form.get("op") != "retirer")

        return self._change(id, "#indicateurs", (), apply)

    @expose("/<int:id>/referentiel", methods=("POST",))
    def referentiel(self, id: int):
        def apply(fiche):
            action = db.session.scalar(select(ReferentielAction).where(
                ReferentielAction.identifiant == (request.form.get("identifiant") or "").strip()))
            if action is None:
                raise fiche_service.FicheError(
                    "Action du référentiel inconnue (exemple : cae_1.2.3, eci_2.1).")
            toggle(fiche.referentiel_actions, action, request.form.get("op") != "retirer")

        return self._change(id, "#referentiel", fiche_service.FicheError, apply)

    @expose("/<int:id>/documents", methods=("POST",))
    def add_document(self, id: int):
        def apply(fiche):
            upload = request.files.get("fichier")
            if upload is not None and upload.filename:
                doc_service.save_upload(fiche, upload.stream, upload.filename,
                                        self.acteur.user)
            else:
                doc_service.add_link(fiche, request.form.get("nom", ""),
                                     request.form.get("url", ""), self.acteur.user)
            return "Document ajouté."

        return self._change(id, "#documents", doc_service.DocumentError, apply)

    def _document(self, fiche_id: int, doc_id: int) -> tuple[FicheAction, Document]:
        fiche = self._fiche(fiche_id)
        doc = db.session.get(Document, doc_id)
        if doc is None or doc.fiche_id != fiche.id:
            abort(404)
        return fiche, doc

    @expose("/<int:id>/documents/<int:doc_id>")
    def document(self, id: int, doc_id: int):
        _fiche, doc = self._document(id, doc_id)
        if doc.url:
            return redirect(doc.url)
        return send_file(doc_service.path_of(doc), mimetype=doc.type_mime,
                         as_attachment=True, download_name=doc.nom)

    @expose("/<int:id>/documents/<int:doc_id>/supprimer", methods=("POST",))
    def delete_document(self, id: int, doc_id: int):
        fiche, doc = self._document(id, doc_id)
        self._check_edit(fiche)
        doc_service.remove(doc)
        db.session.commit()
        flash("Document supprimé.", "success")
        return redirect(url_for(".page", id=fiche.id) + "#documents")

    @expose("/non-classees")
    def non_classees(self):
        filed = select(fiche_axe.c.fiche_id).join(Axe, Axe.id == fiche_axe.c.axe_id).join(
            Plan, Plan.id == Axe.plan_id).where(Plan.deleted_at.is_(None))
        fiches = list(db.session.scalars(
            self.get_query().filter(FicheAction.id.not_in(filed))
            .order_by(tri_fr(FicheAction.titre)).statement))
        return self.render("admin/fiches_non_classees.html", fiches=fiches,
                           statut_labels=STATUT_LABELS, statut_badges=STATUT_BADGES)


def toggle(collection: list, item, present: bool) -> None:
    if present and item not in collection:
        collection.append(item)
    elif not present and item in collection:
        collection.remove(item)


def _link_candidates(fiche: FicheAction) -> list:
    """The picker of fiches to link: id and title only."""
    return list(db.session.execute(select(FicheAction.id, FicheAction.titre).where(
        FicheAction.collectivite_id == fiche.collectivite_id, FicheAction.id != fiche.id,
        FicheAction.deleted_at.is_(None)).order_by(tri_fr(FicheAction.titre)).limit(500)))
