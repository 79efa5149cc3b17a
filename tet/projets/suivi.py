"""Suivi of a retained project: its fiche action in the organiser's plan, and its impact
indicators.

- The fiche: created once (``ranger_en_fiche``, when the candidature goes *en suivi*) in the
  organiser's plan « Projets retenus — <appel> » (created with the call's axes as its axes
  the first time), under the axe of the candidature. It is **linked** to the candidature
  (``Candidature.fiche_id``), not a copy of the dossier: it carries a title and a pointer;
  the dossier stays the holder's, the fiche the collectivité's (its pilotes, notes, budget).
- Impact indicators: definitions of the indicators module (the national catalogue or the
  organiser's personnalisés), each with a reference year and value (``Impact``), also
  attached to the fiche (``FicheAction.indicateurs``). Yearly objectif / résultat values are
  proposed by the holder and validated (or refused) by the organiser (``ImpactValeur``):
  they are the project's own, kept apart from the collectivité's territory-wide
  ``IndicateurValeur`` (one per collectivité × indicateur × année × type, which a project's
  figure must not overwrite). The observatoire sums validated values only.
"""
from __future__ import annotations

from sqlalchemy import select

from tet.colonnes import utcnow
from tet.extensions import db
from tet.indicateurs import valeurs
from tet.indicateurs.models import IndicateurDefinition
from tet.plans import arbre
from tet.plans.models import Axe, FicheAction, Plan
from tet.projets.commun import Refus, avertir_organisateurs, avertir_porteur, exiger, journal
from tet.projets.models import STATUTS_RETENUS, Candidature, Impact, ImpactValeur
from tet.projets.permissions import est_porteur, gere_appel
from tet.verrous import LIBRE, verifier

PLAN_PREFIXE = "Projets retenus — "


def plan_des_retenus(cand: Candidature) -> Plan:
    """The organiser's plan of the call's retained projects (created the first time)."""
    appel = cand.appel
    nom = (PLAN_PREFIXE + appel.titre)[:300]
    plan = db.session.scalar(select(Plan).where(
        Plan.collectivite_id == appel.collectivite_id, Plan.nom == nom,
        Plan.deleted_at.is_(None)).order_by(Plan.id).limit(1))
    if plan is None:
        plan = arbre.create_plan(appel.collectivite_id, nom, "autre",
                                description=f"Projets retenus par le comité de l'appel "
                                            f"« {appel.titre} ».")
        for axe in appel.axes:
            arbre.add_axe(plan, axe.nom)
    return plan


def ranger_en_fiche(a, cand: Candidature) -> FicheAction:
    """The fiche action of a retained project in the organiser's plan (idempotent)."""
    if cand.fiche_id is not None:
        return cand.fiche
    exiger(cand.appel.collectivite_id is not None,
           "Un appel national n'a pas de plan où ranger la fiche action.")
    plan = plan_des_retenus(cand)
    dossier = cand.dossier
    fiche = FicheAction(
        collectivite_id=plan.collectivite_id, titre=dossier.titre[:300], statut="en_cours",
        confidentiel=dossier.confidentiel, cibles=[], created_by_id=a.user.id,
        description=f"Projet porté par {dossier.organisation.nom}, retenu par le comité de "
                    f"l'appel « {cand.appel.titre} » (dossier n°{dossier.id}).")
    nom_axe = cand.axe.nom if cand.axe is not None else None
    axe = db.session.scalar(select(Axe).where(Axe.plan_id == plan.id, Axe.nom == nom_axe,
                                              Axe.parent_id.is_not(None)).limit(1)) \
        if nom_axe else None
    fiche.axes = [axe or arbre.root_of(plan)]
    db.session.add(fiche)
    db.session.flush()
    cand.fiche_id = fiche.id
    return fiche


def _retenue(cand: Candidature) -> None:
    exiger(cand.statut in STATUTS_RETENUS,
           "Seuls les projets retenus ont des indicateurs d'impact.")


def ajouter_impact(a, cand: Candidature, definition: IndicateurDefinition, annee_reference,
                   valeur_reference=None) -> Impact:
    """Attach an indicator to a retained project (its holder or its organiser)."""
    exiger(est_porteur(a, cand.dossier) or gere_appel(a, cand.appel),
           "Seuls le porteur et l'organisateur choisissent les indicateurs d'impact.")
    _retenue(cand)
    exiger(definition.collectivite_id in (None, cand.appel.collectivite_id),
           "Cet indicateur personnalisé appartient à une autre collectivité.")
    try:
        annee = valeurs.check_annee(annee_reference)
        reference = valeurs.parse_valeur(valeur_reference)
    except valeurs.ValeurError as exc:
        raise Refus(str(exc)) from None
    exiger(db.session.scalar(select(Impact.id).where(
        Impact.candidature_id == cand.id, Impact.definition_id == definition.id)) is None,
        "Cet indicateur suit déjà ce projet.")
    with journal(a, f"Suivi : indicateur d'impact de la candidature n°{cand.id}"):
        impact = Impact(candidature_id=cand.id, definition_id=definition.id,
                        annee_reference=annee, valeur_reference=reference)
        db.session.add(impact)
        if cand.fiche is not None and definition not in cand.fiche.indicateurs:
            cand.fiche.indicateurs.append(definition)
        db.session.flush()
    return impact


def proposer_valeur(a, impact: Impact, annee, type_: str, valeur,
                    commentaire: str | None = None, version=LIBRE) -> ImpactValeur:
    """The holder proposes (or corrects) a yearly objectif or résultat; it waits for the
    organiser's validation (the last validated value stays in force until then)."""
    cand = db.session.get(Candidature, impact.candidature_id)
    exiger(est_porteur(a, cand.dossier), "Seul le porteur du projet propose ses valeurs.")
    _retenue(cand)
    exiger(type_ in ("objectif", "resultat"), "Type de valeur inconnu (objectif ou résultat).")
    try:
        annee = valeurs.check_annee(annee)
        nombre = valeurs.parse_valeur(valeur)
    except valeurs.ValeurError as exc:
        raise Refus(str(exc)) from None
    exiger(nombre is not None, "Indiquez la valeur.")
    row = db.session.scalar(select(ImpactValeur).where(
        ImpactValeur.impact_id == impact.id, ImpactValeur.annee == annee,
        ImpactValeur.type == type_))
    with journal(a, f"Suivi : valeur proposée ({impact.definition.nom})"):
        if row is None:
            row = ImpactValeur(impact_id=impact.id, annee=annee, type=type_)
            db.session.add(row)
        else:
            verifier(row, version)
        row.valeur, row.statut = nombre, "proposee"
        row.commentaire = (commentaire or "").strip() or None
        row.proposee_par_id = a.user.id
        db.session.flush()
    avertir_organisateurs(cand, f"{cand.dossier.organisation.nom} propose une valeur pour "
                          f"« {impact.definition.nom} » ({annee}) : à valider.",
                          f"Suivi du projet « {cand.dossier.titre} »")
    return row


def valider_valeur(a, row: ImpactValeur, accepter: bool, commentaire: str | None = None,
                   version=LIBRE) -> ImpactValeur:
    """The organiser validates (the value becomes the one in force) or refuses it."""
    cand = db.session.get(Candidature, row.impact.candidature_id)
    exiger(gere_appel(a, cand.appel), "Seul l'organisateur de l'appel valide les valeurs.")
    exiger(row.statut == "proposee", "Cette valeur n'attend pas de validation.")
    exiger(accepter or (commentaire or "").strip(), "Indiquez la raison du refus.")
    verifier(row, version)
    with journal(a, "Suivi : valeur " + ("validée" if accepter else "refusée")):
        row.statut = "validee" if accepter else "refusee"
        if accepter:
            row.valeur_validee = row.valeur
        if commentaire:
            row.commentaire = commentaire.strip()
        row.validee_par_id, row.validee_le = a.user.id, utcnow()
        db.session.flush()
    verdict = "validée" if accepter else "refusée"
    avertir_porteur(cand, f"Votre valeur {row.annee} de « {row.impact.definition.nom} » est "
                    f"{verdict}." + (f" {commentaire.strip()}" if commentaire else ""),
                    f"Suivi du projet « {cand.dossier.titre} »")
    return row
