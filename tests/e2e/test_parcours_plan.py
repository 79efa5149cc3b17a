"""Journey 2: the édition member builds a plan (axes, a sous-axe), creates a fiche, files it
in a second plan, reorders the tree by drag-and-drop and by the no-JavaScript buttons,
renames an axe, edits the fiche once and sees the change in both plans."""
from __future__ import annotations

import re

from tests.e2e.parcours import (
    accessibilite, fin, flash, glisser, se_connecter, soumettre, texte, titre)

PARCOURS = "2-plan"
TOP = "#plan-tree > .tet-children > details.tet-axe > summary > strong"


def _axe(page, nom):
    """The tree's ``<details>`` of the axe titled ``nom``."""
    return page.locator(f'details.tet-axe:has(> summary > strong:text-is("{nom}"))')


def _ordre(page):
    return [" ".join(t.split()) for t in page.locator(TOP).all_text_contents()]


def _nouveau_plan(page, server, nom):
    """Create a plan through its form; returns the URL of its tree page."""
    page.goto(server + "/admin/plan/new/")
    page.fill("#nom", nom)
    soumettre(page, page.get_by_role("button", name="Enregistrer", exact=True))
    page.goto(server + "/admin/plan/")
    soumettre(page, page.get_by_role("link", name=nom, exact=True).first)
    if not page.url.endswith("/arbre"):
        page.goto(re.sub(r"/?(\?.*)?$", "", page.url) + "/arbre")
    assert nom in titre(page), page.url
    return page.url


def _ajouter_axe(page, nom):
    page.get_by_label("Titre du nouvel axe").fill(nom)
    soumettre(page, page.get_by_role("button", name="Ajouter un axe"))
    assert _axe(page, nom).count() == 1


def test_construire_un_plan_et_ranger_une_fiche_dans_deux_plans(server, browser):
    page = se_connecter(browser, server, "edition.cc@tet.test")

    # a plan with three axes and a sous-axe
    arbre = _nouveau_plan(page, server, "Plan climat du parcours")
    for nom in ("A. Énergie", "B. Mobilité", "C. Déchets"):
        _ajouter_axe(page, nom)
    assert _ordre(page) == ["A. Énergie", "B. Mobilité", "C. Déchets"]
    soumettre(page, _axe(page, "A. Énergie").get_by_role("link", name="Renommer, déplacer…"))
    accessibilite(page, PARCOURS, "page d'un axe")
    page.get_by_label("Titre du sous-axe").fill("A.1 Rénovation des bâtiments")
    soumettre(page, page.get_by_role("button", name="Ajouter un sous-axe"))
    page.goto(arbre)
    sous_axe = _axe(_axe(page, "A. Énergie"), "A.1 Rénovation des bâtiments")
    assert sous_axe.count() == 1

    # a fiche created in the sous-axe
    soumettre(page, sous_axe.get_by_role("link", name=re.compile(r"Fiche ici$")))
    accessibilite(page, PARCOURS, "nouvelle fiche")
    page.fill("#titre", "Isoler les écoles")
    soumettre(page, page.locator("form.tet-fiche-form").get_by_role(
        "button", name="Enregistrer", exact=True))
    assert "Fiche créée." in flash(page)
    fiche = page.url
    accessibilite(page, PARCOURS, "page de la fiche")

    # a second plan, where the same fiche is filed too
    second = _nouveau_plan(page, server, "Contrat de relance du parcours")
    _ajouter_axe(page, "Équipements scolaires")
    page.goto(fiche)
    soumettre(page, page.get_by_role("link", name="Ranger la fiche"))
    accessibilite(page, PARCOURS, "ranger la fiche")
    page.get_by_label("Équipements scolaires", exact=True).check()
    assert page.get_by_label("A.1 Rénovation des bâtiments", exact=True).is_checked()
    soumettre(page, page.get_by_role("button", name="Enregistrer les emplacements"))
    rangee = page.locator("section", has=page.locator("h5", has_text="Rangée dans"))
    assert "Plan climat du parcours" in texte(rangee)
    assert "Contrat de relance du parcours" in texte(rangee)

    # reorder: the no-JavaScript button, then drag and drop
    page.goto(arbre)
    soumettre(page, _axe(page, "A. Énergie").locator("> .tet-axe-tools").get_by_role(
        "button", name=re.compile(r"Descendre$")))
    assert _ordre(page) == ["B. Mobilité", "A. Énergie", "C. Déchets"]
    glisser(page, _axe(page, "C. Déchets").locator("> summary .tet-drag"),
            _axe(page, "B. Mobilité").locator("> summary .tet-drag"))
    ordre = _ordre(page)
    # dropped on "B.", it lands before it or inside it depending on the pointer
    assert ordre[-1] != "C. Déchets" and ordre != ["B. Mobilité", "A. Énergie", "C. Déchets"]
    assert _axe(page, "C. Déchets").count() == 1
    accessibilite(page, PARCOURS, "arbre du plan")

    # rename an axe
    soumettre(page, _axe(page, "B. Mobilité").locator("> .tet-axe-tools").get_by_role(
        "link", name="Renommer, déplacer…"))
    page.get_by_label("Nouveau titre").fill("B. Mobilités douces")
    soumettre(page, page.get_by_role("button", name="Renommer"))
    assert "Axe renommé." in flash(page)
    page.goto(arbre)
    assert _axe(page, "B. Mobilités douces").count() == 1 and _axe(page, "B. Mobilité").count() == 0

    # one edit of the fiche, seen in both plans
    page.goto(fiche)
    soumettre(page, page.get_by_role("link", name="Modifier", exact=True))
    page.fill("#titre", "Isoler et ventiler les écoles")
    page.select_option("#statut", label="En cours")
    soumettre(page, page.locator("form.tet-fiche-form").get_by_role(
        "button", name="Enregistrer", exact=True))
    for url in (second, arbre):  # the last, screenshotted: the richer tree
        page.goto(url)
        ligne = page.locator("li.tet-fiche", has_text="Isoler et ventiler les écoles")
        assert ligne.count() == 1, url
        assert "En cours" in texte(ligne)
        assert page.locator("li.tet-fiche", has_text="Isoler les écoles").count() == 0
    fin(page, PARCOURS)
