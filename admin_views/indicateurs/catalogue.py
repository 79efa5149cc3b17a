"""Indicators: the catalogue, the page of one indicator for the collectivité (table, chart,
values), bulk entry of a year, links with fiches; the référentiels."""
from __future__ import annotations

from datetime import date

from flask import abort, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from markupsafe import Markup, escape
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin_views import charts
from admin_views.indicateurs import valeurs
from admin_views.base import ScopedModelView, SecureView
from tet.extensions import db
from tet.plans.models import FicheAction
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur, ReferentielAction
from tet.indicateurs.models import REFERENTIELS, fiche_indicateur, fiche_referentiel
from tet.comptes.permissions import current_acteur
from tet.actions import can, require
from tet.indicateurs import valeurs as service
from tet.nombres import db_id
from tet.tri import tri_fr

COLOURS = {"objectif": "#fd7e14", "resultat": "#007bff"}


class PersonnaliseFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        column = IndicateurDefinition.collectivite_id
        return query.filter(column.is_not(None) if value == "1" else column.is_(None))

    def operation(self):
        return "est"


class ReferentielFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        from tet.indicateurs.models import indicateur_action

        linked = select(indicateur_action.c.definition_id).join(
            ReferentielAction, ReferentielAction.id == indicateur_action.c.action_id).where(
            ReferentielAction.referentiel == value)
        return query.filter(IndicateurDefinition.id.in_(linked))

    def operation(self):
        return "est"


def _nom_link(view, context, model, name):
    """The name links to the indicator's page; its secteur / vecteur / filière below it, a
    badge when the PCAET requires it."""
    html = Markup('<a href="{}">{}</a>').format(url_for("indicateur.page", id=model.id),
                                                model.nom)
    if model.reglementaire:
        html += Markup(' <span class="badge badge-secondary" title="Indicateur réglementaire'
                       ' du PCAET (arrêté du 4 août 2016)">PCAET</span>')
    if model.detail:
        html += Markup('<br><small class="text-muted">{}</small>').format(model.detail)
    return html


def _source(view, context, model, name):
    return Markup('<small>{}</small>').format(model.source) if model.source else ""


class IndicateurView(ScopedModelView):
    column_list = ["identifiant", "nom", "unite", "famille", "thematique", "source",
                   "collectivite_id"]
    column_labels = {"identifiant": "Identifiant", "nom": "Nom", "unite": "Unité",
                     "thematique": "Thématique", "collectivite_id": "Personnalisé",
                     "description": "Description", "famille": "Famille",
                     "secteur": "Secteur", "vecteur": "Vecteur", "filiere": "Filière",
                     "source": "Source", "reglementaire": "Réglementaire (PCAET)"}
    column_formatters = {"nom": _nom_link, "source": _source,
                         "collectivite_id": lambda v, c, m, n: "Oui" if m.personnalise else ""}
    column_formatters_export = {"collectivite_id": lambda v, c, m, n:
                                "Oui" if m.personnalise else "Non",
                                "nom": lambda v, c, m, n: m.nom,
                                "source": lambda v, c, m, n: m.source or ""}
    column_searchable_list = ["nom", "identifiant", "thematique", "source"]
    column_sortable_list = ["identifiant", "nom", "unite", "famille", "thematique"]
    column_default_sort = "identifiant"
    column_filters = [
        "famille", "secteur", "vecteur", "filiere", "reglementaire",
        "thematique",
        PersonnaliseFilter(IndicateurDefinition.collectivite_id, "Personnalisé",
                           options=(("1", "Oui"), ("0", "Non (catalogue national)"))),
        ReferentielFilter(IndicateurDefinition.id, "Référentiel", options=REFERENTIELS),
    ]
    form_columns = ["nom", "unite", "thematique", "source", "description"]
    form_overrides = {"description": TextAreaField}
    form_args = {"nom": {"validators": [DataRequired("Ce champ est obligatoire."),
                                        Length(max=300)]},
                 "unite": {"label": "Unité", "validators": [
                     DataRequired("Ce champ est obligatoire."), Length(max=30)]},
                 "thematique": {"validators": [Optional(), Length(max=200)]},
                 "source": {"validators": [Optional(), Length(max=300)]}}

    def _get_default_order(self):
        """The collectivité's own indicators first, then the catalogue by identifiant (alike
        on SQLite and PostgreSQL, which put a NULL identifiant at opposite ends)."""
        yield case((IndicateurDefinition.collectivite_id.is_(None), 1), else_=0), [], False
        yield from super()._get_default_order()

    def on_model_change(self, form, model, is_created):
        if is_created:
            model.collectivite_id = self.acteur.collectivite_id  # a personnalisé
        super().on_model_change(form, model, is_created)

    @expose("/details/")
    def details_view(self):
        return self.page(self._definition(request.args.get("id")).id)

    # --- the indicator page ------------------------------------------------------------
    def _definition(self, id) -> IndicateurDefinition:
        definition = self.get_one(id)
        if definition is None:
            abort(404)
        return definition

    @expose("/<int:id>", methods=("GET", "POST"))
    def page(self, id: int):
        definition = self._definition(id)
        a = self.acteur
        cid = a.collectivite_id
        can_enter = can(a, "saisir_valeurs", definition)
        if request.method == "POST":
            if not can_enter:
                abort(403)
            saved = valeurs.enregistrer_page(self, definition, a)
            if saved is not None:
                return saved
        values = list(db.session.scalars(select(IndicateurValeur).where(
            IndicateurValeur.collectivite_id == cid,
            IndicateurValeur.definition_id == definition.id)
            .order_by(IndicateurValeur.annee))) if cid else []
        table = {}
        for v in values:
            table.setdefault(v.annee, {})[v.type] = v
        fiches = list(db.session.scalars(select(FicheAction).join(
            fiche_indicateur, fiche_indicateur.c.fiche_id == FicheAction.id).where(
            fiche_indicateur.c.definition_id == definition.id,
            FicheAction.collectivite_id == cid, FicheAction.deleted_at.is_(None))
            .order_by(tri_fr(FicheAction.titre)))) if cid else []
        others = [f for f in db.session.scalars(select(FicheAction).where(
            FicheAction.collectivite_id == cid, FicheAction.deleted_at.is_(None),
            FicheAction.id.not_in([f.id for f in fiches])).order_by(tri_fr(FicheAction.titre)))
            if can(a, "modifier", f)] if cid and can(a, "modifier", FicheAction) else []
        return self.render("admin/indicateur_page.html", definition=definition, others=others,
                           table=dict(sorted(table.items())), chart=chart_of(definition, values),
                           fiches=fiches, can_enter=can_enter, this_year=date.today().year,
                           fmt=service.format_valeur,
                           verrou_base=valeurs.base_page(definition, table))

    @expose("/<int:id>/fiches", methods=("POST",))
    def fiches(self, id: int):
        """Link / unlink a fiche of the collectivité from the indicator side."""
        definition = self._definition(id)
        a = self.acteur
        fiche = db.session.scalar(select(FicheAction).where(
            FicheAction.id == request.form.get("fiche_id", type=db_id),
            FicheAction.collectivite_id == a.collectivite_id, FicheAction.deleted_at.is_(None)))
        if fiche is None:
            abort(404)
        require(a, "modifier", fiche)
        present = request.form.get("op") != "retirer"
        if present and definition not in fiche.indicateurs:
            fiche.indicateurs.append(definition)
        elif not present and definition in fiche.indicateurs:
            fiche.indicateurs.remove(definition)
        db.session.commit()
        return redirect(url_for(".page", id=id))

    @expose("/export-valeurs.xlsx")
    def export_valeurs(self):
        from admin_views.exports import xlsx_download
        from tet import exports

        cid = self.acteur.collectivite_id
        if cid is None:
            abort(404)
        return xlsx_download(lambda wb: exports.indicateurs(wb, cid),
                             f"indicateurs-{date.today():%Y%m%d}.xlsx")

    @expose("/saisie", methods=("GET", "POST"))
    def saisie(self):
        """Bulk entry of one year's values for every indicator shown."""
        a = self.acteur
        require(a, "saisir_valeurs")
        annee = request.values.get("annee", type=db_id) or date.today().year - 1
        q = (request.values.get("q") or "").strip()
        query = self.get_query()
        if q:
            like = f"%{q}%"
            query = query.filter(IndicateurDefinition.nom.ilike(like)
                                 | IndicateurDefinition.identifiant.ilike(like))
        definitions = query.order_by(IndicateurDefinition.identifiant,
                                     IndicateurDefinition.nom).limit(200).all()
        if request.method == "POST":
            saved = valeurs.enregistrer_saisie(self, definitions, annee, q, a)
            if saved is not None:
                return saved
        cells = service.cellules(a.collectivite_id, [d.id for d in definitions], [annee])
        return self.render("admin/indicateur_saisie.html", definitions=definitions,
                           annee=annee, q=q, cells=cells, fmt=service.format_valeur,
                           verrou_base=valeurs.base_saisie(definitions, annee, cells))


def chart_of(definition, values) -> Markup:
    series = []
    for type_, label in (("objectif", "Objectif"), ("resultat", "Résultat")):
        points = {v.annee: float(v.valeur) for v in values if v.type == type_}
        if points:
            series.append((label, points, COLOURS[type_]))
    return charts.lines(series, f"{definition.nom} ({definition.unite})", definition.unite)


class ReferentielView(SecureView):
    """The CAE and ECi référentiels; an action lists the fiches of the collectivité serving it."""

    @expose("/")
    def index(self):
        actions = list(db.session.scalars(select(ReferentielAction).order_by(
            ReferentielAction.referentiel, ReferentielAction.profondeur,
            ReferentielAction.position)))
        children: dict = {}
        for action in actions:
            children.setdefault(action.parent_id, []).append(action)
        return self.render("admin/referentiels.html", children=children,
                           referentiels=REFERENTIELS)

    @expose("/<identifiant>")
    def action(self, identifiant: str):
        action = db.session.scalar(select(ReferentielAction).where(
            ReferentielAction.identifiant == identifiant))
        if action is None:
            abort(404)
        a = current_acteur()
        fiches = []
        if a.collectivite_id:
            fiches = list(db.session.scalars(select(FicheAction).join(
                fiche_referentiel, fiche_referentiel.c.fiche_id == FicheAction.id).where(
                fiche_referentiel.c.action_id == action.id,
                FicheAction.collectivite_id == a.collectivite_id,
                FicheAction.deleted_at.is_(None)).order_by(tri_fr(FicheAction.titre))))
        path, node = [], action
        while node.parent_id:
            node = db.session.get(ReferentielAction, node.parent_id)
            path.insert(0, node)
        sous = list(db.session.scalars(select(ReferentielAction).where(
            ReferentielAction.parent_id == action.id).order_by(ReferentielAction.position)))
        indicateurs = list(db.session.scalars(
            select(IndicateurDefinition).where(IndicateurDefinition.actions.contains(action),
                                               service.visible_condition(a.collectivite_id))
            .options(selectinload(IndicateurDefinition.actions))))
        return self.render("admin/referentiel_action.html", action=action, path=path,
                           sous=sous, fiches=fiches, indicateurs=indicateurs)
