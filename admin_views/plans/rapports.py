"""Downloads of a plan's reports (bilan PDF / Word / PowerPoint, its fiches as PDF) and of
one fiche's PDF: thin views over ``tet.plans.rapports``. Anyone who may read the plan (or
the fiche) may download them, lecture included; another collectivité's id is a 404."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from admin_views import charts
from admin_views.base import SecureView
from tet.comptes.permissions import current_acteur, policy_for
from tet.extensions import db
from tet.plans import emplacements
from tet.plans.models import STATUTS, FicheAction, Plan
from tet.plans.rapports import docx, donnees, pdf, pptx, selection
from tet.plans.rapports import fiches as fiche_data
from tet.rapports import images
from tet.rapports.reponse import telechargement


def graphiques_bilan(chiffres: donnees.Chiffres) -> dict:
    """The dashboard's charts (SVG) for the PDF: fiches by statut, a gauge per axe."""
    return {
        "statut": charts.bars([(label, n, charts.PALETTE[code])
                               for code, label, n in chiffres.par_statut], "Fiches par statut"),
        "axes": [charts.gauge(av, f"Avancement de {nom}")
                 for _id, nom, _n, av in chiffres.par_axe],
    }


class RapportView(SecureView):
    """Reached from the plan page's « Bilans » link and the fiche page (not in the menu)."""

    def is_visible(self) -> bool:
        return False

    def _scoped(self, model, id: int):
        a = current_acteur()
        policy = policy_for(model)
        if not policy.can_list(a):
            abort(404)
        query = select(model).where(model.id == id)
        cond = policy.condition(a)
        obj = db.session.scalar(query if cond is None else query.where(cond))
        if obj is None:
            abort(404)
        return obj

    @expose("/")
    def index(self):
        """The reports are offered on each plan's page."""
        return redirect(url_for("plan.index_view"))

    @expose("/plan/<int:id>")
    def plan(self, id: int):
        """The bilan in the format the form asks (``format``, ``section``, ``statut``,
        ``axe``); no format: the form (linked from the plan page); a refused choice or too
        many fiches: back to the form with the reason."""
        plan = self._scoped(Plan, id)
        retour = url_for(".plan", id=plan.id)
        if "format" not in request.args:  # the form always says which: show it
            return self.render("rapports/bilan_formulaire.html", plan=plan,
                               axes=selection.axes_de_premier_niveau(plan),
                               statut_labels=dict(STATUTS))
        try:
            options = selection.lire_options(request.args, plan)
        except selection.OptionsInvalides as exc:
            flash(str(exc), "error")
            return redirect(retour)
        sel = selection.selection(plan, current_acteur(), options)
        refus = selection.trop_de_fiches(selection.compter(sel), options)
        if refus:
            flash(refus, "error")
            return redirect(retour)
        nom = f"Bilan {plan.nom}"
        if options.format == "fiches":
            details = list(fiche_data.charger(sel, plan.collectivite_id, notes=3,
                                              complet=True).values())
            contenu = pdf.fiches(details, plan.collectivite.nom, f"Fiches action — {plan.nom}")
            return telechargement(contenu, f"Fiches {plan.nom}", "pdf")
        b = donnees.bilan(plan, sel, options)
        if options.format == "docx":
            png = images.barres([(label, n, charts.PALETTE[code])
                                 for code, label, n in b.chiffres.par_statut])
            return telechargement(docx.bilan(b, png), nom, "docx")
        if options.format == "pptx":
            return telechargement(pptx.bilan(b, charts.PALETTE), nom, "pptx")
        return telechargement(pdf.bilan(b, graphiques_bilan(b.chiffres)), nom, "pdf")

    @expose("/fiche/<int:id>")
    def fiche(self, id: int):
        """One fiche as a PDF of one or two pages."""
        fiche = self._scoped(FicheAction, id)
        details = list(fiche_data.charger(selection.selection_fiche(fiche.id),
                                          fiche.collectivite_id, notes=3, complet=True).values())
        contenu = pdf.fiches(details, fiche.collectivite.nom, fiche.titre,
                             chemins=emplacements.chemins(fiche.id))
        return telechargement(contenu, fiche.titre, "pdf")
