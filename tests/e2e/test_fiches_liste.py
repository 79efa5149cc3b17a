"""The fiche list in a browser: filter, select, bulk-edit; then the fiche form's Select2
pickers (a member as pilote, a new service) and its folded sections. Fixtures in
``conftest.py``."""
from __future__ import annotations

from sqlalchemy import select

from tests.e2e.navigateur import axe_violations, capture, connexion


def assert_accessible_in(page, selector):
    """No serious or critical axe-core violation inside ``selector`` (this page's own
    parts; the layout around them, and the colours of the theme, are checked by the
    accessibility tests)."""
    axe_violations(page)  # loads axe-core
    found = page.evaluate("""async (sel) => {
        const r = await axe.run(sel, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact)
                                        && v.id !== 'color-contrast')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')));
    }""", selector)
    assert not found, found


def test_filtrer_selectionner_modifier_par_lot(server, browser, app):
    from tet.extensions import db
    from tet.plans.models import FicheAction

    page = connexion(browser, server, "edition.cc@tet.test", "/admin/fiche/?page_size=100")
    page.click("summary:has-text('Filtrer les fiches')")
    page.select_option("#filtre-statut", "en_cours")
    page.click("button:has-text('Filtrer')")
    page.wait_for_url("**statut=en_cours**")
    statuts = page.locator("td.col-statut").all_inner_texts()
    assert statuts and set(statuts) == {"En cours"}
    boxes = page.locator("input.action-checkbox")
    chosen = [int(boxes.nth(i).get_attribute("value")) for i in range(2)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    capture(page, "fiches-liste")
    assert_accessible_in(page, ".tet-filtres")
    page.click("a.dropdown-toggle:has-text('sélection')")
    page.click("[data-action='lot_priorite']")
    page.wait_for_selector("h1:has-text('Changer la priorité')")
    capture(page, "fiches-lot")
    assert_accessible_in(page, "form[data-long]")
    page.select_option("#lot-valeur", "bas")
    page.click("button:has-text('Appliquer à 2 fiches')")
    page.wait_for_selector(".alert")
    assert "fiches modifiées" in page.inner_text(".alert") or "déjà à jour" in page.inner_text(
        ".alert")
    assert "statut=en_cours" in page.url  # back to the filtered list
    with app.app_context():
        assert set(db.session.scalars(select(FicheAction.priorite).where(
            FicheAction.id.in_(chosen)))) == {"bas"}


def test_formulaire_select2_et_sections(server, browser, app):
    from tet.extensions import db
    from tet.plans.models import FicheAction

    with app.app_context():
        fid = db.session.scalar(select(FicheAction.id).where(
            FicheAction.titre == "Réaliser le schéma directeur cyclable"))
    page = connexion(browser, server, "edition.cc@tet.test", f"/admin/fiche/edit/?id={fid}")
    # folded sections: the essentials open, the budget closed
    assert page.locator("details.tet-section").first.get_attribute("open") is not None
    assert page.locator("details.tet-section:has-text('Budget')").get_attribute("open") is None
    # pilotes: a search box over the members
    page.click("#s2id_pilote_ids")
    page.keyboard.type("Lecture")
    page.wait_for_selector(".select2-result-label:visible")
    page.keyboard.press("Enter")
    # services: a new name typed in the box
    page.click("summary:has-text('Acteurs')")
    page.click("#s2id_service")
    page.keyboard.type("Service e2e")
    page.wait_for_selector(".select2-result-label:visible")
    page.keyboard.press("Enter")
    capture(page, "fiche-formulaire")
    assert_accessible_in(page, ".tet-fiche-form")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_url(f"**/admin/fiche/{fid}")
    with app.app_context():
        fiche = db.session.get(FicheAction, fid)
        assert "lecture.cc@tet.test" in [u.email for u in fiche.pilotes]
        assert "Service e2e" in [t.nom for t in fiche.tags if t.kind == "service"]


def test_operation_longue_montre_qu_elle_travaille(server, browser):
    page = connexion(browser, server, "admin.cc@tet.test", "/admin/import-plans/")
    page.set_input_files("#fichier", files=[{"name": "plan.xlsx", "mimeType": "application/"
                                            "vnd.openxmlformats-officedocument.spreadsheetml."
                                            "sheet", "buffer": b"PK"}])
    status = page.locator("form[data-long] .tet-travail")
    assert status.get_attribute("aria-live") == "polite" and status.inner_text() == ""
    # the page stays as it is once submitted (as while a long answer is awaited): a
    # listener added after tet.js's cancels the navigation
    page.evaluate("document.addEventListener('submit', e => e.preventDefault())")
    page.click("button:has-text('Vérifier')")
    page.wait_for_selector("form[data-long] .tet-travail:has-text('Traitement en cours…')")
    page.wait_for_function("document.querySelector('form[data-long] button').disabled")
    assert page.locator("form[data-long]").get_attribute("aria-busy") == "true"
    assert page.locator("form[data-long] .tet-travail .spinner-border").count() == 1
