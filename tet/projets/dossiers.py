"""Dossiers (one per project, reused from call to call) and their candidatures.

The holder edits its dossier while none of its candidatures is under instruction (déposé,
éligible, évalué: what the committee reads must not move), and a candidature while it is a
brouillon. Risks, financing lines and planned stage dates follow the dossier's rule.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from tet.extensions import db
from tet.projets.commun import Refus, exiger, journal, texte_de
from tet.projets.models import (
    CATEGORIES_RISQUE_LABELS,
    CHAMPS_PUBLICS,
    STADES_LABELS,
    ZONES_IMPACT_LABELS,
    AppelAProjets,
    AxeAppel,
    Candidature,
    Dossier,
    Financement,
    Jalon,
    Risque,
)
from tet.projets.permissions import (
    est_porteur,
    peut_modifier_candidature,
    peut_modifier_dossier,
)
from tet.verrous import LIBRE, verifier

TEXTES = ("titre", "description", "objectifs", "beneficiaires", "partenaires",
          "referent_nom", "referent_email", "referent_telephone", "departement")
MONTANT_MAX = Decimal("999999999999.99")
DEPARTEMENT = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|9[78]\d)$")
VERROU = ("Le dossier est en cours d'instruction pour un appel : il n'est plus modifiable "
          "jusqu'à la décision.")


def montant(value, libelle: str = "Le montant") -> Decimal | None:
    """A finite, non-negative amount in euros with two decimals (None when empty)."""
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise Refus(f"{libelle} doit être un nombre.") from None
    exiger(d.is_finite() and 0 <= d <= MONTANT_MAX, f"{libelle} doit être un nombre positif.")
    return d.quantize(Decimal("0.01"))


def _appliquer(dossier: Dossier, champs: dict) -> None:
    for key in TEXTES:
        if key in champs:
            setattr(dossier, key, texte_de(dossier, key, champs[key]))
    exiger(dossier.titre, "Le titre du projet est obligatoire.")
    exiger(dossier.departement is None or DEPARTEMENT.match(dossier.departement),
           "Le département est un code : 01 à 95, 2A, 2B ou 971 à 989.")
    if "zone_impact" in champs:
        exiger(champs["zone_impact"] in ZONES_IMPACT_LABELS, "Zone d'impact inconnue.")
        dossier.zone_impact = champs["zone_impact"]
    if "stade" in champs:
        exiger(champs["stade"] in STADES_LABELS, "Stade de maturité inconnu.")
        dossier.stade = champs["stade"]
    if "budget_total" in champs:
        dossier.budget_total = montant(champs["budget_total"], "Le budget total")
    if "confidentiel" in champs:
        dossier.confidentiel = bool(champs["confidentiel"])
    if "champs_publics" in champs:
        connus = dict(CHAMPS_PUBLICS)
        publics = list(champs["champs_publics"] or [])
        exiger(all(c in connus for c in publics), "Champ public inconnu.")
        dossier.champs_publics = [c for c in connus if c in publics]


def creer(a, champs: dict) -> Dossier:
    """A new dossier of the organisation the acteur acts for."""
    exiger(a.organisation_id is not None,
           "Un dossier se crée au nom d'une organisation porteuse de projets.")
    dossier = Dossier(organisation_id=a.organisation_id, porteur_id=a.user.id,
                      champs_publics=[])
    _appliquer(dossier, {"zone_impact": "local", "stade": "idee", **champs})
    if dossier.departement is None:
        from tet.projets.models import Organisation

        dossier.departement = db.session.get(Organisation, a.organisation_id).departement
    with journal(a, "Dossier de projet : création"):
        db.session.add(dossier)
        db.session.flush()
    return dossier


def exiger_modifiable(a, dossier: Dossier) -> None:
    exiger(est_porteur(a, dossier), "Seul le porteur du dossier le modifie.")
    exiger(peut_modifier_dossier(a, dossier), VERROU)


def modifier(a, dossier: Dossier, champs: dict, version=LIBRE) -> Dossier:
    exiger_modifiable(a, dossier)
    verifier(dossier, version)
    with journal(a, "Dossier de projet : modification"):
        _appliquer(dossier, champs)
        db.session.flush()
    return dossier


def ajouter_risque(a, dossier: Dossier, categorie: str, libelle: str, probabilite,
                   gravite, mesures: str | None = None) -> Risque:
    exiger_modifiable(a, dossier)
    exiger(categorie in CATEGORIES_RISQUE_LABELS, "Catégorie de risque inconnue.")
    exiger((libelle or "").strip(), "Décrivez le risque.")
    try:
        p, g = int(probabilite), int(gravite)
    except (TypeError, ValueError):
        raise Refus("La probabilité et la gravité se notent de 1 à 4.") from None
    exiger(1 <= p <= 4 and 1 <= g <= 4, "La probabilité et la gravité se notent de 1 à 4.")
    with journal(a, "Dossier de projet : ajout d'un risque"):
        risque = Risque(dossier_id=dossier.id, categorie=categorie, libelle=libelle.strip(),
                        probabilite=p, gravite=g, mesures=(mesures or "").strip() or None)
        db.session.add(risque)
        db.session.flush()
    return risque


def ajouter_financement(a, dossier: Dossier, cofinanceur: str, valeur,
                        acquis: bool = False) -> Financement:
    exiger_modifiable(a, dossier)
    exiger((cofinanceur or "").strip(), "Nommez le co-financeur.")
    somme = montant(valeur)
    exiger(somme is not None, "Indiquez le montant.")
    with journal(a, "Dossier de projet : ajout d'un financement"):
        ligne = Financement(dossier_id=dossier.id, cofinanceur=cofinanceur.strip()[:200],
                            montant=somme, acquis=bool(acquis))
        db.session.add(ligne)
        db.session.flush()
    return ligne


def supprimer_ligne(a, ligne) -> None:
    """Remove a risk, a financing line or a stage date of a dossier."""
    exiger_modifiable(a, ligne.dossier)
    with journal(a, "Dossier de projet : suppression d'une ligne"):
        db.session.delete(ligne)
        db.session.flush()


def planifier(a, dossier: Dossier, stade: str, date_prevue: date | None,
              date_atteinte: date | None = None) -> Jalon:
    """Set the planned (and reached) date of a maturity stage."""
    exiger_modifiable(a, dossier)
    exiger(stade in STADES_LABELS, "Stade de maturité inconnu.")
    jalon = next((j for j in dossier.jalons if j.stade == stade), None)
    with journal(a, "Dossier de projet : calendrier"):
        if jalon is None:
            jalon = Jalon(dossier_id=dossier.id, stade=stade)
            db.session.add(jalon)
        jalon.date_prevue, jalon.date_atteinte = date_prevue, date_atteinte
        db.session.flush()
    return jalon


def plan_de_financement(dossier: Dossier) -> dict:
    """Totals in SQL: co-financed, of which acquired, and what remains of the budget."""
    total, acquis = db.session.execute(
        select(func.coalesce(func.sum(Financement.montant), 0),
               func.coalesce(func.sum(Financement.montant).filter(
                   Financement.acquis.is_(True)), 0))
        .where(Financement.dossier_id == dossier.id)).one()
    total, acquis = Decimal(total), Decimal(acquis)
    reste = None if dossier.budget_total is None else dossier.budget_total - total
    return {"cofinance": total, "acquis": acquis, "reste": reste}


def candidater(a, dossier: Dossier, appel: AppelAProjets) -> Candidature:
    """The dossier answers another call: a new draft candidature, its answers separate."""
    exiger(est_porteur(a, dossier), "Seul le porteur du dossier le présente à un appel.")
    exiger(appel.statut == "ouvert", "Cet appel n'est pas ouvert aux candidatures.")
    exiger(db.session.scalar(select(Candidature.id).where(
        Candidature.dossier_id == dossier.id, Candidature.appel_id == appel.id)) is None,
        "Ce dossier répond déjà à cet appel.")
    with journal(a, f"Candidature à l'appel n°{appel.id}"):
        cand = Candidature(dossier_id=dossier.id, appel_id=appel.id, reponses={})
        db.session.add(cand)
        db.session.flush()
    return cand


def modifier_candidature(a, cand: Candidature, champs: dict, version=LIBRE) -> Candidature:
    """The answers to one call: axe, motivation, amount asked, free answers."""
    exiger(est_porteur(a, cand.dossier), "Seul le porteur du dossier modifie sa candidature.")
    exiger(peut_modifier_candidature(a, cand),
           "La candidature est déposée : elle n'est plus modifiable par le porteur.")
    verifier(cand, version)
    with journal(a, "Candidature : modification"):
        if "axe_id" in champs:
            axe_id = champs["axe_id"] or None
            exiger(axe_id is None or db.session.scalar(select(AxeAppel.id).where(
                AxeAppel.id == axe_id, AxeAppel.appel_id == cand.appel_id)),
                "Cet axe n'est pas un axe de l'appel.")
            cand.axe_id = axe_id
        if "motivation" in champs:
            cand.motivation = (champs["motivation"] or "").strip() or None
        if "montant_demande" in champs:
            cand.montant_demande = montant(champs["montant_demande"], "Le montant demandé")
        if "reponses" in champs:
            reponses = champs["reponses"] or {}
            exiger(isinstance(reponses, dict) and all(
                isinstance(k, str) and isinstance(v, str) and len(v) <= 20000
                for k, v in reponses.items()), "Réponses invalides.")
            cand.reponses = dict(reponses)
        db.session.flush()
    return cand

