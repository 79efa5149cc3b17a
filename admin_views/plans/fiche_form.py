"""Between the fiche form and the fiche service: choices, prefill, data dict."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_admin import expose
from sqlalchemy import select
from wtforms import SelectChoice

from tet.actions import require

from forms.fiche import FicheForm, TagsField
from tet.extensions import db
from tet.plans.filtres import axes_of
from tet.plans.models import Axe, FicheAction, Plan, Thematique
from tet.comptes.models import User
from tet.comptes.models import Membership
from tet.plans.fiches import (
    TAG_FIELDS,
    BudgetRow,
    FinanceurRow,
    noms_connus,
    split_names,
    tag_names,
)
from tet.tri import tri_fr

PARENTS_MAX = 300  # beyond, « Sous-action de » asks for a number (no list of every fiche)
NOMS_OFFERTS = 200  # names of a picker written in the page; beyond, asked as one types
PAGE_AJAX = 20


def fill_choices(form: FicheForm, collectivite_id: int, exclude: int | None = None):
    """The choices of the form; for an existing fiche (``exclude``: its id) without
    « Ranger dans » (its places are changed by « Ranger la fiche »)."""
    if exclude is not None:
        del form.axe_id
    form.thematique_ids.choices = [SelectChoice(t.id, t.nom) for t in db.session.scalars(
        select(Thematique).order_by(tri_fr(Thematique.nom)))]
    form.pilote_ids.choices = [SelectChoice(u.id, u.nom_complet) for u in db.session.scalars(
        select(User).join(Membership).where(Membership.collectivite_id == collectivite_id,
                                            Membership.validee)
        .order_by(User.nom, User.email))]
    for field in (form.service, form.partenaire):
        noms = noms_connus(collectivite_id, field.kind, limit=NOMS_OFFERTS + 1)
        field.grande = len(noms) > NOMS_OFFERTS
        field.choices = [SelectChoice(n, n) for n in noms[:NOMS_OFFERTS]]
    noms = noms_connus(collectivite_id, "financeur", limit=NOMS_OFFERTS + 1)
    form.financeurs_connus = noms[:NOMS_OFFERTS]
    form.financeurs_grande = len(noms) > NOMS_OFFERTS
    parents = select(FicheAction.id, FicheAction.titre).where(
        FicheAction.collectivite_id == collectivite_id, FicheAction.parent_id.is_(None),
        FicheAction.deleted_at.is_(None)).order_by(tri_fr(FicheAction.titre), FicheAction.id)
    if exclude is not None:
        parents = parents.where(FicheAction.id != exclude)
    rows = db.session.execute(parents.limit(PARENTS_MAX + 1)).all()
    form.parent_id.grande = len(rows) > PARENTS_MAX
    if form.parent_id.grande:
        form.parent_id.description = (
            "Numéro de la fiche principale (il figure dans l'adresse de sa page : "
            "…/admin/fiche/numéro). Laissez vide pour une fiche principale.")
        rows = []
    form.parent_id.choices = [SelectChoice("", "— (fiche principale)")] + [
        SelectChoice(fid, titre) for fid, titre in rows]
    return form


def fill_axes(form: FicheForm, collectivite_id: int, axe=None) -> None:
    """« Ranger dans » of a new fiche: the collectivité's plans and their axes (grouped by
    plan, ``filtres.axes_of``); removed when the fiche's place is already given."""
    if axe is not None:
        del form.axe_id
        return
    plans = db.session.execute(select(Plan.id, Plan.nom).where(
        Plan.collectivite_id == collectivite_id, Plan.deleted_at.is_(None))
        .order_by(Plan.nom)).all()
    form.axe_id.choices = {"": [SelectChoice("", "— non classée (à ranger plus tard)")]} | {
        nom: [SelectChoice(i, label) for i, label in axes_of(pid, racine=f"{nom} (le plan)")]
        for pid, nom in plans}


def chosen_axe(form: FicheForm, collectivite_id: int):
    """The axe chosen in « Ranger dans » (one of the collectivité's live plans), or None."""
    axe_id = form.axe_id.data if "axe_id" in form else None
    if not axe_id:
        return None
    return db.session.scalar(select(Axe).join(Plan).where(
        Axe.id == axe_id, Plan.collectivite_id == collectivite_id, Plan.deleted_at.is_(None)))


def prefill(form: FicheForm, fiche: FicheAction) -> None:
    for name in ("titre", "description", "objectifs", "ressources", "statut", "date_debut",
                 "date_fin", "amelioration_continue", "participation_detail",
                 "financements", "confidentiel"):
        getattr(form, name).data = getattr(fiche, name)
    form.priorite.data = fiche.priorite or ""
    form.temps_mise_en_oeuvre.data = fiche.temps_mise_en_oeuvre or ""
    form.participation.data = fiche.participation or ""
    form.cibles.data = list(fiche.cibles or [])
    form.parent_id.data = fiche.parent_id
    form.thematique_ids.data = [t.id for t in fiche.thematiques]
    form.pilote_ids.data = [u.id for u in fiche.pilotes]
    for kind in TAG_FIELDS:
        field = getattr(form, kind)
        names = tag_names(fiche, kind)
        field.data = split_names(names) if isinstance(field, TagsField) else names
    _fill_rows(form.financeurs, [{"nom": f.financeur.nom, "montant": f.montant}
                                 for f in fiche.financeurs])
    _fill_rows(form.budgets, [{"nature": b.nature, "unite": b.unite, "annee": b.annee,
                               "prevu": b.prevu, "reel": b.reel} for b in fiche.budgets])


def _fill_rows(field_list, rows: list[dict]) -> None:
    while len(field_list.entries) < len(rows) + 1 and len(field_list.entries) < \
            field_list.max_entries:
        field_list.append_entry()
    for entry, row in zip(field_list.entries, rows):
        for key, value in row.items():
            entry.form[key].data = value


def form_data(form: FicheForm) -> dict:
    data = {name: getattr(form, name).data for name in (
        "titre", "description", "objectifs", "ressources", "statut", "date_debut", "date_fin",
        "amelioration_continue", "participation_detail", "financements", "confidentiel",
        "cibles", "thematique_ids", "pilote_ids", "parent_id", *TAG_FIELDS)}
    data["priorite"] = form.priorite.data or None
    data["temps_mise_en_oeuvre"] = form.temps_mise_en_oeuvre.data or None
    data["participation"] = form.participation.data or None
    data["financeurs"] = [FinanceurRow(e.form.nom.data or "", e.form.montant.data)
                          for e in form.financeurs.entries]
    data["budgets"] = [BudgetRow(e.form.nature.data, e.form.unite.data, e.form.annee.data,
                                 e.form.prevu.data, e.form.reel.data)
                       for e in form.budgets.entries]
    return data


PICKERS = ("service", "partenaire", "financeur")


class NomsFicheMixin:
    """For ``FicheView``: the names a picker of the fiche form offers as one types, those of
    the collectivité one acts for (or of the fiche being edited, ``?fiche=``), JSON in
    Select2's shape. Only for those who may edit fiches."""

    @expose("/noms/<kind>")
    def noms(self, kind: str):
        if kind not in PICKERS:
            abort(404)
        require(self.acteur, "modifier", FicheAction)
        cid = self.acteur.collectivite_id
        if request.args.get("fiche"):
            fiche = self.get_one(request.args.get("fiche"))
            if fiche is None:
                abort(404)
            require(self.acteur, "modifier", fiche)
            cid = fiche.collectivite_id
        if cid is None:
            return jsonify(results=[], more=False)
        page = max(min(request.args.get("page", 1, type=int) or 1, 500), 1)
        noms = noms_connus(cid, kind, request.args.get("q", ""), PAGE_AJAX + 1,
                           (page - 1) * PAGE_AJAX)
        return jsonify(results=[{"id": n, "text": n} for n in noms[:PAGE_AJAX]],
                       more=len(noms) > PAGE_AJAX)
