"""« Appels à projets » of the organiser: the list of the calls it runs (counts of
candidatures per statut in one GROUP BY), the call's page, its creation and its settings
(optimistic locking), its statut, its copy, its exports. The committee and the
candidatures are in ``comite_organisateur`` and ``instruction`` (mixins of this view)."""
from __future__ import annotations

import json
from datetime import date

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from admin_views.base import ScopedModelView
from admin_views.exports import xlsx_download
from admin_views.projets.comite_organisateur import ComiteMixin
from admin_views.projets.instruction import InstructionMixin
from admin_views.verrou import conflit_formulaire, enregistrer as enregistrer_verrou
from forms.projets import organisateur as forms
from tet import recherche, xlsx
from tet.comptes.models import Collectivite
from tet.extensions import db
from tet.projets import appels, parametrage
from tet.projets import suivi_organisateur as lecture
from tet.projets.commun import Refus
from tet.projets.models import STATUTS_APPEL, STATUTS_APPEL_LABELS, STATUTS_CANDIDATURE
from tet.projets.permissions import gere_appel
from tet.verrous import LIBRE, Perime
from tet.tri import tri_fr

COMPTES = [(k, v) for k, v in STATUTS_CANDIDATURE if k != "brouillon"]


def _comptes(view, context, model, name):
    counts = g.get("projets_comptes", {}).get(model.id, {})
    parts = [f"{label} : {counts[k]}" for k, label in COMPTES if counts.get(k)]
    return ", ".join(parts) or "—"


def _depot(view, context, model, name):
    debut, fin = g.get("projets_depots", {}).get(model.id, (None, None))
    from tet.formats import date_fr

    if debut is None and fin is None:
        return "—"
    return f"{date_fr(debut) if debut else '…'} → {date_fr(fin) if fin else '…'}"


class AppelView(ComiteMixin, InstructionMixin, ScopedModelView):
    """The calls the acteur organises (support: all, the national ones too)."""

    column_list = ["titre", "annee", "statut", "collectivite", "depot", "candidatures"]
    column_labels = {"titre": "Titre", "annee": "Année", "statut": "Statut",
                     "collectivite": "Organisateur", "depot": "Dépôt des dossiers",
                     "candidatures": "Dossiers déposés"}
    column_choices = {"statut": STATUTS_APPEL}
    column_formatters = {"candidatures": _comptes, "depot": _depot,
                         "annee": lambda v, c, m, n: str(m.annee),
                         "collectivite": lambda v, c, m, n: m.collectivite.nom
                         if m.collectivite else "National"}
    column_sortable_list = ["titre", "annee", "statut"]
    column_default_sort = ("annee", True)
    column_filters = ["statut", "annee"]
    column_searchable_list = ["titre"]
    column_export_list = ["titre", "annee", "statut"]

    def allowed(self) -> bool:
        a = self.acteur
        return a.is_support or a.collectivite_id is not None

    def get_query(self):
        from sqlalchemy.orm import joinedload

        return super().get_query().options(joinedload(self.model.collectivite))

    def get_list(self, *args, **kwargs):
        count, rows = super().get_list(*args, **kwargs)
        if kwargs.get("execute", True) and rows is not None:
            rows = list(rows)
            ids = [r.id for r in rows]  # one page: at most page_size ids
            g.projets_comptes = lecture.comptes_par_statut(ids) if ids else {}
            g.projets_depots = lecture.dates_depot(ids) if ids else {}
        return count, rows

    # --- the call's page ---------------------------------------------------------------
    def appel_ou_404(self, id_):
        appel = self.get_one(id_)
        if appel is None:
            abort(404)
        return appel

    def gere_ou_403(self, appel):
        if not gere_appel(self.acteur, appel):
            abort(403)

    @expose("/details/")
    def details_view(self):
        appel = self.appel_ou_404(request.args.get("id"))
        return self.page_appel(appel)

    # --- creation ----------------------------------------------------------------------
    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        if not self.can_create:
            abort(403)
        form = forms.CreationForm(annee=date.today().year + 1)
        if request.method == "POST" and form.validate_on_submit():
            try:
                appel = appels.creer(self.acteur, form.titre.data, form.annee.data,
                                     self.acteur.collectivite_id, objectifs=form.objectifs.data)
                db.session.commit()
            except Refus as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                flash("Appel créé en brouillon : complétez ses paramètres.", "success")
                return redirect(url_for(".edit_view", id=appel.id))
        return self.render("admin/projets/organisateur/appel_creer.html", form=form)

    # --- settings ----------------------------------------------------------------------
    def _axes_choices(self, appel):
        return [(x.id, x.nom) for x in appel.axes]

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        appel = self.appel_ou_404(request.args.get("id"))
        self.gere_ou_403(appel)
        if appel.statut == "decide":
            flash("Un appel décidé ne se modifie plus.", "error")
            return redirect(url_for(".details_view", id=appel.id))
        grille = appel.statut == "brouillon"
        if request.method == "GET":
            form = forms.AppelForm(formdata=None)
            forms.remplir(form, appel, self._axes_choices(appel))
            from forms.verrou import poser

            poser(form, appel)
            return self._page_form(appel, form, grille, [(c.id, c.nom) for c in appel.territoire])
        form = forms.AppelForm()
        for m in form.matrices:
            for c in m.form.criteres:
                c.form.axe_id.choices = forms.axe_choices(self._axes_choices(appel))
        territoire_ids = _ids(request.form.get("territoire"))
        if not form.validate():
            return self._page_form(appel, form, grille, self._noms(territoire_ids), 400)
        p = forms.parametres(form, territoire_ids, grille)

        def sauver(version):
            parametrage.enregistrer(self.acteur, appel, p, version)
            db.session.commit()
            flash("Paramètres de l’appel enregistrés.", "success")
            return redirect(url_for(".details_view", id=appel.id))

        def conflit():
            autre = forms.AppelForm(formdata=None)
            forms.remplir(autre, db.session.get(type(appel), appel.id), [])
            return conflit_formulaire(self, form, autre, appel, objet=appel.titre,
                                      annuler=url_for(".details_view", id=appel.id))

        try:
            return enregistrer_verrou(sauver, form.version.data, conflit)
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return self._page_form(appel, form, grille, self._noms(territoire_ids), 400)

    def _noms(self, ids):
        if not ids:
            return []
        return list(db.session.execute(select(Collectivite.id, Collectivite.nom).where(
            Collectivite.id.in_(ids[:5000])).order_by(Collectivite.nom)))

    def _page_form(self, appel, form, grille, territoire, status=200):
        if request.method == "POST" and grille:
            forms.completer(form, self._axes_choices(appel))  # blank rows to add more
        return self.render("admin/projets/organisateur/appel_form.html", appel=appel,
                           form=form, grille=grille,
                           territoire_json=json.dumps([[i, n] for i, n in territoire]),
                           territoire_ids=",".join(str(i) for i, _n in territoire)), status

    @expose("/territoire/")
    def territoire_lookup(self):
        """The ajax picker of the territory: collectivités the organiser may cover, by
        beginnings of words of their name (full-text index, never a 36,000-row scan)."""
        if not self.policy.can_create(self.acteur):
            abort(403)
        query = select(Collectivite.id, tri_fr(Collectivite.nom)).order_by(tri_fr(Collectivite.nom))
        cond = parametrage.territoire_possible(self.acteur)
        if cond is not None:
            query = query.where(cond)
        texte = request.args.get("query") or ""
        found = recherche.condition("collectivite", Collectivite.id, texte)
        if found is not None:
            query = query.where(found)
        offset = max(request.args.get("offset", 0, type=int) or 0, 0)
        rows = db.session.execute(query.offset(min(offset, 1000)).limit(10)).all()
        return json.dumps([[i, n] for i, n in rows]), 200, {"Content-Type": "application/json"}

    # --- statut, copy, deletion ---------------------------------------------------------
    @expose("/etat/", methods=("POST",))
    def etat(self):
        appel = self.appel_ou_404(request.form.get("id"))
        self.gere_ou_403(appel)
        try:
            if request.form.get("op") == "copier":
                copie = appels.copier(self.acteur, appel)
                db.session.commit()
                flash(f"Copie créée en brouillon : « {copie.titre} ».", "success")
                return redirect(url_for(".edit_view", id=copie.id))
            vers = appels.SUIVANTS.get(appel.statut, (None, ""))[0]
            appels.avancer(self.acteur, appel, request.form.get("version", LIBRE))
            db.session.commit()
            flash(f"Appel « {appel.titre} » : {STATUTS_APPEL_LABELS[vers].lower()}.",
                  "success")
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
        except Perime:  # the page showed an older version of the call
            db.session.rollback()
            flash("L’appel a changé depuis l’affichage de la page : vérifiez puis "
                  "recommencez.", "error")
        return redirect(url_for(".details_view", id=appel.id))

    def delete_model(self, model):
        try:
            appels.supprimer(self.acteur, model)
            db.session.commit()
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return False
        return True

    # --- exports -----------------------------------------------------------------------
    @expose("/<int:id>/export/dossiers.xlsx")
    def export_dossiers(self, id):
        appel = self.appel_ou_404(id)

        def build(wb):
            ws = wb.add_worksheet("Dossiers")
            xlsx.write_table(ws, xlsx.Formats(wb), lecture.DOSSIERS_COLONNES,
                             lecture.lignes_dossiers(self.acteur, appel))

        return xlsx_download(build, f"appel-{appel.id}-dossiers-{date.today():%Y%m%d}.xlsx")

    @expose("/<int:id>/export/evaluations.xlsx")
    def export_evaluations(self, id):
        appel = self.appel_ou_404(id)
        if not lecture.peut_exporter_evaluations(self.acteur, appel):
            abort(403)

        def build(wb):
            ws = wb.add_worksheet("Évaluations")
            xlsx.write_table(ws, xlsx.Formats(wb), lecture.EVALUATIONS_COLONNES,
                             lecture.lignes_evaluations(self.acteur, appel))

        return xlsx_download(build,
                             f"appel-{appel.id}-evaluations-{date.today():%Y%m%d}.xlsx")


def _ids(raw: str | None) -> list[int]:
    """« 3,17,42 » from the picker; anything not a number is dropped."""
    from tet.nombres import parse_id

    ids = [parse_id(x) for x in (raw or "").split(",") if x.strip()]
    return sorted({i for i in ids if i is not None})

