"""The plan workbook format (fiche-action.md, "The import workbook"): one shared column
list for the template, the export and the import."""
from __future__ import annotations

import re
import unicodedata

from tet.plans.models import PLAN_TYPES

# (header, width, key) — the import header row, in this order
COLUMNS = [
    ("Axe (x)", 28, "axe1"), ("Sous-axe (x.x)", 28, "axe2"),
    ("Sous-sous-axe (x.x.x)", 28, "axe3"), ("Titre de l'action", 45, "titre"),
    ("Titre de la sous-action", 40, "sous_titre"), ("Descriptif", 50, "description"),
    ("Instances de gouvernance", 25, "instance"), ("Objectifs", 40, "objectifs"),
    ("Indicateurs liés", 30, "indicateurs"), ("Structure pilote", 25, "structure"),
    ("Moyens humains et techniques", 30, "ressources"), ("Partenaires", 25, "partenaire"),
    ("Direction ou service pilote", 25, "service"), ("Personne pilote", 25, "personne"),
    ("Élu·e référent·e", 25, "elu"), ("Participation citoyenne", 22, "participation"),
    ("Financements", 30, "financements"),
    ("Financeur 1", 22, "financeur1"), ("Montant € HT", 14, "montant1"),
    ("Financeur 2", 22, "financeur2"), ("Montant € HT", 14, "montant2"),
    ("Financeur 3", 22, "financeur3"), ("Montant € HT", 14, "montant3"),
    ("Budget prévisionnel total € HT", 18, "budget"), ("Statut", 14, "statut"),
    ("Niveau de priorité", 14, "priorite"), ("Date de début", 13, "date_debut"),
    ("Date de fin", 13, "date_fin"), ("Action en amélioration continue", 14, "continue"),
]
# informational columns the export adds after the import ones (ignored on import)
EXTRA = [
    ("Thématiques", 30), ("Tags de suivi", 25), ("Confidentielle", 12),
    ("Temps de mise en œuvre", 16), ("Cibles", 30), ("Notes de suivi", 50),
    ("Actions du référentiel", 25), ("Fiches liées", 30), ("Documents", 30),
    ("Créée le", 12), ("Modifiée le", 12),
]
HELP = {
    "axe1": "Premier niveau de l'arborescence du plan.",
    "titre": "Obligatoire, 300 caractères au plus. Le même titre sous le même axe = une seule fiche.",
    "sous_titre": "Facultatif : crée une sous-action de l'action de la ligne.",
    "personne": "Nom d'un membre de la collectivité, ou d'une autre personne (créée comme étiquette).",
    "statut": "À venir, En cours, Réalisé, En pause, Abandonné, Bloqué, En retard, À discuter.",
    "priorite": "Élevé, Moyen ou Bas.",
    "date_debut": "Date JJ/MM/AAAA.",
    "montant1": "Montant positif en euros HT.",
    "continue": "Oui si l'action se répète tous les ans.",
    "instance": "Plusieurs valeurs séparées par des virgules.",
}


def normalise(text) -> str:
    """Lower case, no accents, single spaces: for tolerant matching of headers and values."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("·", "").replace("’", "'")
    return " ".join(text.split())


TYPE_PREFIX = "Type : "
TYPE_ROW = 0  # the type line sits in A1, above the header (template and export)
FIRST_ROW = 2  # the header row (0-based) under the type line and a blank row


def type_line(code: str) -> str:
    """The cell stating a plan's type, e.g. « Type : PCAET »."""
    return TYPE_PREFIX + dict(PLAN_TYPES).get(code, dict(PLAN_TYPES)["autre"])


# Other names of each type: Territoires en Transitions' own labels (its import form and
# exports), with and without their detail, and the usual acronyms.
TYPE_NOMS = {
    "projet_territoire": ["Projet de Territoire", "Agenda 2030"],
    "cot": ["Plan de Transition Écologique", "COT", "Territoire engagé"],
    "crte": ["Plan CTE/CRTE", "CRTE", "CTE"],
    "pcaet": ["Plan Climat Air Énergie Territorial", "PCAET"],
    "plpdma": ["Plan Économie Circulaire & Déchets", "PLPDMA"],
    "snr": ["SNR"],
    "autre": ["Autre transverse", "Autre"],
    "urbanisme": ["Plan Urbanisme/habitat"],
    "energies": ["Plan Energies", "TEPOS"],
    "batiment": ["Plan Bâtiment"],
    "mobilite": ["Plan Mobilité"],
    "pat": ["Plan Agriculture/Alimentation", "PAT"],
    "eau": ["Plan Eau"],
    "biodiversite": ["Plan Biodiversité"],
    "air": ["Plan de protection de l'atmosphère (incluant Plans qualité de l'air)",
            "Plan de protection de l'atmosphère", "Plan qualité de l'air"],
    "spaser": ["SPASER"],
    "autre_thematique": ["Autre thématique"],
}


def _noms_de_type() -> dict[str, str]:
    """normalised name → code: our labels (whole and before « ( »), TeT's, the codes."""
    noms: dict[str, str] = {}
    for code, label in PLAN_TYPES:
        for nom in [label, label.split(" (")[0], code, *TYPE_NOMS.get(code, [])]:
            noms.setdefault(" ".join(normalise(nom).replace("/", " / ").split()), code)
    return noms


NOMS_DE_TYPE = _noms_de_type()


def type_nomme(text) -> str | None:
    """The type code a label names exactly (ours, TeT's or an acronym), else None."""
    return NOMS_DE_TYPE.get(" ".join(normalise(text).replace("/", " / ").split()))


def parse_type_line(text) -> str | None:
    """The type code a « Type : … » cell states (label, short label or code), else None."""
    match = re.match(r"type(?: de plan)?\s*:\s*(.+)$", normalise(text))
    if not match:
        return None
    return type_nomme(match.group(1).strip())
