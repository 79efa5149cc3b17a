"""The coded values of the calls for projects, their French labels, and the risk grid."""
from __future__ import annotations

TYPES_ORGANISATION = [("association", "Association"), ("entreprise", "Entreprise"),
                      ("commune", "Commune"), ("organisme_public", "Autre organisme public")]
ROLES_ORGANISATION = [("admin", "Admin"), ("membre", "Membre")]
STATUTS_APPEL = [("brouillon", "Brouillon"), ("ouvert", "Ouvert"), ("clos", "Clos"),
                 ("decide", "Décidé")]
ETAPES = [("depot", "Dépôt"), ("eligibilite", "Éligibilité"), ("priorisation", "Priorisation"),
          ("risques", "Gestion des risques"), ("conventionnement", "Conventionnement"),
          ("suivi", "Suivi")]
ORIGINES_COMITE = [("organisateur", "Organisateur"), ("partenaire", "Collectivité partenaire"),
                   ("expert", "Expert invité")]
ZONES_IMPACT = [("local", "Local"), ("regional", "Régional"), ("national", "National"),
                ("international", "International")]
STADES = [("idee", "Idée"), ("cahier_des_charges", "Cahier des charges"),
          ("prototype", "Prototype"), ("developpement", "Développement"), ("test", "Test"),
          ("production", "Production")]
STATUTS_CANDIDATURE = [
    ("brouillon", "Brouillon"), ("depose", "Déposé"), ("eligible", "Éligible"),
    ("non_eligible", "Non éligible"), ("evalue", "Évalué"), ("retenu", "Retenu"),
    ("non_retenu", "Non retenu"), ("conventionne", "Conventionné"), ("en_suivi", "En suivi"),
]
# the statuts of a project the committee retained (the observatoire shows only these)
STATUTS_RETENUS = ("retenu", "conventionne", "en_suivi")
CATEGORIES_RISQUE = [
    ("technique", "Technique"), ("organisationnel", "Organisationnel"),
    ("rh", "Ressources humaines"), ("planification", "Planification"), ("moyens", "Moyens"),
    ("contractuel", "Contractuel"), ("juridique", "Juridique"), ("financier", "Financier"),
    ("environnemental", "Environnemental"), ("acceptabilite", "Acceptabilité sociale"),
]
CHOIX_VOTE = [("pour", "Pour"), ("contre", "Contre"), ("abstention", "Abstention")]
RESULTATS = [("retenu", "Retenu"), ("non_retenu", "Non retenu")]
STATUTS_VALEUR = [("proposee", "Proposée"), ("validee", "Validée"), ("refusee", "Refusée")]
OPTIONS_NOTES = [1, 3, 5]  # default scoring options of a call
# the fields of a dossier its holder may mark public for the observatoire (the title, the
# organisation, the stage, the axe and the statut of a retained project are always public)
CHAMPS_PUBLICS = [("description", "Description"), ("objectifs", "Objectifs"),
                  ("beneficiaires", "Bénéficiaires"), ("partenaires", "Partenaires"),
                  ("zone_impact", "Zone d'impact"), ("budget_total", "Budget total")]

TYPES_ORGANISATION_LABELS = dict(TYPES_ORGANISATION)
STATUTS_APPEL_LABELS = dict(STATUTS_APPEL)
ETAPES_LABELS = dict(ETAPES)
ORIGINES_COMITE_LABELS = dict(ORIGINES_COMITE)
ZONES_IMPACT_LABELS = dict(ZONES_IMPACT)
STADES_LABELS = dict(STADES)
STATUTS_CANDIDATURE_LABELS = dict(STATUTS_CANDIDATURE)
CATEGORIES_RISQUE_LABELS = dict(CATEGORIES_RISQUE)
CHOIX_VOTE_LABELS = dict(CHOIX_VOTE)
STATUTS_VALEUR_LABELS = dict(STATUTS_VALEUR)


def couleur_risque(probabilite: int, gravite: int) -> str:
    """The cell colour of the 4 × 4 grid, from the criticité p × g (1 to 16):
    vert 1–2, jaune 3–4, orange 6–8, rouge 9–16 (a certain or grave risk is never green)."""
    c = probabilite * gravite
    return "vert" if c <= 2 else "jaune" if c <= 4 else "orange" if c <= 8 else "rouge"


def _in(column: str, choices) -> str:
    return f"{column} IN ({', '.join(repr(k) for k, _ in choices)})"
