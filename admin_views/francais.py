"""Flask-Admin's own words in French as the rest of the site says them.

Flask-Admin's French catalogue (Babel domain ``admin``, locale ``fr``) is used; a few of its
entries are stiff or wrong (« Afficher L'enregistrement », « Export », « 50 articles ») and
its page-size menu has no entry at all (« 20 items »). Its templates get these functions as
``_gettext`` / ``_ngettext`` (``AccessMixin.render``): a correction here, else its catalogue.
"""
from __future__ import annotations

import re

from flask_admin import babel

CORRECTIONS = {
    "Are you sure you want to delete this record?": "Voulez-vous vraiment supprimer cet élément ?",
    "Create New Record": "Créer un nouvel élément",
    "Delete Record": "Supprimer",
    "Delete?": "Supprimer ?",
    "Edit": "Modifier",
    "Edit Record": "Modifier",
    "Export": "Exporter",
    "Filter": "Filtrer",
    "Please select at least one record.": "Sélectionnez au moins une ligne.",
    "Rename File": "Renommer le fichier",
    "Reset Filters": "Retirer les filtres",
    "Save and Add Another": "Enregistrer et en ajouter un autre",
    "Save and Continue Editing": "Enregistrer et continuer",
    "Search": "Rechercher",
    "Select all records": "Tout sélectionner",
    "Select record": "Sélectionner la ligne",
    "View Record": "Voir le détail",
    "items": "par page",
}
_PAGE_SIZE = re.compile(r"^(\d+) items?$")


def gettext(string: str, **variables) -> str:
    if string in CORRECTIONS:
        text = CORRECTIONS[string]
        return text % variables if variables else text
    return babel.gettext(string, **variables)


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    if _PAGE_SIZE.match(singular):  # the page-size menu: « 20 par page »
        return f"{num} par page"
    return babel.ngettext(singular, plural, num, **variables)
