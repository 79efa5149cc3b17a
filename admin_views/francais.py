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


# Flask-Admin's own flash messages (written by its views in Python, with its catalogue):
# read back in the project's words when the page shows them.
FLASHES = {
    "Record was successfully created.": "Élément créé.",
    "Record was successfully saved.": "Modifications enregistrées.",
    "Record does not exist.": "Cet élément n’existe pas ou plus.",
    "Failed to create record.": "L’élément n’a pas pu être créé.",
    "Failed to save record.": "Les modifications n’ont pas pu être enregistrées.",
}
DELETED = ("Record was successfully deleted.", "%(count)s records were successfully deleted.")


def _reworded(message: str) -> str:
    for msgid, ours in FLASHES.items():
        if message in (msgid, babel.gettext(msgid)):
            return ours
    if message in (DELETED[0], babel.ngettext(*DELETED, 1)):
        return "Élément supprimé."
    theirs = re.escape(babel.ngettext(*DELETED, 2, count=999_999)).replace("999999", r"(\d+)")
    found = re.fullmatch(theirs, message)
    if found:
        return f"{found.group(1)} éléments supprimés."
    return message


def get_flashed_messages(with_categories: bool = False, category_filter=()):
    """``flask.get_flashed_messages`` with Flask-Admin's messages in the project's words."""
    from flask import get_flashed_messages as flashed

    messages = flashed(with_categories, category_filter)
    if with_categories:
        return [(category, _reworded(str(m))) for category, m in messages]
    return [_reworded(str(m)) for m in messages]
