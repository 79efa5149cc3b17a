"""Public information pages, linked from the footer of every page: accessibility statement,
legal notice, personal data, site map and help. Open without signing in."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

bp = Blueprint("informations", __name__)

# pages opened by tests/e2e/test_accessibilite.py (all profiles and without signing in)
PAGES_VERIFIEES = 56


@bp.get("/accessibilite")
def accessibilite():
    return render_template("informations/accessibilite.html", nb_pages=PAGES_VERIFIEES)


@bp.get("/mentions-legales")
def mentions_legales():
    return render_template("informations/mentions_legales.html")


@bp.get("/donnees-personnelles")
def donnees_personnelles():
    return render_template("informations/donnees_personnelles.html")


@bp.get("/plan-du-site")
def plan_du_site():
    return render_template("informations/plan_du_site.html", rubriques=_rubriques())


def _rubriques() -> list[tuple[str, list[tuple[str, str]]]]:
    """The back-office menu the visitor may open: (rubrique, [(page, url)]); empty when not
    signed in."""
    if not current_user.is_authenticated:
        return []
    rubriques = []
    for item in current_app.extensions["tet_admin"].menu():
        if item.is_category():
            pages = [(c.name, c.get_url()) for c in item.get_children()
                     if not c.is_category() and c.is_accessible() and c.is_visible()]
            if pages:
                rubriques.append((item.name, pages))
        elif item.is_accessible() and item.is_visible():
            rubriques.append((item.name, [(item.name, item.get_url())]))
    return rubriques
