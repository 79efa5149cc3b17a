"""A candidature seen by its holder: its answers to the call, the call's pièces as a
checklist (upload, download, delete while brouillon), « Déposer », the thread with the
organiser and, once retained, the impact values the holder proposes. After the dépôt the
forms are read-only and every POST is refused by the services."""
from __future__ import annotations

from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from admin_views.projets.porteur_base import PorteurView, agir, refuser
from admin_views.verrou import conflit_formulaire, enregistrer, garder_l_autre
from forms.projets.porteur import CandidatureForm, MessageForm, PieceForm, ValeurForm
from forms.choices import select_choices
from forms.verrou import poser
from tet import verrous
from tet.extensions import db
from tet.projets import dossiers, espace_porteur, messages, pieces, suivi, transitions
from tet.projets.commun import Refus
from tet.projets.models import (
    Impact,
    PieceRequise,
    STATUTS_CANDIDATURE_LABELS,
    STATUTS_RETENUS,
    STATUTS_VALEUR_LABELS,
)
from tet.projets.permissions import peut_modifier_candidature
from tet.nombres import parse_id


def _axes(cand) -> list:
    return select_choices([("", "—")] + [(str(x.id), x.nom) for x in cand.appel.axes])


class MesCandidaturesView(PorteurView):
    def is_visible(self) -> bool:  # reached from « Mes dossiers »
        return False

    @expose("/")
    def index(self):
        return redirect(url_for("porteur.index"))

    def _form(self, cand, formdata=None):
        form = CandidatureForm(formdata=formdata) if formdata is not None else \
            CandidatureForm(obj=cand)
        form.axe_id.choices = _axes(cand)
        if formdata is None:
            form.axe_id.data = str(cand.axe_id or "")
        return form

    @expose("/<int:id>", methods=("GET", "POST"))
    def candidature(self, id: int):
        cand = self.candidature_ou_404(id)
        a = self.acteur
        back = url_for(".candidature", id=id)
        if request.method == "POST":
            form = self._form(cand, request.form)
            if not peut_modifier_candidature(a, cand):
                return refuser(Refus("La candidature est déposée : elle n'est plus "
                                     "modifiable par le porteur."), back)
            if form.validate():
                return self._enregistrer(cand, form, back)
        else:
            form = self._form(cand)
            poser(form, cand)
            if messages.marquer_lus(a, cand):
                db.session.commit()
        return self.render("admin/projets/porteur/candidature.html", cand=cand, form=form,
                           **self._page(cand))

    def _enregistrer(self, cand, form, back):
        a = self.acteur
        garder = garder_l_autre(request.form)

        def sauver(version):
            champs = {"axe_id": parse_id(form.axe_id.data),
                      "montant_demande": form.montant_demande.data,
                      "motivation": form.motivation.data}
            dossiers.modifier_candidature(
                a, cand, {k: v for k, v in champs.items() if k not in garder}, version)
            verrous.commit()
            flash("Candidature enregistrée.", "success")
            return redirect(back)

        def conflit():
            fresh = self.candidature_ou_404(cand.id)
            return conflit_formulaire(self, form, self._form(fresh), fresh,
                                      objet=f"la candidature « {fresh.dossier.titre} »",
                                      annuler=back)

        try:
            return enregistrer(sauver, form.version.data, conflit)
        except Refus as exc:
            return refuser(exc, back)

    def _page(self, cand) -> dict:
        a = self.acteur
        retenue = cand.statut in STATUTS_RETENUS
        impacts = list(db.session.scalars(
            select(Impact).where(Impact.candidature_id == cand.id)
            .options(selectinload(Impact.definition), selectinload(Impact.valeurs))
            .order_by(Impact.id))) if retenue else []
        return {"modifiable": peut_modifier_candidature(a, cand),
                "checklist": espace_porteur.checklist(cand),
                "autres_pieces": [p for p in cand.dossier.pieces if p.piece_requise_id is None],
                "manquantes": transitions.pieces_manquantes(cand)
                if cand.statut == "brouillon" else [],
                "peut_deposer": any(t.nom == "deposer" for t in transitions.possibles(a, cand)),
                "fil": messages.fil(cand) if cand.deposee_le else [],
                "peut_ecrire": messages.cote(a, cand) == "porteur",
                "piece_form": PieceForm(formdata=None),
                "valeur_form": ValeurForm(formdata=None), "impacts": impacts,
                "statuts": STATUTS_CANDIDATURE_LABELS, "statuts_valeur": STATUTS_VALEUR_LABELS}

    # --- pièces ------------------------------------------------------------------------
    @expose("/<int:id>/pieces", methods=("POST",))
    def ajouter_piece(self, id: int):
        cand, form = self.candidature_ou_404(id), PieceForm()
        requise = None
        if form.piece_requise_id.data:
            requise = db.session.scalar(select(PieceRequise).where(
                PieceRequise.id == parse_id(form.piece_requise_id.data),
                PieceRequise.appel_id == cand.appel_id))
            if requise is None:
                abort(404)
        return agir(url_for(".candidature", id=id) + "#pieces", lambda: pieces.ajouter(
            self.acteur, cand.dossier, form.fichier.data.stream,
            form.fichier.data.filename or "", requise), "Pièce ajoutée.", form)

    @expose("/piece/<int:piece_id>")
    def piece(self, piece_id: int):
        piece = self.piece_ou_404(piece_id)
        path = pieces.chemin(piece)
        if not path.is_file():
            abort(404)
        return send_file(path, mimetype=piece.type_mime, as_attachment=True,
                         download_name=piece.nom)

    @expose("/<int:id>/pieces/<int:piece_id>/supprimer", methods=("POST",))
    def supprimer_piece(self, id: int, piece_id: int):
        cand = self.candidature_ou_404(id)
        piece = self.piece_ou_404(piece_id)
        if piece.dossier_id != cand.dossier_id:
            abort(404)
        return agir(url_for(".candidature", id=id) + "#pieces",
                    lambda: pieces.supprimer(self.acteur, piece), "Pièce supprimée.")

    # --- dépôt, messages, suivi --------------------------------------------------------
    @expose("/<int:id>/deposer", methods=("POST",))
    def deposer(self, id: int):
        cand = self.candidature_ou_404(id)
        back = url_for(".candidature", id=id)
        try:
            transitions.appliquer(self.acteur, cand, "deposer",
                                  version=verrous.lire_version(request.form.get("version")))
            verrous.commit()
        except verrous.Perime:
            db.session.rollback()
            flash("La candidature a été modifiée entre-temps : vérifiez-la avant de la "
                  "déposer.", "error")
            return redirect(back)
        except Refus as exc:
            return refuser(exc, back)
        flash("Dossier déposé : l'organisateur de l'appel en est averti. Il n'est plus "
              "modifiable jusqu'à la décision.", "success")
        return redirect(back)

    @expose("/<int:id>/messages", methods=("POST",))
    def ecrire(self, id: int):
        cand, form = self.candidature_ou_404(id), MessageForm()
        return agir(url_for(".candidature", id=id) + "#messages",
                    lambda: messages.envoyer(self.acteur, cand, form.corps.data),
                    "Message envoyé à l’organisateur.", form)

    @expose("/<int:id>/valeurs", methods=("POST",))
    def proposer_valeur(self, id: int):
        cand, form = self.candidature_ou_404(id), ValeurForm()
        impact = db.session.scalar(select(Impact).where(
            Impact.id == parse_id(form.impact_id.data), Impact.candidature_id == cand.id))
        if impact is None:
            abort(404)
        return agir(url_for(".candidature", id=id) + "#suivi", lambda: suivi.proposer_valeur(
            self.acteur, impact, form.annee.data, form.type.data, form.valeur.data,
            form.commentaire.data), "Valeur proposée : l’organisateur la validera.", form)
