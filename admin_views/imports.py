"""Self-service plan import: upload → preview with every problem → confirm (all or nothing)."""
from __future__ import annotations

import os
import secrets

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_admin import expose

from admin_views.base import XLSX_MIME, SecureView
from admin_views.plans import content_disposition
from tet.extensions import db
from tet.models import Collectivite
from tet.permissions import current_acteur
from tet.services import plan_import, plan_import_apply, xlsx
from tet.services.accounts import find_collectivite_by_siren
from tet.services.plan_template import build_template


def _folder() -> str:
    path = os.path.join(current_app.instance_path, "imports")
    os.makedirs(path, exist_ok=True)
    return path


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
        token = secrets.token_urlsafe(16)
        path = os.path.join(_folder(), f"{token}.xlsx")
        upload.save(path)
        try:
            with open(path, "rb") as fh:
                head = fh.read(8)
            plan_import.check_file(head, os.path.getsize(path),
                                   current_app.config["IMPORT_MAX_BYTES"])
            lecture = plan_import.read(path)
        except plan_import.ImportError_ as exc:
            os.unlink(path)
            flash(str(exc), "error")
            return redirect(url_for(".index"))
        bilan = None
        if lecture.erreurs:
            os.unlink(path)
        else:
            bilan = plan_import_apply.simulate(lecture, coll)
            session["import"] = {"token": token, "collectivite": coll.id,
                                 "fichier": os.path.basename(upload.filename)[:200]}
        return self.render("admin/import_plans.html", lecture=lecture, bilan=bilan,
                           collectivite=coll, token=token if bilan else None)

    @expose("/confirmer", methods=("POST",))
    def confirmer(self):
        pending = session.pop("import", None)
        if not pending or pending["token"] != request.form.get("token"):
            abort(400)
        a = current_acteur()
        if not (a.is_support or a.can_write_collectivite(pending["collectivite"])):
            abort(403)
        path = os.path.join(_folder(), f"{pending['token']}.xlsx")
        if not os.path.exists(path):
            flash("Cet aperçu a expiré : déposez le classeur de nouveau.", "error")
            return redirect(url_for(".index"))
        try:
            lecture = plan_import.read(path)
            bilan = plan_import_apply.apply(lecture, db.session.get(
                Collectivite, pending["collectivite"]), a.user, pending["fichier"])
        except (plan_import.ImportError_, ValueError) as exc:
            flash(f"Rien n'a été importé : {exc}", "error")
            return redirect(url_for(".index"))
        finally:
            if os.path.exists(path):
                os.unlink(path)
        flash(f"Import terminé : {len(bilan.plans_crees)} plan(s) créé(s), "
              f"{len(bilan.plans_mis_a_jour)} mis à jour ; {bilan.fiches_creees} fiche(s) "
              f"créée(s), {bilan.fiches_mises_a_jour} mise(s) à jour.", "success")
        return redirect(url_for("plan.index_view"))
