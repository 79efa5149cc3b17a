"""The committee's space (``projets_comite``): a member's calls and candidatures with its
progress, the evaluation form of a candidature (the dossier read-only, its pièces, one note
and one justification per criterion), the dossier PDF, the invitation to sit; the séance,
ranking, vote and decision pages come from ``admin_views.projets.seance``.

Every row is read through ``tet.projets.tableaux_comite`` (scoped: 404 out of scope) and
every change goes through the services (``evaluation.noter``…), which refuse with a French
message (``Refus``, flashed, nothing written).
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_login import current_user

from admin_views.base import SecureView
from admin_views.projets import dossier_pdf
from admin_views.projets.seance import SeanceMixin
from admin_views.verrou import conflit, enregistrer, garder_l_autre
from forms.projets.comite import notes_soumises
from forms.verrou import BASE
from tet import verrous
from tet.comptes.permissions import current_acteur
from tet.extensions import db
from tet.projets import comite, evaluation, pieces, tableaux_comite as tableaux
from tet.projets.commun import Refus
from tet.projets.models import Critere, Evaluation
from tet.projets.models.choix import STATUTS_APPEL_LABELS
from tet.projets.permissions import membre_du_comite, organise_appel, voit_classement
from tet.verrous import LIBRE, Perime, fige


class ComiteView(SeanceMixin, SecureView):
    """Committee members (contexte « comité »), the organisers of the calls, support."""

    def allowed(self) -> bool:
        a = current_acteur()
        return bool(a.is_support or a.comite_appel_id or a.collectivite_id)

    def is_accessible(self) -> bool:
        if request.endpoint == f"{self.endpoint}.accepter":  # anyone signed in
            return current_user.is_authenticated
        return super().is_accessible()

    def is_visible(self) -> bool:
        return current_user.is_authenticated and current_acteur().has_access and self.allowed()

    # --- scoped reads ------------------------------------------------------------------
    def _candidature(self, cand_id: int):
        cand = tableaux.candidature(current_acteur(), cand_id)
        if cand is None:
            abort(404)
        return cand

    # --- the member's space ------------------------------------------------------------
    @expose("/")
    def index(self):
        a = current_acteur()
        appels = tableaux.appels_du_comite(a)
        courant = next((x for x in appels if x.id == a.comite_appel_id), None)
        lignes = tableaux.candidatures_de_l_appel(a, courant.id) if courant else []
        criteres = tableaux.nb_criteres(courant.id) if courant else 0
        return self.render(
            "admin/projets/comite/index.html", acteur=a, appels=appels, courant=courant,
            lignes=lignes, criteres=criteres,
            faites=sum(1 for x in lignes if criteres and x.notees >= criteres),
            a_evaluer=sum(1 for x in lignes if x.statut == "eligible"),
            comites=[c for c in a.contextes if c.kind == "comite"],
            statuts_appel=STATUTS_APPEL_LABELS, **dossier_pdf.LIBELLES)

    # --- a candidature: the dossier and the evaluation ---------------------------------
    @expose("/candidature/<int:id>", methods=("GET", "POST"))
    def candidature(self, id: int):
        a = current_acteur()
        cand = self._candidature(id)
        matrices = cand.appel.matrices
        criteres = [c for m in matrices for c in m.criteres]
        if request.method == "POST":
            response = self._enregistrer(a, cand, criteres)
            if response is not None:
                return response
        return self._page(a, cand, matrices)

    def _page(self, a, cand, matrices, status=200):
        mine = tableaux.mes_evaluations(a, cand)
        membre = membre_du_comite(a, cand.appel_id)
        saisie = {}
        if request.method == "POST":  # a refused save shows what was typed
            saisie = {k: v for k, v in request.form.items()
                      if k.startswith(("note-", "justification-"))}
        base = verrous.signer(_instantane(mine, [c for m in matrices for c in m.criteres]))
        notes = tableaux.notes_visibles(a, cand)
        autres = [n for n in notes if membre is None or n[0] != membre.id]
        contexte = self._seance_contexte(a, cand)
        return self.render(
            "admin/projets/comite/candidature.html", cand=cand, dossier=cand.dossier,
            matrices=matrices, options_of=evaluation.options_of, mine=mine, saisie=saisie,
            membre=membre, peut_noter=membre is not None and cand.statut == "eligible",
            base=base, base_name=BASE, autres=autres,
            progression=evaluation.progression(cand),
            organisateur=organise_appel(a, cand.appel), **dossier_pdf.LIBELLES,
            piece_url=lambda p: url_for(".piece", id=cand.id, piece_id=p.id),
            **contexte), status

    def _enregistrer(self, a, cand, criteres):
        """Save the member's notes, all or nothing: a redirect, a conflict page, or None
        (the refusal flashed)."""
        keep = garder_l_autre(request.form)
        soumises = notes_soumises(request.form, criteres)
        if not soumises:
            flash("Rien n'a été enregistré : donnez au moins une note avec sa justification.",
                  "error")
            return None

        def sauver(mode):
            mine = tableaux.mes_evaluations(a, cand)
            with verrous.sans_ecrasement():
                for critere, note, justification, version in soumises:
                    ev = mine.get(critere.id)
                    if ev is not None and f"note-{critere.id}" in keep:
                        note = ev.note
                    if ev is not None and f"justification-{critere.id}" in keep:
                        justification = ev.justification
                    evaluation.noter(a, cand, critere, note, justification,
                                     version=LIBRE if mode is LIBRE else (version or 0))
            verrous.commit()
            flash("Vos notes sont enregistrées.", "success")
            return redirect(url_for(".candidature", id=cand.id))

        def page_conflit():
            mine = tableaux.mes_evaluations(a, cand)
            libelles, autre, mien, versions = {}, {}, {}, {}
            for c, note, justification, _v in soumises:
                ev = mine.get(c.id)
                libelles.update({f"note-{c.id}": f"{c.libelle} — note",
                                 f"justification-{c.id}": f"{c.libelle} — justification"})
                autre.update(_champs(c, ev))
                mien.update({f"note-{c.id}": fige(_entier(note)),
                             f"justification-{c.id}": fige(justification)})
                versions[f"version-{c.id}"] = verrous.version_of(ev)
            return conflit(self, objet=f"Vos notes sur « {cand.dossier.titre} »",
                           libelles=libelles, autre=autre, mien=mien, versions=versions,
                           objets=[("Evaluation", e.id) for e in mine.values()],
                           annuler=url_for(".candidature", id=cand.id))

        try:
            return enregistrer(sauver, None, page_conflit)
        except Refus as exc:
            db.session.rollback()
            flash(f"Rien n'a été enregistré. {exc}", "error")
            return None
        except Perime:
            db.session.rollback()
            flash("Rien n'a été enregistré : vos notes ont changé entre-temps (dans un autre "
                  "onglet ?). Rechargez la page.", "error")
            return None

    # --- pièces and PDF ----------------------------------------------------------------
    @expose("/candidature/<int:id>/piece/<int:piece_id>")
    def piece(self, id: int, piece_id: int):
        cand = self._candidature(id)
        piece = next((p for p in cand.dossier.pieces if p.id == piece_id), None)
        if piece is None:
            abort(404)
        path = pieces.chemin(piece)
        if not path.is_file():
            abort(404)
        return send_file(path, mimetype=piece.type_mime, as_attachment=True,
                         download_name=piece.nom)

    @expose("/candidature/<int:id>/pdf")
    def pdf(self, id: int):
        a = current_acteur()
        cand = self._candidature(id)
        return dossier_pdf.reponse(cand, evaluation.resultat_pour(a, cand),
                                   complet=voit_classement(a, cand.appel))

    # --- the invitation to sit on a committee ------------------------------------------
    @expose("/invitation/<jeton>", methods=("GET", "POST"))
    def accepter(self, jeton: str):
        if request.method == "POST":
            try:
                membre = comite.accepter(jeton, current_user._get_current_object())
            except Refus as exc:
                db.session.rollback()
                flash(str(exc), "error")
                return redirect(url_for("admin.index"))
            db.session.commit()
            flash(f"Vous siégez au comité de l'appel « {membre.appel.titre} ». Choisissez "
                  "ce comité dans le sélecteur en haut de page pour évaluer ses dossiers.",
                  "success")
            return redirect(url_for("admin.index"))
        return self.render("admin/projets/comite/invitation.html", jeton=jeton)


def _entier(note):
    try:
        return int(note)
    except (TypeError, ValueError):
        return note or None


def _champs(critere: Critere, ev: Evaluation | None) -> dict:
    return {f"note-{critere.id}": fige(ev.note if ev else None),
            f"justification-{critere.id}": fige(ev.justification if ev else None)}


def _instantane(mine: dict, criteres) -> dict:
    """What the evaluation form shows (the base of the optimistic lock)."""
    snap = {}
    for c in criteres:
        snap.update(_champs(c, mine.get(c.id)))
    return snap

