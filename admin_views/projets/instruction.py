"""The organiser's side of the candidatures of a call: the call's page with its
candidatures (paged, scores once the meeting is open), one candidature's page, its
transitions (the buttons ``transitions.possibles`` allows) and its message thread."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager
from werkzeug.routing import BuildError

from forms.projets.organisateur import MotifForm
from tet.extensions import db
from tet.nombres import PAGE_MAX
from tet.projets import appels, evaluation, messages, transitions
from tet.projets import suivi_organisateur as lecture
from tet.projets.commun import Refus
from tet.projets.models import (
    ETAPES_LABELS,
    STATUTS_APPEL_LABELS,
    STATUTS_CANDIDATURE,
    STATUTS_CANDIDATURE_LABELS,
    Candidature,
    Dossier,
)
from tet.projets.permissions import candidatures_visibles, gere_appel, voit_classement
from tet.verrous import LIBRE, Perime

PAR_PAGE = 50
ENDPOINT_CLASSEMENT = "projets_comite.classement"  # the committee's ranking page


def lien_classement(appel_id: int) -> str | None:
    """The ranking page of the committee, once that view is registered."""
    try:
        return url_for(ENDPOINT_CLASSEMENT, appel_id=appel_id)
    except BuildError:
        return None


class InstructionMixin:
    """For ``AppelView``: ``appel_ou_404`` scopes the call, ``gere_ou_403`` guards writes."""

    def page_appel(self, appel):
        a = self.acteur
        statut = request.args.get("statut") or None
        if statut not in dict(STATUTS_CANDIDATURE):
            statut = None
        page = min(max(request.args.get("page", 0, type=int) or 0, 0), PAGE_MAX)
        query = lecture.candidatures(a, appel, statut)
        total = db.session.scalar(select(func.count()).select_from(
            query.with_only_columns(Candidature.id).order_by(None).subquery()))
        rows = [c for c, _titre, _org in db.session.execute(
            query.options(contains_eager(Candidature.dossier).contains_eager(
                Dossier.organisation)).offset(page * PAR_PAGE).limit(PAR_PAGE)).unique()]
        scores = {}
        if voit_classement(a, appel):
            scores = {r.id: r.score for r in evaluation.classement_pour(a, appel)}
        non_lus = messages.non_lus([c.id for c in rows], "organisateur") if rows else {}
        gere = gere_appel(a, appel)
        suivant = appels.SUIVANTS.get(appel.statut) if gere else None
        return self.render(
            "admin/projets/organisateur/appel_page.html", appel=appel, rows=rows,
            total=total, page=page, pages=(total + PAR_PAGE - 1) // PAR_PAGE, statut=statut,
            statuts=STATUTS_CANDIDATURE, labels=STATUTS_CANDIDATURE_LABELS,
            statut_appel=STATUTS_APPEL_LABELS, etapes_labels=ETAPES_LABELS, gere=gere,
            suivant=suivant, scores=scores, non_lus=non_lus,
            comptes=lecture.comptes_par_statut([appel.id]).get(appel.id, {}),
            possibles={c.id: transitions.possibles(a, c) for c in rows},
            motifs=transitions.MOTIF_REQUIS, classement=lien_classement(appel.id)
            if voit_classement(a, appel) else None,
            export_evaluations=lecture.peut_exporter_evaluations(a, appel),
            peut_supprimer=self.policy.can_delete(a, appel))

    def candidature_ou_404(self, appel, cid):
        cond = candidatures_visibles(self.acteur)
        query = select(Candidature).where(Candidature.id == cid,
                                          Candidature.appel_id == appel.id)
        cand = db.session.scalar(query if cond is None else query.where(cond))
        if cand is None:
            abort(404)
        return cand

    @expose("/<int:id>/candidature/<int:cid>")
    def candidature(self, id, cid):
        appel = self.appel_ou_404(id)
        cand = self.candidature_ou_404(appel, cid)
        a = self.acteur
        fil = messages.fil(cand)
        if messages.marquer_lus(a, cand):
            db.session.commit()
        return self.render(
            "admin/projets/organisateur/candidature.html", appel=appel, cand=cand,
            dossier=cand.dossier, labels=STATUTS_CANDIDATURE_LABELS,
            possibles=transitions.possibles(a, cand), motifs=transitions.MOTIF_REQUIS,
            form=MotifForm(), fil=fil, peut_ecrire=messages.cote(a, cand) == "organisateur",
            manquantes=transitions.pieces_manquantes(cand),
            url_message=url_for(".message", id=appel.id, cid=cand.id))

    @expose("/<int:id>/candidature/<int:cid>/transition", methods=("POST",))
    def transition(self, id, cid):
        appel = self.appel_ou_404(id)
        cand = self.candidature_ou_404(appel, cid)
        self.gere_ou_403(appel)
        nom = request.form.get("nom", "")
        form = MotifForm()
        retour = request.form.get("retour") == "appel"
        if not form.validate():
            flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
        else:
            try:
                t = transitions.TRANSITIONS.get(nom)
                transitions.appliquer(self.acteur, cand, nom, form.motif.data,
                                      request.form.get("version", LIBRE))
                db.session.commit()
                flash(f"« {t.label} » : le dossier est maintenant "
                      f"« {STATUTS_CANDIDATURE_LABELS[cand.statut].lower()} ».", "success")
            except Refus as exc:
                db.session.rollback()
                flash(str(exc), "error")
            except Perime:
                db.session.rollback()
                flash("Le dossier a changé depuis l’affichage de la page : vérifiez puis "
                      "recommencez.", "error")
        if retour:
            return redirect(url_for(".details_view", id=appel.id))
        return redirect(url_for(".candidature", id=appel.id, cid=cand.id))

    @expose("/<int:id>/candidature/<int:cid>/message", methods=("POST",))
    def message(self, id, cid):
        appel = self.appel_ou_404(id)
        cand = self.candidature_ou_404(appel, cid)
        if messages.cote(self.acteur, cand) != "organisateur":
            abort(403)
        try:
            messages.envoyer(self.acteur, cand, request.form.get("corps", ""))
            db.session.commit()
            flash("Message envoyé au porteur.", "success")
        except Refus as exc:
            db.session.rollback()
            flash(str(exc), "error")
        return redirect(url_for(".candidature", id=appel.id, cid=cand.id) + "#messages")
