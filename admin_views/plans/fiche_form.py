"""Between the fiche form and the fiche service: choices, prefill, data dict."""
from __future__ import annotations

from sqlalchemy import select
from wtforms import SelectChoice

from forms.fiche import FicheForm
from tet.extensions import db
from tet.plans.models import FicheAction, Thematique
from tet.comptes.models import User
from tet.comptes.models import Membership
from tet.plans.fiches import TAG_FIELDS, BudgetRow, FinanceurRow, tag_names

PARENTS_MAX = 300  # beyond, « Sous-action de » asks for a number (no list of every fiche)


def fill_choices(form: FicheForm, collectivite_id: int, exclude: int | None = None):
    form.thematique_ids.choices = [SelectChoice(t.id, t.nom) for t in db.session.scalars(
        select(Thematique).order_by(Thematique.nom))]
    form.pilote_ids.choices = [SelectChoice(u.id, u.nom_complet) for u in db.session.scalars(
        select(User).join(Membership).where(Membership.collectivite_id == collectivite_id,
                                            Membership.validee)
        .order_by(User.nom, User.email))]
    parents = select(FicheAction.id, FicheAction.titre).where(
        FicheAction.collectivite_id == collectivite_id, FicheAction.parent_id.is_(None),
        FicheAction.deleted_at.is_(None)).order_by(FicheAction.titre, FicheAction.id)
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
        getattr(form, kind).data = tag_names(fiche, kind)
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
