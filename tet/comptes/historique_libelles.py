"""Words of the history: the French label of each audited field (per object type), the French
label of each stored code, and which foreign keys name which rows."""
from __future__ import annotations

from tet.comptes.demandes import RATTACHEMENT_STATUTS
from tet.comptes.models import (
    NIVEAUX,
    OPSN_ROLES,
    SOURCES_COLLECTIVITE,
    STATUTS_VALIDATION,
    TYPES_COLLECTIVITE,
)
from tet.indicateurs.models import VALEUR_TYPES
from tet.maturite.models import PRIORITES as PRIORITES_QUESTION
from tet.maturite.models import RECO_NIVEAUX, RECO_STATUTS
from tet.plans.models import (
    BUDGET_NATURES,
    CIBLES,
    PARTICIPATION,
    PLAN_TYPES,
    PRIORITES,
    STATUTS,
    TAG_KINDS,
    TEMPS,
)
from tet.projets.models import choix

# bookkeeping: never shown
MASQUES = {"id", "version", "created_at", "updated_at", "updated_by_id", "created_by_id",
           "session_token", "last_login_at", "stored_name"}

LIBELLES = {
    "nom": "nom", "prenom": "prénom", "email": "e-mail", "titre": "titre",
    "description": "description", "objectifs": "objectifs", "ressources": "moyens humains et "
    "techniques", "statut": "statut", "priorite": "priorité", "date_debut": "date de début",
    "date_fin": "date de fin prévisionnelle", "niveau": "niveau", "role": "rôle",
    "pilotes": "pilotes", "thematiques": "thématiques", "confidentiel": "confidentialité",
    "deleted_at": "mise à la corbeille", "parent_id": "parent", "position": "position",
    "population": "population", "departement": "département", "region": "région",
    "password_hash": "mot de passe", "is_support": "support national", "active": "compte actif",
    "cibles": "cibles", "membres": "communes membres", "supras": "structures supra",
    "collectivite_id": "collectivité", "opsn_id": "OPSN", "user_id": "personne",
    "plan_id": "plan", "fiche_id": "fiche action", "type": "type", "siren": "SIREN",
    "siret": "SIRET", "code_insee": "code INSEE", "source": "origine",
    "niveau2_actif": "niveau 2 du questionnaire", "message": "message", "motif": "motif",
    "demande_par_id": "demandé par", "decide_par_id": "décidé par", "decide_le": "décidé le",
    "email_contact": "e-mail de contact", "email_verifie_le": "e-mail vérifié le",
    "digest_desabonne": "désabonnement du résumé hebdomadaire",
    "digest_envoye_le": "dernier résumé hebdomadaire envoyé le",
    "fonction": "fonction", "amelioration_continue": "action en amélioration continue",
    "temps_mise_en_oeuvre": "temps de mise en œuvre", "participation": "participation "
    "citoyenne", "participation_detail": "détail de la participation citoyenne",
    "financements": "financements", "axes": "emplacements dans les plans", "tags": "étiquettes",
    "referentiel_actions": "actions du référentiel", "indicateurs": "indicateurs",
    "fiches": "fiches", "kind": "sorte", "date": "date", "texte": "texte",
    "auteur_id": "auteur", "url": "adresse", "taille": "taille", "type_mime": "format",
    "ajoute_par_id": "ajouté par", "identifiant": "identifiant", "unite": "unité",
    "thematique": "thématique", "actions": "actions du référentiel",
    "definition_id": "indicateur", "annee": "année", "valeur": "valeur",
    "commentaire": "commentaire", "question_id": "question", "option_code": "réponse",
    "valeur_texte": "réponse (texte)", "valeur_nombre": "réponse (nombre)",
    "recommandation_id": "recommandation", "active_par_opsn": "activée par l'OPSN",
    "version_id": "version du questionnaire", "code": "code",
    "categorie_code": "catégorie", "corps": "texte", "detail": "détail",
    "indicateurs_succes": "indicateurs de succès", "niveau_questionnaire":
    "niveau du questionnaire", "pourquoi": "pourquoi", "etapes": "étapes",
    "effort": "effort", "cout": "coût", "acteurs": "qui agit",
    # appels à projets
    "appel_id": "appel à projets", "libelle": "libellé", "obligatoire": "obligatoire",
    "origine": "origine", "invite_le": "invité le", "accepte_le": "accepté le",
    "organisation_id": "organisation", "porteur_id": "porteur", "referent_nom": "référent",
    "referent_email": "e-mail du référent", "referent_telephone": "téléphone du référent",
    "beneficiaires": "bénéficiaires", "partenaires": "partenaires", "zone_impact":
    "zone d'impact", "stade": "stade", "budget_total": "budget total", "champs_publics":
    "champs publics", "dossier_id": "dossier", "cofinanceur": "cofinanceur",
    "montant": "montant", "acquis": "acquis", "matrice_id": "matrice", "axe_id": "axe",
    "poids": "poids", "candidature_id": "candidature", "membre_id": "membre du comité",
    "choix": "vote", "motivation": "motivation", "reponses": "réponses",
    "montant_demande": "montant demandé", "deposee_le": "déposée le",
    "motif_eligibilite": "motif d'éligibilité", "annee": "année", "regles_eligibilite":
    "règles d'éligibilité", "options_notes": "notes possibles", "seance_ouverte":
    "séance ouverte", "seance_ouverte_le": "séance ouverte le", "copied_from_id":
    "copié de", "territoire": "territoire", "date_prevue": "date prévue",
    "date_atteinte": "date atteinte", "options": "options", "piece_requise_id":
    "pièce demandée", "resultat": "résultat", "quorum_atteint": "quorum atteint",
    "pour": "pour", "contre": "contre", "abstention": "abstentions", "decidee_le":
    "décidée le", "decidee_par_id": "décidée par", "part": "part", "note": "note",
    "justification": "justification", "critere_id": "critère", "categorie": "catégorie",
    "probabilite": "probabilité", "gravite": "gravité", "mesures": "mesures",
    "adresse": "adresse", "code_postal": "code postal", "commune": "commune",
    "impact_id": "impact", "valeur_validee": "valeur validée", "proposee_par_id":
    "proposée par", "validee_par_id": "validée par", "validee_le": "validée le",
    "de_organisateur": "de l'organisateur", "lu_par_porteur_le": "lu par le porteur le",
    "lu_par_organisateur_le": "lu par l'organisateur le", "annee_reference":
    "année de référence", "valeur_reference": "valeur de référence",
    # the fiche's state (``tet.plans.versions_fiche``)
    "liens": "fiches liées", "emplacements": "emplacements dans les plans",
    "financeurs": "financeurs", "budgets": "budget", "referentiel": "actions du référentiel",
}
# where the same column name means something else
LIBELLES_PAR_OBJET = {
    "FicheAction": {"parent_id": "fiche parente", "statut": "statut"},
    "Axe": {"parent_id": "axe parent", "nom": "titre"},
    "Membership": {"niveau": "droits", "statut": "validation"},
    "Collectivite": {"statut": "validation du compte"},
    "Tag": {"kind": "sorte d'étiquette"},
    "Reponse": {"user_id": "répondu par"},
    "IndicateurValeur": {"type": "objectif ou résultat"},
    "ImpactValeur": {"type": "objectif ou résultat"},
    "Etape": {"kind": "étape"},
    "Recommandation": {"niveau": "niveau de recommandation"},
    "MembreComite": {"collectivite_id": "collectivité partenaire"},
    "IndicateurDefinition": {"source": "source", "famille": "famille", "secteur": "secteur",
                             "vecteur": "vecteur", "filiere": "filière",
                             "reglementaire": "indicateur réglementaire du PCAET"},
}

OUI_NON = {"oui": "Oui", "non": "Non", "nsp": "Je ne sais pas"}
CHOIX = {
    "*": {"statut": dict(STATUTS), "priorite": dict(PRIORITES),
          "temps_mise_en_oeuvre": dict(TEMPS), "participation": dict(PARTICIPATION),
          "cibles": dict(CIBLES), "niveau": dict(NIVEAUX), "nature": dict(BUDGET_NATURES)},
    "Plan": {"type": dict(PLAN_TYPES)},
    "Collectivite": {"type": dict(TYPES_COLLECTIVITE), "source": dict(SOURCES_COLLECTIVITE),
                     "statut": dict(STATUTS_VALIDATION)},
    "Membership": {"statut": dict(STATUTS_VALIDATION)},
    "OpsnMembership": {"role": dict(OPSN_ROLES)},
    "OrganisationMembre": {"role": dict(choix.ROLES_ORGANISATION)},
    "Organisation": {"type": dict(choix.TYPES_ORGANISATION)},
    "Rattachement": {"statut": dict(RATTACHEMENT_STATUTS)},
    "DemandeAdhesion": {"statut": dict(RATTACHEMENT_STATUTS)},
    "Tag": {"kind": dict(TAG_KINDS)},
    "IndicateurValeur": {"type": dict(VALEUR_TYPES)},
    "ImpactValeur": {"type": dict(VALEUR_TYPES), "statut": dict(choix.STATUTS_VALEUR)},
    "SuiviRecommandation": {"statut": dict(RECO_STATUTS)},
    "Recommandation": {"niveau": dict(RECO_NIVEAUX)},
    "Question": {"priorite": dict(PRIORITES_QUESTION)},
    "Reponse": {"option_code": OUI_NON},
    "AppelAProjets": {"statut": dict(choix.STATUTS_APPEL)},
    "Etape": {"kind": dict(choix.ETAPES)},
    "MembreComite": {"origine": dict(choix.ORIGINES_COMITE)},
    "Dossier": {"zone_impact": dict(choix.ZONES_IMPACT), "stade": dict(choix.STADES)},
    "Jalon": {"stade": dict(choix.STADES)},
    "Candidature": {"statut": dict(choix.STATUTS_CANDIDATURE)},
    "Risque": {"categorie": dict(choix.CATEGORIES_RISQUE)},
    "Vote": {"choix": dict(choix.CHOIX_VOTE)},
    "Decision": {"resultat": dict(choix.RESULTATS)},
}

# foreign key → the table whose row names it ("parent_id" depends on the object type)
USERS = {"user_id", "auteur_id", "ajoute_par_id", "demande_par_id", "decide_par_id",
         "decidee_par_id", "porteur_id", "proposee_par_id", "validee_par_id"}
CLES = {"collectivite_id": "Collectivite", "opsn_id": "Opsn", "plan_id": "Plan",
        "fiche_id": "FicheAction", "definition_id": "IndicateurDefinition",
        "question_id": "Question", "recommandation_id": "Recommandation",
        "appel_id": "AppelAProjets", "dossier_id": "Dossier", "organisation_id": "Organisation",
        **{k: "User" for k in USERS}}
PARENTS = {"FicheAction": "FicheAction", "Axe": "Axe"}


def libelle(object_type: str, champ: str) -> str:
    return (LIBELLES_PAR_OBJET.get(object_type, {}).get(champ) or LIBELLES.get(champ)
            or champ.replace("_id", "").replace("_", " "))


def choix_de(object_type: str, champ: str) -> dict | None:
    return CHOIX.get(object_type, {}).get(champ) or CHOIX["*"].get(champ)


def cible_de(object_type: str, champ: str) -> str | None:
    """The model (by name) a foreign key column points to, None if not a name to resolve."""
    if champ == "parent_id":
        return PARENTS.get(object_type)
    return CLES.get(champ)
