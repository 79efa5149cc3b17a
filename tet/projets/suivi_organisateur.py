"""What the organiser reads of its calls, in SQL aggregates: candidatures per statut of the
listed calls, the candidatures of one call (scoped by ``permissions``), and the rows of its
two exports (the dossiers; the committee's evaluations once the meeting was opened)."""
from __future__ import annotations

from sqlalchemy import func, select

from tet.comptes.models import User
from tet.extensions import db
from tet.projets.models import (
    STATUTS_CANDIDATURE_LABELS,
    ZONES_IMPACT_LABELS,
    STADES_LABELS,
    AppelAProjets,
    AxeAppel,
    Candidature,
    Critere,
    Dossier,
    Etape,
    Evaluation,
    Matrice,
    MembreComite,
    Organisation,
)
from tet.projets.permissions import candidatures_visibles, evaluations_visibles, \
    organise_appel


def comptes_par_statut(appel_ids) -> dict[int, dict[str, int]]:
    """{appel id: {statut: n}} of the deposited candidatures (a draft never deposited is
    the holder's alone), one GROUP BY; ``appel_ids``: a page of ids or a select."""
    rows = db.session.execute(
        select(Candidature.appel_id, Candidature.statut, func.count(Candidature.id))
        .where(Candidature.appel_id.in_(appel_ids),
               (Candidature.statut != "brouillon") | Candidature.deposee_le.is_not(None))
        .group_by(Candidature.appel_id, Candidature.statut))
    result: dict[int, dict[str, int]] = {}
    for appel_id, statut, n in rows:
        result.setdefault(appel_id, {})[statut] = n
    return result


def dates_depot(appel_ids) -> dict[int, tuple]:
    """{appel id: (début, fin)} of the dépôt étape, one query."""
    return {i: (d, f) for i, d, f in db.session.execute(
        select(Etape.appel_id, Etape.date_debut, Etape.date_fin)
        .where(Etape.appel_id.in_(appel_ids), Etape.kind == "depot"))}


def candidatures(a, appel: AppelAProjets, statut: str | None = None):
    """Select of the call's candidatures the acteur sees: (Candidature, dossier titre,
    organisation nom), newest dépôt first."""
    query = (select(Candidature, Dossier.titre, Organisation.nom)
             .join(Dossier, Dossier.id == Candidature.dossier_id)
             .join(Organisation, Organisation.id == Dossier.organisation_id)
             .where(Candidature.appel_id == appel.id))
    cond = candidatures_visibles(a)
    if cond is not None:
        query = query.where(cond)
    if statut:
        query = query.where(Candidature.statut == statut)
    return query.order_by(Candidature.deposee_le.desc().nulls_last(), Candidature.id.desc())


def peut_exporter_evaluations(a, appel: AppelAProjets) -> bool:
    """The notes leave while the committee's meeting is open (the organiser sees them then,
    ``permissions.evaluations_visibles``), or for support."""
    return a.is_support or (organise_appel(a, appel) and appel.seance_ouverte)


DOSSIERS_COLONNES = [("N° candidature", 14), ("Statut", 16), ("Dossier", 40),
                     ("Organisation", 32), ("SIREN", 12), ("Axe", 26),
                     ("Montant demandé (€)", 16), ("Budget total (€)", 16), ("Stade", 18),
                     ("Zone d'impact", 14), ("Déposé le", 14), ("Motif (éligibilité)", 40),
                     ("Référent", 24), ("Courriel du référent", 28), ("Description", 60)]


def lignes_dossiers(a, appel: AppelAProjets):
    """Rows of the dossiers export, 500 at a time (values, never formulas: ``tet.xlsx``)."""
    query = (select(Candidature.id, Candidature.statut, Dossier.titre, Organisation.nom,
                    Organisation.siren, AxeAppel.nom, Candidature.montant_demande,
                    Dossier.budget_total, Dossier.stade, Dossier.zone_impact,
                    Candidature.deposee_le, Candidature.motif_eligibilite,
                    Dossier.referent_nom, Dossier.referent_email, Dossier.description)
             .join(Dossier, Dossier.id == Candidature.dossier_id)
             .join(Organisation, Organisation.id == Dossier.organisation_id)
             .outerjoin(AxeAppel, AxeAppel.id == Candidature.axe_id)
             .where(Candidature.appel_id == appel.id).order_by(Candidature.id))
    cond = candidatures_visibles(a)
    if cond is not None:
        query = query.where(cond)
    for row in db.session.execute(query.execution_options(yield_per=500)):
        (cid, statut, titre, org, siren, axe, montant, budget, stade, zone, depose, motif,
         ref, ref_mail, description) = row
        yield [cid, STATUTS_CANDIDATURE_LABELS.get(statut, statut), titre, org, siren, axe,
               montant, budget, STADES_LABELS.get(stade, stade),
               ZONES_IMPACT_LABELS.get(zone, zone),
               depose.date() if depose is not None else None, motif, ref, ref_mail,
               description]


EVALUATIONS_COLONNES = [("N° candidature", 14), ("Dossier", 40), ("Organisation", 32),
                        ("Membre du comité", 30), ("Matrice", 20), ("Critère", 32),
                        ("Note", 8), ("Justification", 60)]


def lignes_evaluations(a, appel: AppelAProjets):
    """Rows of the evaluations export (the acteur's view of the notes, ``permissions``)."""
    query = (select(Candidature.id, Dossier.titre, Organisation.nom,
                    func.coalesce(User.email, MembreComite.email), Matrice.nom,
                    Critere.libelle, Evaluation.note, Evaluation.justification)
             .join(Candidature, Candidature.id == Evaluation.candidature_id)
             .join(Dossier, Dossier.id == Candidature.dossier_id)
             .join(Organisation, Organisation.id == Dossier.organisation_id)
             .join(MembreComite, MembreComite.id == Evaluation.membre_id)
             .outerjoin(User, User.id == MembreComite.user_id)
             .join(Critere, Critere.id == Evaluation.critere_id)
             .join(Matrice, Matrice.id == Critere.matrice_id)
             .where(Candidature.appel_id == appel.id)
             .order_by(Candidature.id, MembreComite.id, Matrice.position, Critere.position))
    cond = evaluations_visibles(a)
    if cond is not None:
        query = query.where(cond)
    for row in db.session.execute(query.execution_options(yield_per=500)):
        yield list(row)
