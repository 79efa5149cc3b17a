"""The holder's home « Mes dossiers » and the dossier form (grouped sections), with its
risks (4 × 4 grid), financing plan and planned stage dates; « Répondre » to an open call.
Thin: the rules are in ``tet.projets.dossiers`` (every POST re-checked there)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from tet.formats import montant
from admin_views.projets.grille_risques import grille
from admin_views.projets.porteur_base import PorteurView, agir, refuser
from admin_views.verrou import conflit_formulaire, enregistrer, garder_l_autre
from forms.projets.porteur import (
    DossierForm,
    FinancementForm,
    JalonForm,
    NouveauDossierForm,
    RisqueForm,
)
from forms.choices import select_choices
from forms.verrou import poser
from tet import verrous
from tet.extensions import db
from tet.projets import dossiers, espace_porteur
from tet.projets.commun import Refus
from tet.projets.models import (
    CATEGORIES_RISQUE_LABELS,
    AppelAProjets,
    Financement,
    Jalon,
    Risque,
    STADES,
    STATUTS_CANDIDATURE_LABELS,
)
from tet.projets.permissions import peut_modifier_dossier


class MesDossiersView(PorteurView):
    @expose("/")
    def index(self):
        org_id = self.acteur.organisation_id
        cands = espace_porteur.candidatures_de(org_id)
        par_dossier: dict[int, list] = {}
        for c in cands:
            par_dossier.setdefault(c.dossier_id, []).append(c)
        return self.render("admin/projets/porteur/index.html",
                           dossiers=espace_porteur.dossiers_de(org_id),
                           par_dossier=par_dossier, appels=espace_porteur.appels_ouverts(),
                           non_lus=espace_porteur.non_lus(org_id),
                           statuts=STATUTS_CANDIDATURE_LABELS)

    # --- answer a call ---------------------------------------------------------------
    def _appel_ouvert_ou_404(self, id: int) -> AppelAProjets:
        appel = db.session.scalar(select(AppelAProjets).where(
            AppelAProjets.id == id, espace_porteur.depot_ouvert()))
        if appel is None:
            abort(404)
        return appel

    @expose("/appel/<int:id>/repondre", methods=("GET", "POST"))
    def repondre(self, id: int):
        appel = self._appel_ouvert_ou_404(id)
        a = self.acteur
        mine = espace_porteur.dossiers_de(a.organisation_id)
        form = NouveauDossierForm()
        form.dossier_id.choices = select_choices(
            [("", "Un nouveau dossier (nouveau projet)")] + [(str(d.id), d.titre) for d in mine])
        if form.validate_on_submit():
            try:
                if form.dossier_id.data:
                    dossier = self.dossier_ou_404(int(form.dossier_id.data)
                                                  if form.dossier_id.data.isdigit() else 0)
                else:
                    dossier = dossiers.creer(a, {"titre": form.titre.data or ""})
                cand = dossiers.candidater(a, dossier, appel)
                db.session.commit()
            except Refus as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                flash("Candidature créée (brouillon) : complétez-la puis déposez-la.",
                      "success")
                return redirect(url_for("porteur_candidatures.candidature", id=cand.id))
        return self.render("admin/projets/porteur/repondre.html", appel=appel, form=form)

    # --- the dossier form ------------------------------------------------------------
    @expose("/nouveau", methods=("GET", "POST"))
    def nouveau(self):
        form = DossierForm()
        if form.validate_on_submit():
            try:
                dossier = dossiers.creer(self.acteur, form.values())
                db.session.commit()
            except Refus as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                flash("Dossier créé.", "success")
                return redirect(url_for(".dossier", id=dossier.id))
        return self.render("admin/projets/porteur/dossier.html", form=form, dossier=None,
                           modifiable=True)

    @expose("/<int:id>", methods=("GET", "POST"))
    def dossier(self, id: int):
        dossier = self.dossier_ou_404(id)
        a = self.acteur
        modifiable = peut_modifier_dossier(a, dossier)
        back = url_for(".dossier", id=id)
        if request.method == "POST":
            if not modifiable:
                return refuser(Refus(dossiers.VERROU), back)
            form = DossierForm()
            if form.validate():
                garder = garder_l_autre(request.form)

                def sauver(version):
                    champs = {k: v for k, v in form.values().items() if k not in garder}
                    dossiers.modifier(a, dossier, champs, version)
                    verrous.commit()
                    flash("Dossier enregistré.", "success")
                    return redirect(back)

                def conflit():
                    fresh = self.dossier_ou_404(id)
                    return conflit_formulaire(self, form, DossierForm(formdata=None, obj=fresh),
                                              fresh, objet=f"le dossier « {fresh.titre} »",
                                              annuler=back)

                try:
                    return enregistrer(sauver, form.version.data, conflit)
                except Refus as exc:
                    return refuser(exc, back)
        else:
            form = DossierForm(obj=dossier)
            poser(form, dossier)
        return self.render("admin/projets/porteur/dossier.html", form=form, dossier=dossier,
                           modifiable=modifiable, **self._sections(dossier))

    def _sections(self, dossier) -> dict:
        jalons = {j.stade: j for j in dossier.jalons}
        return {"plan": dossiers.plan_de_financement(dossier),
                "grille": grille(dossier.risques), "jalons": jalons, "stades": STADES,
                "categories": CATEGORIES_RISQUE_LABELS,
                "risque_form": RisqueForm(formdata=None),
                "financement_form": FinancementForm(formdata=None),
                "jalon_form": JalonForm(formdata=None)}

    # --- lines of the dossier (risks, financing, planned dates) ------------------------
    @expose("/<int:id>/risques", methods=("POST",))
    def ajouter_risque(self, id: int):
        dossier, form = self.dossier_ou_404(id), RisqueForm()
        return agir(url_for(".dossier", id=id) + "#risques", lambda: dossiers.ajouter_risque(
            self.acteur, dossier, form.categorie.data, form.libelle.data,
            form.probabilite.data, form.gravite.data, form.mesures.data),
            "Risque ajouté.", form)

    @expose("/<int:id>/financements", methods=("POST",))
    def ajouter_financement(self, id: int):
        dossier, form = self.dossier_ou_404(id), FinancementForm()
        response = agir(url_for(".dossier", id=id) + "#financement",
                        lambda: dossiers.ajouter_financement(
                            self.acteur, dossier, form.cofinanceur.data, form.montant.data,
                            form.acquis.data), "Financement ajouté.", form)
        plan = dossiers.plan_de_financement(dossier)
        if plan["reste"] is not None and plan["reste"] < 0:
            flash(f"Attention : le plan de financement ({montant(plan['cofinance'])}) "
                  f"dépasse le budget total ({montant(dossier.budget_total)}).",
                  "warning")
        return response

    @expose("/<int:id>/jalons", methods=("POST",))
    def planifier(self, id: int):
        dossier, form = self.dossier_ou_404(id), JalonForm()
        return agir(url_for(".dossier", id=id) + "#maturite", lambda: dossiers.planifier(
            self.acteur, dossier, form.stade.data, form.date_prevue.data,
            form.date_atteinte.data), "Calendrier enregistré.", form)

    @expose("/<int:id>/<any(risques, financements, jalons):kind>/<int:ligne_id>/supprimer",
            methods=("POST",))
    def supprimer_ligne(self, id: int, kind: str, ligne_id: int):
        dossier = self.dossier_ou_404(id)
        model = {"risques": Risque, "financements": Financement, "jalons": Jalon}[kind]
        ligne = db.session.get(model, ligne_id)
        if ligne is None or ligne.dossier_id != dossier.id:
            abort(404)
        return agir(url_for(".dossier", id=id),
                    lambda: dossiers.supprimer_ligne(self.acteur, ligne), "Ligne supprimée.")
