"""The state machine of a candidature: who moves it from which statut to which, and on what
conditions. Each transition is checked here (role, then preconditions), written to the
audit log (the flush of the changed statut, with the transition as context) and e-mailed
to the holder.

    brouillon ─déposer (porteur)→ déposé ─renvoyer (organisateur)→ brouillon
    déposé ─déclarer éligible / non éligible (organisateur)→ éligible / non éligible
    éligible ─clore l'évaluation (organisateur)→ évalué
    évalué ─décider (organisateur, vote du comité : tet.projets.decision)→ retenu / non retenu
    retenu ─conventionner (organisateur)→ conventionné ─mettre en suivi (organisateur)→ en suivi

A committee member never moves a candidature (it scores and votes); an organiser of
another territory and the holder of another organisation are refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tet.colonnes import utcnow
from tet.extensions import db
from tet.projets.commun import Refus, avertir_organisateurs, avertir_porteur, exiger, journal
from tet.projets.models import Candidature, PieceJustificative, PieceRequise
from tet.projets.permissions import est_porteur, gere_appel
from tet.verrous import LIBRE, verifier
from tet.formats import accord


@dataclass(frozen=True)
class Transition:
    nom: str
    label: str
    depuis: str
    vers: str
    role: str  # "porteur" | "organisateur" | "decision" (only through tet.projets.decision)
    message: str  # to the holder: {titre}, {appel}, {motif}


TRANSITIONS = {t.nom: t for t in (
    Transition("deposer", "Déposer le dossier", "brouillon", "depose", "porteur",
               "Votre dossier « {titre} » est déposé pour l'appel « {appel} ». Il n'est plus "
               "modifiable jusqu'à la décision."),
    Transition("renvoyer", "Renvoyer au porteur", "depose", "brouillon", "organisateur",
               "Votre dossier « {titre} » (appel « {appel} ») vous est renvoyé pour être "
               "complété : {motif}"),
    Transition("declarer_eligible", "Déclarer éligible", "depose", "eligible", "organisateur",
               "Votre dossier « {titre} » est éligible à l'appel « {appel} » : il sera évalué "
               "par le comité."),
    Transition("declarer_non_eligible", "Déclarer non éligible", "depose", "non_eligible",
               "organisateur",
               "Votre dossier « {titre} » n'est pas éligible à l'appel « {appel} » : {motif}"),
    Transition("clore_evaluation", "Clore l'évaluation", "eligible", "evalue", "organisateur",
               "L'évaluation de votre dossier « {titre} » (appel « {appel} ») est terminée ; "
               "le comité va décider."),
    Transition("retenir", "Retenir", "evalue", "retenu", "decision",
               "Votre dossier « {titre} » est retenu par le comité de l'appel « {appel} ». "
               "Motivation : {motif}"),
    Transition("ne_pas_retenir", "Ne pas retenir", "evalue", "non_retenu", "decision",
               "Votre dossier « {titre} » n'est pas retenu par le comité de l'appel "
               "« {appel} ». Motivation : {motif}"),
    Transition("conventionner", "Conventionner", "retenu", "conventionne", "organisateur",
               "La convention de votre projet « {titre} » (appel « {appel} ») est signée."),
    Transition("mettre_en_suivi", "Mettre en suivi", "conventionne", "en_suivi",
               "organisateur",
               "Votre projet « {titre} » (appel « {appel} ») entre en suivi : renseignez "
               "ses indicateurs d'impact chaque année."),
)}
MOTIF_REQUIS = {"renvoyer", "declarer_non_eligible", "retenir", "ne_pas_retenir"}


def _a_le_role(a, cand: Candidature, t: Transition) -> bool:
    if t.role == "porteur":
        return est_porteur(a, cand.dossier)
    return gere_appel(a, cand.appel)


def possibles(a, cand: Candidature) -> list[Transition]:
    """The transitions the acteur may try from the current statut (the buttons to show)."""
    return [t for t in TRANSITIONS.values()
            if t.depuis == cand.statut and t.role != "decision" and _a_le_role(a, cand, t)]


def pieces_manquantes(cand: Candidature) -> list[PieceRequise]:
    """The call's required pièces the dossier has no file for."""
    fournies = select(PieceJustificative.piece_requise_id).where(
        PieceJustificative.dossier_id == cand.dossier_id,
        PieceJustificative.piece_requise_id.is_not(None))
    return list(db.session.scalars(select(PieceRequise).where(
        PieceRequise.appel_id == cand.appel_id, PieceRequise.obligatoire.is_(True),
        PieceRequise.id.not_in(fournies)).order_by(PieceRequise.position, PieceRequise.id)))


def _preconditions(cand: Candidature, t: Transition, motif: str) -> None:
    if t.nom in MOTIF_REQUIS:
        exiger(motif, "Indiquez le motif : il est envoyé au porteur.")
    if t.nom == "deposer":
        appel = cand.appel
        exiger(appel.statut == "ouvert", "L'appel n'est pas ouvert aux dépôts.")
        depot = next((e for e in appel.etapes if e.kind == "depot"), None)
        if depot is not None and depot.date_fin is not None:
            exiger(date.today() <= depot.date_fin, "La date limite de dépôt est passée "
                   f"({depot.date_fin:%d/%m/%Y}).")
        exiger((cand.dossier.description or "").strip(),
               "Décrivez le projet avant de déposer le dossier.")
        exiger(cand.axe_id is not None or not appel.axes,
               "Choisissez l'axe de l'appel auquel le projet répond.")
        manquantes = pieces_manquantes(cand)
        exiger(not manquantes, "Pièces obligatoires manquantes : "
               + ", ".join(f"« {p.libelle} »" for p in manquantes) + ".")
    if t.nom == "clore_evaluation":
        from tet.projets.evaluation import progression

        p = progression(cand)
        exiger(p.criteres and (p.tous or p.quorum),
               f"Évaluation incomplète : {p.complets} {accord(p.complets, 'membre')} sur "
               f"{p.membres} {accord(p.complets, 'a', 'ont')} noté tous "
               "les critères (il en faut plus de la moitié).")
    if t.nom == "mettre_en_suivi":
        exiger(cand.appel.collectivite_id is not None or cand.fiche_id is not None,
               "Un appel national n'a pas de plan où ranger la fiche action.")


def appliquer(a, cand: Candidature, nom: str, motif: str | None = None,
              version=LIBRE) -> Candidature:
    """Run transition ``nom`` on ``cand`` for the acteur, or raise ``Refus`` (French)."""
    t = TRANSITIONS.get(nom)
    exiger(t is not None and t.role != "decision", "Action inconnue.")
    exiger(_a_le_role(a, cand, t),
           "Seul le porteur du dossier peut le déposer." if t.role == "porteur" else
           "Seuls les administrateurs et éditeurs de l'organisateur de l'appel peuvent "
           f"« {t.label.lower()} ».")
    return changer(a, cand, t, (motif or "").strip(), version)


def changer(a, cand: Candidature, t: Transition, motif: str, version=LIBRE) -> Candidature:
    """Move the candidature along ``t`` (role already checked by the caller)."""
    verifier(cand, version)
    if cand.statut != t.depuis:
        raise Refus(f"Action impossible : le dossier est « {_statut(cand.statut)} », il "
                    f"devrait être « {_statut(t.depuis)} ».")
    _preconditions(cand, t, motif)
    with journal(a, f"Candidature : {t.label}"):
        cand.statut = t.vers
        if t.nom == "deposer":
            cand.deposee_le = utcnow()
        if t.nom == "declarer_non_eligible":
            cand.motif_eligibilite = motif
        if t.nom == "mettre_en_suivi":
            from tet.projets.suivi import ranger_en_fiche

            ranger_en_fiche(a, cand)
        db.session.flush()
    texte = t.message.format(titre=cand.dossier.titre, appel=cand.appel.titre, motif=motif)
    avertir_porteur(cand, texte, f"Appel « {cand.appel.titre} » : {t.label.lower()}")
    if t.nom == "deposer":
        avertir_organisateurs(cand, f"Nouveau dossier déposé : « {cand.dossier.titre} » "
                              f"({cand.dossier.organisation.nom}).",
                              f"Appel « {cand.appel.titre} » : dossier déposé")
    return cand


def _statut(code: str) -> str:
    from tet.projets.models import STATUTS_CANDIDATURE_LABELS

    return STATUTS_CANDIDATURE_LABELS.get(code, code).lower()
