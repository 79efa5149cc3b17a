"""The committee's meeting (part of ``projets_comite``): the call's page (who evaluated what,
the meeting opened or closed by the organiser), the ranking, the members' votes and the
organiser's decision (co-décision, ``tet.projets.decision``)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from admin_views.projets.dossier_pdf import LIBELLES
from forms.projets.comite import DecisionForm, SeanceForm, VoteForm
from tet.comptes.permissions import current_acteur, policy_for
from tet.extensions import db
from tet.plans.models import FicheAction
from tet.projets import appels, decision, score, tableaux_comite as tableaux
from tet.projets.commun import Refus
from tet.projets.models import Decision, Vote
from tet.projets.models.choix import CHOIX_VOTE_LABELS
from tet.projets.permissions import gere_appel, membre_du_comite, organise_appel, voit_classement
from tet.verrous import Perime
from tet.formats import pluriel


class SeanceMixin:
    def _appel(self, appel_id: int):
        appel = next((x for x in tableaux.appels_du_comite(current_acteur())
                      if x.id == appel_id), None)
        if appel is None:
            abort(404)
        return appel

    # --- the call's page: progress of the evaluation, the meeting ----------------------
    @expose("/appel/<int:appel_id>")
    def appel(self, appel_id: int):
        a = current_acteur()
        appel = self._appel(appel_id)
        organisateur = organise_appel(a, appel)
        form = SeanceForm(version=appel.version)
        return self.render(
            "admin/projets/comite/appel.html", appel=appel, organisateur=organisateur,
            gere=gere_appel(a, appel), lignes=tableaux.candidatures_de_l_appel(a, appel.id),
            membres=tableaux.membres(appel.id), criteres=tableaux.nb_criteres(appel.id),
            classement_visible=voit_classement(a, appel), form=form,
            membre=membre_du_comite(a, appel.id), **LIBELLES)

    @expose("/appel/<int:appel_id>/seance", methods=("POST",))
    def seance(self, appel_id: int):
        a = current_acteur()
        appel = self._appel(appel_id)
        if not gere_appel(a, appel):
            abort(403)
        ouvrir = request.form.get("ouvrir") == "1"
        try:
            appels.ouvrir_seance(a, appel, ouvrir, version=SeanceForm().version.data)
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
        except Perime:
            db.session.rollback()
            flash("L'appel a changé entre-temps : rechargez la page et recommencez.", "error")
        else:
            db.session.commit()
            flash("La séance du comité est ouverte : ses membres voient les notes de chacun "
                  "et votent." if ouvrir else "La séance du comité est close.", "success")
        return redirect(url_for(".appel", appel_id=appel.id))

    # --- the ranking -------------------------------------------------------------------
    @expose("/appel/<int:appel_id>/classement")
    def classement(self, appel_id: int):
        a = current_acteur()
        appel = self._appel(appel_id)
        if not voit_classement(a, appel):
            flash("Le classement montre les notes du comité : il s'affiche une fois la séance "
                  "ouverte par l'organisateur.", "error")
            return redirect(url_for(".appel", appel_id=appel.id))
        return self.render(
            "admin/projets/comite/classement.html", appel=appel,
            rangs=tableaux.classement(appel), **LIBELLES, ecart_fort=score.ECART_FORT, seuil_atypique=score.SEUIL_ATYPIQUE,
            min_atypique=score.MIN_EVALUATEURS_ATYPIQUE)

    # --- vote and decision --------------------------------------------------------------
    def _seance_contexte(self, a, cand) -> dict:
        """What the candidature page shows of the meeting: counts, votes, forms."""
        appel = cand.appel
        membre = membre_du_comite(a, appel.id)
        mon_vote = db.session.scalar(select(Vote.choix).where(
            Vote.candidature_id == cand.id, Vote.membre_id == membre.id)) if membre else None
        fiche = db.session.get(FicheAction, cand.fiche_id) if cand.fiche_id else None
        return dict(
            decompte=decision.decompte(cand), votes=tableaux.votes(a, cand),
            choix_labels=CHOIX_VOTE_LABELS, mon_vote=mon_vote,
            decision_prise=db.session.scalar(select(Decision).where(
                Decision.candidature_id == cand.id)),
            peut_voter=bool(membre and appel.seance_ouverte and cand.statut == "evalue"),
            peut_decider=bool(gere_appel(a, appel) and appel.seance_ouverte
                              and cand.statut == "evalue"),
            vote_form=VoteForm(choix=mon_vote), decision_form=DecisionForm(),
            fiche=fiche if fiche is not None and not fiche.deleted_at
            and policy_for(FicheAction).visible(a, fiche) else None,
            classement_visible=voit_classement(a, appel))

    def _action(self, id: int, form, faire, succes):
        """A POST on a candidature: validate ``form``, ``faire(acteur, cand, form)`` through
        the service, commit and flash ``succes(result)``, or flash the refusal; back to the
        candidature's page."""
        a = current_acteur()
        cand = self._candidature(id)
        if not form.validate():
            flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
        else:
            try:
                result = faire(a, cand, form)
            except Refus as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                db.session.commit()
                flash(succes(result), "success")
        return redirect(url_for(".candidature", id=cand.id))

    @expose("/candidature/<int:id>/vote", methods=("POST",))
    def vote(self, id: int):
        return self._action(
            id, VoteForm(), lambda a, cand, f: decision.voter(a, cand, f.choix.data),
            lambda v: f"Votre vote est enregistré : {CHOIX_VOTE_LABELS[v.choix].lower()}.")

    @expose("/candidature/<int:id>/decision", methods=("POST",))
    def decider(self, id: int):
        return self._action(
            id, DecisionForm(),
            lambda a, cand, f: decision.decider(a, cand, f.motivation.data),
            lambda d: "Décision enregistrée : " + ("retenu" if d.resultat == "retenu"
                                                  else "non retenu")
            + f" ({d.pour} pour, {d.contre} contre, "
            + f"{pluriel(d.abstention, 'abstention')}). Le porteur "
              "en est averti.")
