"""Journey 3: a collectivité's admin answers the niveau 1 maturity questionnaire and sees its
letter and bars change, asks an OPSN to accompany it; the OPSN admin accepts and activates
niveau 2."""
from __future__ import annotations

from tests.e2e.parcours import accessibilite, fin, flash, se_connecter, soumettre, texte

PARCOURS = "3-maturite"
CATEGORIES = ("gouvernance", "sensibilisation", "parc", "usages")  # niveau 1 (test data)


def _etat(page):
    """The letter, the index line and the per-category bars of the dashboard."""
    return (texte(page, ".tet-lettre"),
            texte(page.locator(".card", has_text="Progression").first),
            page.locator(".card", has_text="Par catégorie").first.inner_html())


def _repondre_a_tout(page):
    """Answer every question of the category page (the first option: the best one), one
    form at a time: an answer may show a follow-up question."""
    for _ in range(20):
        libres = page.locator("form[action$='/repondre']").filter(
            has_not=page.locator("input[type=radio]:checked"))
        if libres.count() == 0:
            return
        question = libres.first.locator("input[name=question_id]").get_attribute("value")
        form = page.locator("form[action$='/repondre']").filter(
            has=page.locator(f"input[name=question_id][value='{question}']"))
        form.locator("input[type=radio]").first.check()
        soumettre(page, form.get_by_role("button", name="Enregistrer"))
    raise AssertionError("questions sans fin")


def test_repondre_au_questionnaire_puis_etre_accompagne(server, browser):
    admin = se_connecter(browser, server, "admin.ville@tet.test", path="/admin/maturite/")
    accessibilite(admin, PARCOURS, "tableau de bord maturité (avant)")
    lettre, progression, barres = _etat(admin)
    assert "0 réponse sur" in progression
    for code in CATEGORIES:
        admin.goto(f"{server}/admin/maturite/categorie/{code}")
        _repondre_a_tout(admin)
    accessibilite(admin, PARCOURS, "questions d'une catégorie")
    admin.goto(server + "/admin/maturite/")
    apres = _etat(admin)
    assert apres[0] != lettre and apres[0] in "ABCD", apres[0]
    assert apres[2] != barres
    assert "provisoire" not in apres[1] and "0 réponse sur" not in apres[1]
    accessibilite(admin, PARCOURS, "tableau de bord maturité (après)")

    # the demo's pending request is withdrawn, then the admin asks again
    admin.goto(server + "/admin/rattachement/")
    ligne = admin.locator("tr", has_text="OPSN Démo")
    soumettre(admin, ligne.get_by_role("button", name="Annuler"))
    admin.goto(server + "/admin/rattachement/demander/")
    accessibilite(admin, PARCOURS, "demande de rattachement")
    admin.get_by_label("Message (facultatif)").fill("Accompagnez-nous pour le niveau 2.")
    soumettre(admin, admin.get_by_role("button", name="Envoyer la demande"))
    assert "Demande de rattachement envoyée à OPSN Démo" in flash(admin)

    # the OPSN admin accepts it and activates niveau 2
    opsn = se_connecter(browser, server, "opsn.admin@tet.test", path="/admin/rattachement/")
    accessibilite(opsn, PARCOURS, "rattachements (OPSN)")
    ligne = opsn.locator("tr", has_text="Ville d'Exemple").filter(
        has=opsn.get_by_role("button", name="Accepter"))
    assert ligne.count() == 1
    soumettre(opsn, ligne.get_by_role("button", name="Accepter"))
    assert "accepté" in flash(opsn)
    opsn.goto(server + "/admin/opsn-espace/")
    accessibilite(opsn, PARCOURS, "espace OPSN")
    soumettre(opsn, opsn.get_by_role("link", name="Ville d'Exemple", exact=True).first)
    assert apres[0] == texte(opsn, ".tet-lettre")  # the OPSN sees the same letter
    soumettre(opsn, opsn.get_by_role("button", name="Activer le niveau 2"))
    assert "Niveau 2 activé" in texte(opsn)

    # the collectivité now sees the niveau 2 questions
    admin.goto(server + "/admin/maturite/")
    assert "Niveau 2 activé" in texte(admin)
    fin(admin, PARCOURS)
