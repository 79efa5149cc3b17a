"""The maturity questionnaire of a collectivité: dashboard, answering, recommendations.
OPSN and support open a collectivité's pages with ``?c=<id>`` (checked in the query)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from admin_views import charts
from admin_views.base import SecureView
from admin_views.maturite.passage import PassageMixin
from admin_views.verrou import conflit, enregistrer, garder_l_autre
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.maturite.models import Categorie, Recommandation, Snapshot, SuiviRecommandation
from tet.maturite.models import echelle
from tet.maturite.models import RECO_NIVEAUX, RECO_STATUTS
from tet.comptes.permissions import current_acteur
from tet.maturite import permissions as perm
from tet.maturite import benchmark as bench
from tet.maturite import questionnaire as service
from tet.maturite import fiches as maturite_fiches
from tet.maturite import passage
from tet.nombres import db_id, parse_id
from tet import verrous
from tet.tri import tri_fr
from tet.formats import pluriel

LETTER_COLOURS = {"A": "#1e8e3e", "B": "#7cb342", "C": "#fbc02d", "D": "#f57c00",
                  "E": "#d32f2f", None: "#adb5bd"}
NIVEAU_ORDER = {"prioritaire": 0, "necessaire": 1, "recommande": 2}


class MaturiteView(PassageMixin, SecureView):
    def _collectivite(self) -> Collectivite:
        a = current_acteur()
        coll = perm.collectivite_lisible(a, request.values.get("c", type=db_id)
                                         or a.collectivite_id)
        if coll is None:
            abort(404)
        return coll

    def _url(self, endpoint: str, coll: Collectivite, **kw) -> str:
        a = current_acteur()
        if a.collectivite_id != coll.id:
            kw["c"] = coll.id
        return url_for(endpoint, **kw)

    def _etat(self, coll):
        try:
            return service.load(coll)
        except service.MaturiteError as exc:
            abort(404, str(exc))

    @expose("/")
    def index(self):
        a = current_acteur()
        if not request.values.get("c") and a.collectivite_id is None:
            if a.opsn_id:
                return redirect(url_for("opsn_maturite.index"))
            if a.is_support:
                return redirect(url_for("maturite_national.index"))
        coll = self._collectivite()
        etat = self._etat(coll)
        s = etat.score
        cats = [c for c in etat.categories if not c.niveau2_only or etat.niveau2]
        bars = charts.bars([(c.nom, (s.categories.get(c.code).indice or 0)
                             if s.categories.get(c.code) else 0, "#007bff") for c in cats],
                           "Indice par catégorie", headers=("Catégorie", "Indice"))
        snaps = db.session.execute(select(Snapshot.at, Snapshot.indice).where(
            Snapshot.collectivite_id == coll.id).order_by(Snapshot.id.desc()).limit(60)).all()
        recos = self._recos(coll, etat)
        return self.render(
            "admin/maturite_dashboard.html", coll=coll, etat=etat, score=s, cats=cats,
            bars=bars, history=charts.history(snaps[::-1], "Historique de l'indice"),
            groupes=bench.benchmark(coll), recos=recos, statuts=RECO_STATUTS,
            niveaux=RECO_NIVEAUX, colours=LETTER_COLOURS, u=lambda ep, **kw: self._url(
                ep, coll, **kw), can_answer=perm.can_answer(a, coll.id),
            can_steer=perm.can_steer(a, coll.id), filtres=request.args,
            can_plan=a.can_write_collectivite(coll.id), **self._passage(coll, etat),
            niveau2_recos=self.niveau2_catalogue(etat, recos) if perm.can_steer(a, coll.id)
            else [])

    def _passage(self, coll, etat) -> dict:
        """The banner offering the move to a newer version of the questionnaire."""
        return {"passage_vers": passage.plus_recente(etat.version),
                "can_move": perm.can_move(current_acteur(), coll.id)}

    def _recos(self, coll, etat):
        linked = maturite_fiches.fiche_statuts(coll.id)
        rows = [(reco, suivi, raised, linked.get(reco.id))
                for reco, suivi, raised in service.recommandations(coll, etat)]
        cat_names = {c.code: c.nom for c in etat.categories}
        f = request.args

        def statut(row):
            return maturite_fiches.statut_suivi(row[1], row[3][1] if row[3] else None)
        if f.get("categorie"):
            rows = [r for r in rows if r[0].categorie_code == f["categorie"]]
        if f.get("niveau"):
            rows = [r for r in rows if r[0].niveau == f["niveau"]]
        if f.get("statut"):
            rows = [r for r in rows if statut(r) == f["statut"]]
        key = f.get("tri", "niveau")
        sorters = {
            "niveau": lambda r: (NIVEAU_ORDER.get(r[0].niveau, 9), r[0].titre),
            "categorie": lambda r: (r[0].categorie_code or "zz", r[0].titre),
            "statut": lambda r: (statut(r), r[0].titre),
            "titre": lambda r: r[0].titre.lower(),
        }
        rows.sort(key=sorters.get(key, sorters["niveau"]))
        return [(reco, statut((reco, suivi, raised, fiche)), fiche,
                 cat_names.get(reco.categorie_code, "Recommandation libre"))
                for reco, suivi, raised, fiche in rows]

    @expose("/export.xlsx")
    def export(self):
        from datetime import date

        from admin_views.exports import xlsx_download
        from tet import exports

        coll = self._collectivite()
        coll_id = coll.id
        return xlsx_download(
            lambda wb: exports.maturite_resultats(wb, db.session.get(Collectivite, coll_id)),
            f"maturite-{date.today():%Y%m%d}.xlsx")

    @expose("/categorie/<code>")
    def categorie(self, code: str):
        coll = self._collectivite()
        etat = self._etat(coll)
        cat = next((c for c in etat.categories if c.code == code), None)
        if cat is None or (cat.niveau2_only and not etat.niveau2):
            abort(404)
        questions = [q for q in etat.questions if q.categorie_id == cat.id and etat.visible(q)]
        part = etat.score.categories.get(cat.code)
        bases = {q.id: verrous.signer({"reponse": service.figee_actuelle(
            q, etat.reponses.get(q.id))}) for q in questions}
        return self.render("admin/maturite_categorie.html", coll=coll, etat=etat, cat=cat,
                           questions=questions, part=part, bases=bases,
                           can_answer=perm.can_answer(current_acteur(), coll.id),
                           u=lambda ep, **kw: self._url(ep, coll, **kw),
                           **self._passage(coll, etat))

    @expose("/repondre", methods=("POST",))
    def repondre(self):
        coll = self._collectivite()
        a = current_acteur()
        if not perm.can_answer(a, coll.id):
            abort(403)
        etat = self._etat(coll)
        question = next((q for q in etat.questions
                         if q.id == request.form.get("question_id", type=db_id)), None)
        if question is None or not etat.visible(question):
            abort(404)
        cat = next(c for c in etat.categories if c.id == question.categorie_id)
        back = self._url(".categorie", coll, code=cat.code) + f"#q-{question.id}"
        if "reponse" in garder_l_autre(request.form):
            flash("La réponse de l'autre personne est conservée.", "success")
            return redirect(back)

        def sauver(version):
            service.repondre(coll, question, a.user, option_code=request.form.get("option"),
                             texte=request.form.get("texte"), nombre=request.form.get("nombre"),
                             version=version)
            verrous.commit()
            return redirect(back)

        try:
            return enregistrer(sauver, request.form.get("version"),
                               lambda: self._conflit(coll, question, back))
        except service.MaturiteError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(back)

    def _conflit(self, coll, question, back):
        """Someone answered this question since the form was shown: their answer, mine."""
        reponse = service.reponse_de(coll.id, question)
        return conflit(
            self, objet=f"la question {question.code}",
            libelles={"reponse": f"Réponse à « {question.texte} »"},
            autre={"reponse": service.figee_actuelle(question, reponse)},
            mien={"reponse": service.figee(question, request.form.get("option"),
                                           request.form.get("texte"),
                                           request.form.get("nombre"))},
            objets=[("Reponse", reponse.id if reponse else None)],
            versions={"version": verrous.version_of(reponse)}, annuler=back,
            attributs={"reponse": "option_code"})

    def _reco(self, coll, id: int) -> Recommandation:
        allowed = {r[0].id for r in service.recommandations(coll)}
        a = current_acteur()
        reco = db.session.get(Recommandation, id)
        if reco is None or (reco.id not in allowed and not (
                perm.can_steer(a, coll.id) and reco.version_id is not None)):
            abort(404)
        return reco

    @expose("/recommandation/<int:id>")
    def recommandation(self, id: int):
        coll = self._collectivite()
        reco = self._reco(coll, id)
        categorie = db.session.scalar(select(Categorie.nom).where(
            Categorie.version_id == reco.version_id, Categorie.code == reco.categorie_code)
        ) if reco.version_id else None
        suivi = db.session.scalar(select(SuiviRecommandation).where(
            SuiviRecommandation.collectivite_id == coll.id,
            SuiviRecommandation.recommandation_id == reco.id))
        fiche = maturite_fiches.fiche_statuts(coll.id).get(reco.id)
        return self.render("admin/maturite_reco.html", coll=coll, reco=reco, fiche=fiche,
                           statut=maturite_fiches.statut_suivi(suivi, fiche[1] if fiche else None),
                           statuts=RECO_STATUTS,
                           can_answer=perm.can_answer(current_acteur(), coll.id),
                           categorie=categorie or "Recommandation libre",
                           niveau=dict(RECO_NIVEAUX).get(reco.niveau, reco.niveau),
                           effort=echelle(reco.effort), cout=echelle(reco.cout),
                           u=lambda ep, **kw: self._url(ep, coll, **kw))

    @expose("/recommandation/<int:id>/statut", methods=("POST",))
    def statut(self, id: int):
        coll = self._collectivite()
        if not perm.can_answer(current_acteur(), coll.id):
            abort(403)
        reco = self._reco(coll, id)
        fiche_page = request.form.get("retour") == "recommandation"
        try:
            service.set_statut(coll, reco, request.form.get("statut", ""), current_acteur().user)
            db.session.commit()
            if fiche_page:
                flash("Statut enregistré.", "success")
        except service.MaturiteError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        if fiche_page:
            return redirect(self._url(".recommandation", coll, id=reco.id))
        return redirect(self._url(".index", coll) + "#plan-action")

    @expose("/fiches", methods=("POST",))
    def fiches(self):
        """Turn the selected recommendations into fiches of the SNR plan."""
        coll = self._collectivite()
        a = current_acteur()
        if not a.can_write_collectivite(coll.id):
            abort(403)
        wanted = {i for i in map(parse_id, request.form.getlist("reco_ids")) if i}
        recos = [r for r, _s, _raised in service.recommandations(coll) if r.id in wanted]
        if not recos:
            flash("Cochez au moins une recommandation.", "error")
        else:
            created = maturite_fiches.to_fiches(coll, recos, a.user)
            db.session.commit()
            flash(f"{pluriel(len(created), 'fiche action créée', 'fiches action créées')} "
                  f"dans le plan « "
                  f"{maturite_fiches.PLAN_NOM} ».", "success")
        return redirect(self._url(".index", coll) + "#plan-action")

    @expose("/niveau2", methods=("POST",))
    def niveau2(self):
        coll = self._collectivite()
        a = current_acteur()
        if not perm.can_steer(a, coll.id):
            abort(403)
        try:
            service.set_niveau2(coll, request.form.get("actif") == "1", a.user)
            db.session.commit()
            flash("Niveau 2 activé." if coll.niveau2_actif else "Niveau 2 désactivé.",
                  "success")
        except service.MaturiteError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        return redirect(self._url(".index", coll))

    @expose("/recommandation/libre", methods=("POST",))
    def libre(self):
        coll = self._collectivite()
        a = current_acteur()
        if not perm.can_steer(a, coll.id):
            abort(403)
        try:
            service.add_free(coll, a.opsn_id, request.form.get("titre"),
                             request.form.get("corps"), request.form.get("niveau", ""))
            db.session.commit()
            flash("Recommandation ajoutée.", "success")
        except service.MaturiteError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        return redirect(self._url(".index", coll) + "#plan-action")

    @expose("/recommandation/activer", methods=("POST",))
    def activer_choisie(self):
        return self.activer(request.form.get("reco", type=db_id) or 0)

    @expose("/recommandation/<int:id>/activer", methods=("POST",))
    def activer(self, id: int):
        coll = self._collectivite()
        a = current_acteur()
        if not perm.can_steer(a, coll.id):
            abort(403)
        reco = db.session.get(Recommandation, id)
        if reco is None or reco.niveau_questionnaire != 2 or reco.version_id is None:
            abort(404)
        service.switch_on(coll, reco, a.user)
        db.session.commit()
        flash("Recommandation de niveau 2 activée pour la collectivité.", "success")
        return redirect(self._url(".index", coll) + "#plan-action")

    def niveau2_catalogue(self, etat, shown) -> list[Recommandation]:
        """Niveau 2 recommendations an OPSN may switch on (not already in the plan)."""
        present = {reco.id for reco, *_rest in shown}
        return [r for r in db.session.scalars(select(Recommandation).where(
            Recommandation.niveau_questionnaire == 2,
            Recommandation.version_id == etat.version.id)
            .order_by(tri_fr(Recommandation.titre))) if r.id not in present]
