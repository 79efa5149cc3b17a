"""The downloadable import template (xlsxwriter): instructions, an example plan sheet with
drop-down lists, formats, frozen header, widths and a comment on each column."""
from __future__ import annotations

from datetime import datetime

from tet.models.plans import PARTICIPATION, PLAN_TYPES, PRIORITES, STATUTS
from tet.services.plan_format import COLUMNS, HELP

EXAMPLE = [
    {"axe1": "1. Bâtiments", "axe2": "1.1 Patrimoine public",
     "titre": "Rénover l'isolation des écoles", "description": "Isolation des combles et des murs.",
     "service": "Service patrimoine", "personne": "Prénom Nom", "statut": "En cours",
     "priorite": "Élevé", "date_debut": datetime(2025, 1, 1), "date_fin": datetime(2027, 6, 30),
     "financeur1": "ADEME", "montant1": 15000, "budget": 120000},
    {"axe1": "1. Bâtiments", "axe2": "1.1 Patrimoine public",
     "titre": "Rénover l'isolation des écoles", "sous_titre": "Audit énergétique des écoles",
     "statut": "Réalisé", "priorite": "Moyen"},
    {"axe1": "2. Mobilité", "titre": "Créer une vélo-école", "partenaire": "Association locale",
     "statut": "À venir", "priorite": "Bas", "continue": "Oui"},
]
INSTRUCTIONS = [
    "Mode d'emploi du modèle d'import des plans d'action",
    "",
    "1. Remplissez une feuille par plan : le nom de la feuille devient le nom du plan.",
    "2. Vous pouvez indiquer le type du plan dans une cellule au-dessus du tableau "
    "(ex. « Type : PCAET »).",
    "3. Ne modifiez pas la ligne d'en-tête ; l'ordre des colonnes est libre, aucune n'est "
    "obligatoire sauf « Titre de l'action ».",
    "4. Répétez les noms d'axes sur chaque ligne (ou fusionnez les cellules) : une cellule "
    "d'axe vide reprend la valeur de la ligne du dessus.",
    "5. Le même titre sous le même axe est une seule fiche ; une fiche rangée sous deux axes "
    "apparaît sur deux lignes.",
    "6. Listes : plusieurs valeurs séparées par des virgules. Dates au format JJ/MM/AAAA. "
    "Montants positifs, en euros HT.",
    "7. Statut : " + ", ".join(label for _c, label in STATUTS) + ".",
    "8. Niveau de priorité : " + ", ".join(label for _c, label in PRIORITES) + ".",
    "9. Importer de nouveau le même classeur met à jour les fiches existantes (même titre) "
    "sans créer de doublons.",
    "10. Avant tout enregistrement, un aperçu liste chaque problème avec sa feuille, sa ligne "
    "et sa colonne ; s'il reste une erreur, rien n'est importé.",
]


def build_template(wb) -> None:
    bold = wb.add_format({"bold": True, "font_size": 14})
    header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                            "text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    money = wb.add_format({"num_format": "# ##0.00 €"})
    help_ws = wb.add_worksheet("Mode d'emploi")
    help_ws.set_column(0, 0, 120)
    for i, line in enumerate(INSTRUCTIONS):
        help_ws.write_string(i, 0, line, bold if i == 0 else None)
    lists = wb.add_worksheet("Listes")
    for col, (title, values) in enumerate((("Statut", STATUTS), ("Priorité", PRIORITES),
                                           ("Participation", PARTICIPATION),
                                           ("Type de plan", PLAN_TYPES))):
        lists.write_string(0, col, title)
        for row, (_code, label) in enumerate(values, start=1):
            lists.write_string(row, col, label)
    lists.hide()
    ws = wb.add_worksheet("Exemple de plan")
    ws.write_string(0, 0, "Type : PCAET")
    ws.data_validation(0, 0, 0, 0, {"validate": "list", "source": [
        f"Type : {label}" for _c, label in PLAN_TYPES if len(label) < 30]})
    keys = [key for _h, _w, key in COLUMNS]
    for col, (title, width, key) in enumerate(COLUMNS):
        ws.write_string(2, col, title, header)
        ws.set_column(col, col, width, date_fmt if key.startswith("date") else
                      money if key.startswith("montant") or key == "budget" else None)
        if key in HELP:
            ws.write_comment(2, col, HELP[key], {"x_scale": 2})
    ws.freeze_panes(3, 0)
    last = 1000
    for key, list_col, n in (("statut", "A", len(STATUTS)), ("priorite", "B", len(PRIORITES)),
                             ("participation", "C", len(PARTICIPATION))):
        col = keys.index(key)
        ws.data_validation(3, col, last, col, {
            "validate": "list", "source": f"=Listes!${list_col}$2:${list_col}${n + 1}",
            "error_title": "Valeur inconnue", "error_message": "Choisissez dans la liste."})
    for key in ("date_debut", "date_fin"):
        col = keys.index(key)
        ws.data_validation(3, col, last, col, {
            "validate": "date", "criteria": ">", "value": datetime(1990, 1, 1),
            "error_message": "Date au format JJ/MM/AAAA."})
    for i, values in enumerate(EXAMPLE, start=3):
        for key, value in values.items():
            col = keys.index(key)
            if isinstance(value, datetime):
                ws.write_datetime(i, col, value, date_fmt)
            elif isinstance(value, (int, float)):
                ws.write_number(i, col, value, money)
            else:
                ws.write_string(i, col, value)
