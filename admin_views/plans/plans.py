"""Plans d'action: list, tree page with inline axe operations (plain POST forms)."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, request, stream_with_context, url_for
from flask_admin import expose
from flask_admin.actions import action
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import load_only, selectinload
from wtforms import SelectChoice, SelectField

from admin_views.base import XLSX_MIME, ScopedModelView
from admin_views.plans.tableaux import TableauxMixin
from admin_views.verrou import VerrouModelView, conflit, enregistrer, garder_l_autre
from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.plans.models import PLAN_TYPE_FAMILLES, PLAN_TYPES, STATUTS
from tet.actions import require
from tet.plans import fiches as fiche_service
from tet.plans import export as plan_export, arbre, arbre_page
from tet import verrous, xlsx
from tet.nombres import db_id, parse_id

STATUT_LABELS = dict(STATUTS)
STATUT_BADGES = {"a_venir": "secondary", "en_cours": "primary", "realise": "success",
                 "en_pause": "warning", "abandonne": "dark", "bloque": "danger",
                 "en_retard": "danger", "a_discuter": "info"}


def _plan_link(view, context, model, name):
    return Markup(f'<a href="{url_for("plan.arbre", id=model.id)}">{escape(model.nom)}</a>')


class PlanView(TableauxMixin, VerrouModelView, ScopedModelView):
    column_list = ["nom", "type", "confidentiel", "updated_at"]
    column_labels = {"nom": "Nom", "type": "Type", "confidentiel": "Confidentiel",
                     "updated_at": "Modifié le", "description": "Description",
                     "collectivite": "Collectivité", "created_at": "Créé le"}
    column_choices = {"type": PLAN_TYPES}
    column_formatters = {"nom": _plan_link}
    column_searchable_list = ["nom"]
    column_filters = ["type", "confidentiel"]
    column_sortable_list = ["nom", "type", "updated_at"]
    column_default_sort = "nom"
    column_details_list = ["nom", "type", "description", "confidentiel", "collectivite",
                           "created_at", "updated_at"]
    form_columns = ["nom", "type", "description", "confidentiel"]
    form_overrides = {"type": SelectField}
    form_args = {"type": {"choices": [SelectChoice(code, label, optgroup=famille)
                                      for famille, types in PLAN_TYPE_FAMILLES
                                      for code, label in types], "label": "Type"}}

    def create_model(self, form):
        a = self.acteur
        try:
            plan = arbre.create_plan(a.collectivite_id, form.nom.data, form.type.data,
                                    description=form.description.data,
                                    confidentiel=bool(form.confidentiel.data),
                                    created_by_id=a.user.id)
            db.session.commit()
        except arbre.TreeError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return False
        return plan

    def get_save_return_url(self, model, is_created=False):
        return url_for("plan.arbre", id=model.id)

    def delete_model(self, model):
        """Soft delete: the plan goes to the corbeille, its fiches stay."""
        fiche_service.soft_delete(model, self.acteur.user)
        db.session.commit()
        return True

    # --- the tree page ---------------------------------------------------------------
    def _plan(self, id: int) -> Plan:
        plan = self.get_one(id)
        if plan is None:
            abort(404)
        return plan

    @expose("/<int:id>/arbre")
    def arbre(self, id: int):
        """Every axe with its counts, only the first fiches of each (``arbre_page``); one
        shared form (one CSRF token) for the per-axe buttons, the rest on the axe page."""
        plan = self._plan(id)
        page = arbre_page.load(plan, fiche_options=(
            load_only(FicheAction.titre, FicheAction.statut, FicheAction.date_fin,
                      FicheAction.confidentiel),
            selectinload(FicheAction.pilotes), selectinload(FicheAction.tags)))
        return self.render("admin/plan_arbre.html", plan=plan, page=page, root=page.root,
                           statut_labels=STATUT_LABELS, statut_badges=STATUT_BADGES,
                           urls=_prefixes(plan))

    @expose("/<int:id>/axe/<int:axe_id>")
    def axe(self, id: int, axe_id: int):
        """One axe: its fiches a page at a time (keyset ``apres``) and, for who may edit
        the plan, rename, sous-axe, move and delete (kept off the tree page)."""
        plan = self._plan(id)
        axe = db.session.get(Axe, axe_id)
        if axe is None or axe.plan_id != plan.id:
            abort(404)
        fiches = arbre_page.axe_fiches(axe, request.args.get("apres", type=db_id),
                                      (selectinload(FicheAction.pilotes),))
        suite = fiches[-2].id if len(fiches) > arbre_page.AXE_PAGE else None
        return self.render("admin/plan_axe.html", plan=plan, axe=axe,
                           fiches=fiches[:arbre_page.AXE_PAGE], suite=suite,
                           debut="apres" in request.args, nb=arbre_page.count_here(axe),
                           statut_labels=STATUT_LABELS, statut_badges=STATUT_BADGES)

    @expose("/<int:id>/axe/<int:axe_id>/deplacer")
    def deplacer(self, id: int, axe_id: int):
        """The move form of one axe, filled on demand (the tree page stays linear)."""
        plan = self._plan(id)
        require(self.acteur, "modifier", plan)
        axe = db.session.get(Axe, axe_id)
        if axe is None or axe.plan_id != plan.id or arbre.is_root(axe):
            abort(404)
        return self.render("admin/axe_deplacer.html", plan=plan, axe=axe,
                           cibles=arbre.move_targets(axe))

    @expose("/<int:id>/export.xlsx")
    def export_xlsx(self, id: int):
        plan = self._plan(id)
        return xlsx_response([plan], f"{plan.nom}.xlsx")

    @action("export_xlsx", "Exporter en Excel (une feuille par plan)")
    def action_export_xlsx(self, ids):
        plans = self.get_query().filter(Plan.id.in_([int(i) for i in ids])).order_by(
            Plan.nom).all()
        return xlsx_response(plans, "plans.xlsx")

    @expose("/<int:id>/axe", methods=("POST",))
    def axe_action(self, id: int):
        plan = self._plan(id)
        require(self.acteur, "modifier", plan)
        op, axe_ref = _op_and_axe(request.form)
        axe = None
        if axe_ref:
            axe = db.session.get(Axe, parse_id(axe_ref) or 0)
            if axe is None or axe.plan_id != plan.id:
                abort(404)

        def sauver(version):
            message = _apply(plan, axe, op, request.form, version)
            plan.updated_by_id = self.acteur.user.id
            verrous.commit()
            return message

        try:
            result = enregistrer(sauver, request.form.get("version"),
                                 lambda: self._conflit_axe(plan, axe))
        except arbre.TreeError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            if not isinstance(result, str):
                return result  # the conflict page
            flash(result, "success")
        anchor = f"#axe-{axe.id}" if axe is not None and op != "supprimer" else ""
        return redirect(url_for(".arbre", id=plan.id) + anchor)


    def _conflit_axe(self, plan, axe):
        """A stale rename: the other person's title beside mine (None: same title, or
        another operation, then replayed on the current tree)."""
        if axe is None or _op_and_axe(request.form)[0] != "renommer":
            return None
        return conflit(self, objet=axe.nom, libelles={"nom": "Titre de l'axe"},
                       autre={"nom": verrous.fige(axe.nom)},
                       mien={"nom": verrous.fige(request.form.get("nom", ""))},
                       objets=[("Axe", axe.id)], versions={"version": axe.version},
                       annuler=url_for(".arbre", id=plan.id) + f"#axe-{axe.id}")


def xlsx_response(plans: list[Plan], filename: str) -> Response:
    """Stream the workbook (built in a temporary file, never whole in memory)."""
    ids = [p.id for p in plans]

    def build(wb):
        plan_export.write_plans(wb, db.session.scalars(
            select(Plan).where(Plan.id.in_(ids)).order_by(Plan.nom)).all())

    response = Response(stream_with_context(xlsx.stream(build)), mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def content_disposition(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _apply(plan: Plan, axe: Axe | None, op: str, form, version=verrous.LIBRE) -> str:
    if op == "ajouter":
        new = arbre.add_axe(plan, form.get("nom", ""), axe)
        return f"Axe « {new.nom} » ajouté."
    if axe is None:
        raise arbre.TreeError("Axe introuvable.")
    if op == "renommer":
        if "nom" in garder_l_autre(form):
            return "Le titre choisi par l'autre personne est conservé."
        arbre.rename_axe(axe, form.get("nom", ""), version)
        return "Axe renommé."
    if op == "monter":
        arbre.move(axe, -1)
    elif op == "descendre":
        arbre.move(axe, +1)
    elif op == "indenter":
        arbre.indent(axe)
    elif op == "desindenter":
        arbre.outdent(axe)
    elif op == "deplacer":
        target = db.session.get(Axe, parse_id(form.get("cible")) or 0)
        if target is None or target.plan_id != plan.id:
            raise arbre.TreeError("Choisissez l'axe de destination.")
        arbre.move_under(axe, target, _int_or_none(form.get("index")))
    elif op == "supprimer":
        arbre.delete_axe(axe)
        return "Axe supprimé ; ses fiches restent disponibles."
    else:
        raise arbre.TreeError("Opération inconnue.")
    return "Arborescence mise à jour."


def _op_and_axe(form) -> tuple[str, str]:
    """The operation and the axe: ``op`` and ``axe_id`` fields, or one button of the tree
    page's shared form (``name="op" value="monter:12"``)."""
    op, _, axe_ref = form.get("op", "").partition(":")
    return op, form.get("axe_id") or axe_ref


def _prefixes(plan: Plan) -> dict[str, str]:
    """URL prefixes the tree page completes with an id (no ``url_for`` per axe)."""
    return {"axe": url_for(".axe", id=plan.id, axe_id=0)[:-1],
            "fiche": url_for("fiche.page", id=0)[:-1],
            "creer": url_for("fiche.create_view", axe=0)[:-1]}


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flatten(node, out=None):
    out = [] if out is None else out
    for child in node.children:
        out.append(child)
        _flatten(child, out)
    return out
