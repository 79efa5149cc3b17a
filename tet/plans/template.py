"""The downloadable import template (xlsxwriter): instructions, an example plan sheet with
drop-down lists, formats, frozen header, widths and a comment on each column.

The workbook is written in constant-memory mode (``tet.xlsx``), where a row is
final once the next one is started: every sheet here is written row by row, top to bottom.
The drop-down lists live in a hidden sheet, one column per list, each range exactly as long
as its list."""
from __future__ import annotations

from datetime import datetime

from tet.plans.models import PARTICIPATION, PLAN_TYPES, PRIORITES, STATUTS
from tet.plans.format import COLUMNS, FIRST_ROW, HELP, TYPE_ROW, type_line

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
    "11. Un classeur rempli avec le modèle d'import de Territoires en Transitions (titre en "
    "ligne 1, en-tête en ligne 2, consignes en ligne 3) s'importe tel quel, avec ses règles : "
    "une cellule d'axe vide veut dire « sans axe », deux actions du même titre sous le même "
    "axe sont refusées, une sous-action doit avoir la ligne de son action.",
]


# (title on the hidden sheet, column key on the plan sheet or None, values)
LISTS = [
    ("Statut", "statut", [label for _c, label in STATUTS]),
    ("Niveau de priorité", "priorite", [label for _c, label in PRIORITES]),
    ("Participation citoyenne", "participation", [label for _c, label in PARTICIPATION]),
    ("Type de plan", None, [type_line(code) for code, _l in PLAN_TYPES]),
]
LISTS_SHEET = "Listes"
LAST_ROW = 1000


def list_range(index: int) -> str:
    """The absolute range of list ``index`` on the hidden sheet (row 1 is its title)."""
    col = chr(ord("A") + index)
    return f"={LISTS_SHEET}!${col}$2:${col}${len(LISTS[index][2]) + 1}"


def _write_lists(wb) -> None:
    ws = wb.add_worksheet(LISTS_SHEET)
    rows = max(len(values) for _t, _k, values in LISTS) + 1
    for row in range(rows):  # row by row: constant-memory mode drops earlier rows
        for col, (title, _key, values) in enumerate(LISTS):
            if row == 0:
                ws.write_string(0, col, title)
            elif row <= len(values):
                ws.write_string(row, col, values[row - 1])
    ws.hide()


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
    _write_lists(wb)
    ws = wb.add_worksheet("Exemple de plan")
    keys = [key for _h, _w, key in COLUMNS]
    for index, (_title, key, _values) in enumerate(LISTS):
        first, col = (FIRST_ROW + 1, keys.index(key)) if key else (TYPE_ROW, 0)
        ws.data_validation(first, col, LAST_ROW if key else TYPE_ROW, col, {
            "validate": "list", "source": list_range(index),
            "error_title": "Valeur inconnue", "error_message": "Choisissez dans la liste."})
    for key in ("date_debut", "date_fin"):
        col = keys.index(key)
        ws.data_validation(FIRST_ROW + 1, col, LAST_ROW, col, {
            "validate": "date", "criteria": ">", "value": datetime(1990, 1, 1),
            "error_message": "Date au format JJ/MM/AAAA."})
    ws.write_string(TYPE_ROW, 0, type_line("pcaet"))
    for col, (title, width, key) in enumerate(COLUMNS):
        ws.write_string(FIRST_ROW, col, title, header)
        ws.set_column(col, col, width, date_fmt if key.startswith("date") else
                      money if key.startswith("montant") or key == "budget" else None)
        if key in HELP:
            ws.write_comment(FIRST_ROW, col, HELP[key], {"x_scale": 2})
    ws.freeze_panes(FIRST_ROW + 1, 0)
    for i, values in enumerate(EXAMPLE, start=FIRST_ROW + 1):
        for key, value in values.items():
            col = keys.index(key)
            if isinstance(value, datetime):
                ws.write_datetime(i, col, value, date_fmt)
            elif isinstance(value, (int, float)):
                ws.write_number(i, col, value, money)
            else:
                ws.write_string(i, col, value)
