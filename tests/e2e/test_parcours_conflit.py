"""Journey 6: two editors change the same fiche at the same time; the second one to save is
shown what changed meanwhile and completes a field-by-field merge."""
from __future__ import annotations

from tests.e2e.navigateur import capture
from tests.e2e.parcours import accessibilite, fin, se_connecter, soumettre, texte, titre

PARCOURS = "6-conflit"
FICHE_FORM = "form.tet-fiche-form"


def _enregistrer(page):
    soumettre(page, page.locator(FICHE_FORM).get_by_role("button", name="Enregistrer", exact=True))


def test_deux_editeurs_et_la_fusion(server, browser):
    premiere = se_connecter(browser, server, "edition.cc@tet.test", path="/admin/plan/")
    premiere.goto(server + premiere.locator("a[href*='/arbre']").first.get_attribute("href"))
    fiche = premiere.locator("li.tet-fiche a").first.get_attribute("href")
    nom = texte(premiere.locator("li.tet-fiche a").first)
    seconde = se_connecter(browser, server, "admin.cc@tet.test", path=fiche)

    # both open the form of the same fiche
    for page in (premiere, seconde):
        page.goto(server + fiche)
        soumettre(page, page.get_by_role("link", name="Modifier", exact=True))
        assert page.input_value("#titre") == nom
    # the first changes the title and the statut, and saves
    premiere.fill("#titre", nom + " (version A)")
    premiere.select_option("#statut", label="En pause")
    _enregistrer(premiere)
    assert "(version A)" in titre(premiere)

    # the second changes the title too, and the priority; saving shows the conflict
    seconde.fill("#titre", nom + " (version B)")
    seconde.select_option("#priorite", label="Élevé")
    _enregistrer(seconde)
    assert "a changé entre-temps" in titre(seconde)
    assert "Rien n'a été enregistré" in texte(seconde)
    accessibilite(seconde, PARCOURS, "conflit")
    capture(seconde, PARCOURS + "-page-de-fusion")
    conflits = seconde.locator("#verrou-fusion tr.table-danger")
    assert conflits.count() == 1 and "(version A)" in texte(conflits)
    assert "(version B)" in texte(conflits)
    ligne_statut = seconde.locator("#verrou-fusion tr", has_text="En pause")
    assert "celle de l'autre" in texte(ligne_statut)

    # the merge: my title, the other's statut, my priority
    conflits.get_by_label("la mienne").check()
    soumettre(seconde, seconde.get_by_role("button", name="Fusionner champ par champ"))
    assert "(version B)" in titre(seconde)
    corps = texte(seconde)
    assert "En pause" in corps and "Élevé" in corps

    # the first editor sees the merged fiche
    premiere.goto(server + fiche)
    assert "(version B)" in titre(premiere) and "En pause" in titre(premiere)
    fin(seconde, PARCOURS)
