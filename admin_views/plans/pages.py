"""Pages around plans: corbeille (restore) and inspiration (other collectivités' fiches)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from admin_views.base import SecureView
from admin_views.plans.plans import STATUT_BADGES, STATUT_LABELS
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan, Thematique
from tet.comptes.models import Collectivite
from tet.comptes.models import TYPES_COLLECTIVITE
from tet.plans.models import fiche_thematique
from tet.comptes.permissions import current_acteur
from tet.plans.permissions import deleted_scope, inspiration_condition
from tet.plans import fiches as fiche_service
from tet import recherche
from tet.plans import arbre
from tet.nombres import PAGE_MAX, db_id
from tet.tri import tri_fr

PAGE_SIZE = 30


class CorbeilleView(SecureView):
    """Soft-deleted plans and fiches, restorable by a collectivité admin (or support)."""

    def allowed(self) -> bool:
        a = current_acteur()
        return a.is_support or a.is_collectivite_admin()

    @expose("/")
    def index(self):
        a = current_acteur()
        plans = db.session.scalars(select(Plan).where(deleted_scope(a, Plan))
                                   .order_by(Plan.deleted_at.desc()).limit(200)).all()
        fiches = db.session.scalars(select(FicheAction).where(deleted_scope(a, FicheAction))
                                    .order_by(FicheAction.deleted_at.desc()).limit(200)).all()
        return self.render("admin/corbeille.html", plans=plans, fiches=fiches)

    @expose("/restaurer/<kind>/<int:id>", methods=("POST",))
    def restore(self, kind: str, id: int):
        model = {"plan": Plan, "fiche": FicheAction}.get(kind)
        if model is None:
            abort(404)
        obj = db.session.scalar(select(model).where(model.id == id,
                                                    deleted_scope(current_acteur(), model)))
        if obj is None:
            abort(404)
        fiche_service.restore(obj, current_acteur().user)
        db.session.commit()
        flash(f"« {obj} » est restauré(e).", "success")
        return redirect(url_for(".index"))


class InspirationView(SecureView):
    """Any signed-in user browses the non-confidential fiches of other collectivités."""

    def _query(self):
        a = current_acteur()
        return select(FicheAction).join(Collectivite).where(inspiration_condition(a))

    @expose("/")
    def index(self):
        q = (request.args.get("q") or "").strip()
        thematique = request.args.get("thematique", type=db_id)
        type_coll = request.args.get("type") or ""
        page = min(request.args.get("page", 1, type=db_id), PAGE_MAX)
        query = self._query()
        if thematique:
            query = query.where(FicheAction.id.in_(select(fiche_thematique.c.fiche_id).where(
                fiche_thematique.c.thematique_id == thematique)))
        if type_coll:
            query = query.where(Collectivite.type == type_coll)
        total, fiches = recherche.page_of_fiches(
            query, q, (page - 1) * PAGE_SIZE, PAGE_SIZE, joinedload(FicheAction.collectivite),
            selectinload(FicheAction.thematiques))
        return self.render(
            "admin/inspiration.html", fiches=fiches, total=total, page=page,
            pages=max(1, -(-total // PAGE_SIZE)), q=q, thematique=thematique,
            type_coll=type_coll, types=TYPES_COLLECTIVITE,
            thematiques=db.session.scalars(select(Thematique).order_by(tri_fr(Thematique.nom))).all(),
            statut_labels=STATUT_LABELS, statut_badges=STATUT_BADGES)

    def _source(self, id: int) -> FicheAction:
        fiche = db.session.scalar(self._query().where(FicheAction.id == id).options(
            selectinload(FicheAction.thematiques)))
        if fiche is None:
            abort(404)
        return fiche

    @expose("/<int:id>")
    def fiche(self, id: int):
        a = current_acteur()
        source = self._source(id)
        # where a copy may go: every plan's axes (no fiche), in two queries
        targets = arbre.load_forest(a.collectivite_id) if a.can_write_collectivite() else []
        return self.render("admin/inspiration_fiche.html", fiche=source, targets=targets,
                           statut_labels=STATUT_LABELS, statut_badges=STATUT_BADGES)

    @expose("/<int:id>/copier", methods=("POST",))
    def copy(self, id: int):
        a = current_acteur()
        if not a.can_write_collectivite():
            abort(403)
        source = self._source(id)
        axe = db.session.scalar(select(Axe).join(Plan).where(
            Axe.id == request.form.get("axe_id", type=db_id),
            Plan.collectivite_id == a.collectivite_id, Plan.deleted_at.is_(None)))
        if axe is None:
            flash("Choisissez le plan ou l'axe où ranger la copie.", "error")
            return redirect(url_for(".fiche", id=id))
        fiche = fiche_service.copy_fiche(source, a.collectivite_id, a.user)
        arbre.ranger(fiche, {axe.id})
        db.session.commit()
        flash("La fiche a été copiée dans votre plan : adaptez-la à votre territoire.",
              "success")
        return redirect(url_for("fiche.page", id=fiche.id))
