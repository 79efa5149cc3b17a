"""Self-service plan import: upload → preview with every problem → confirm (all or nothing)."""
from __future__ import annotations

import os
import tempfile

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    stream_with_context,
    url_for,
)
from flask_admin import expose

from admin_views.base import XLSX_MIME, SecureView
from admin_views.plans.plans import content_disposition
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.comptes.permissions import current_acteur
from tet.plans import (
    import_apercus,
    import_lecture as plan_import,
    import_application as plan_import_apply,
)
from tet import xlsx
from tet.comptes.services import find_collectivite_by_siren
from tet.classeur import Limites
from tet.plans.template import build_template
from tet.formats import pluriel


class ImportView(SecureView):
    def allowed(self) -> bool:
        a = current_acteur()
        return a.is_support or a.can_write_collectivite()

    @expose("/modele.xlsx")
    def modele(self):
        response = Response(stream_with_context(xlsx.stream(build_template)), mimetype=XLSX_MIME)
        response.headers["Content-Disposition"] = content_disposition(
            "modele-import-plans.xlsx")
        return response

    def _target(self) -> Collectivite | None:
        a = current_acteur()
        if a.is_support and not a.collectivite_id:
            return find_collectivite_by_siren(request.form.get("siren", ""))
        return db.session.get(Collectivite, a.collectivite_id)

    @expose("/", methods=("GET", "POST"))
    def index(self):
        if request.method == "GET":
            return self.render("admin/import_plans.html", lecture=None)
        coll = self._target()
        if coll is None:
            flash("Indiquez le SIREN d'une collectivité existante.", "error")
            return redirect(url_for(".index"))
        upload = request.files.get("fichier")
        if upload is None or not upload.filename:
            flash("Choisissez un classeur .xlsx.", "error")
            return redirect(url_for(".index"))
        if not upload.filename.lower().endswith(".xlsx"):
            flash("Seuls les classeurs .xlsx sont acceptés.", "error")
            return redirect(url_for(".index"))
        lecture = self._read(upload)
        if lecture is None:
            return redirect(url_for(".index"))
        bilan = token = None
        if not lecture.erreurs:
            bilan = plan_import_apply.simulate(lecture, coll)
        if not lecture.erreurs:
            token = import_apercus.save(lecture, current_acteur().user.id, {
                "collectivite": coll.id, "fichier": os.path.basename(upload.filename)[:200]})
        return self.render("admin/import_plans.html", lecture=lecture, bilan=bilan,
                           collectivite=coll, token=token)

    def _read(self, upload):
        """The upload read once, from a temporary file removed at once; None if refused."""
        fd, path = tempfile.mkstemp(suffix=".xlsx")
        try:
            with os.fdopen(fd, "wb") as fh:
                upload.save(fh)
            return plan_import.read(path, Limites.from_config(current_app.config),
                                    os.path.basename(upload.filename))
        except plan_import.ClasseurRefuse as exc:
            flash(str(exc), "error")
            return None
        finally:
            os.unlink(path)

    @expose("/confirmer", methods=("POST",))
    def confirmer(self):
        a = current_acteur()
        token = request.form.get("token", "")
        if not import_apercus.TOKEN.match(token):
            abort(400)
        found = import_apercus.take(a.user.id, token)
        if found is None:
            flash("Cet aperçu a expiré : déposez le classeur de nouveau.", "error")
            return redirect(url_for(".index"))
        lecture, meta = found
        if not (a.is_support or a.can_write_collectivite(meta["collectivite"])):
            abort(403)
        coll = db.session.get(Collectivite, meta["collectivite"])
        if coll is None:
            abort(404)
        try:
            bilan = plan_import_apply.apply(lecture, coll, a.user, meta["fichier"])
        except ValueError as exc:
            flash(f"Rien n'a été importé : {exc}", "error")
            return redirect(url_for(".index"))
        flash(f"Import terminé : {pluriel(len(bilan.plans_crees), 'plan créé', 'plans créés')}, "
              f"{len(bilan.plans_mis_a_jour)} mis à jour ; "
              f"{pluriel(bilan.fiches_creees, 'fiche créée', 'fiches créées')}, "
              f"{pluriel(bilan.fiches_mises_a_jour, 'mise', 'mises')} à jour.", "success")
        return redirect(url_for("plan.index_view"))
