"""The readable history in a browser: a fiche edited, its « Historique », the journal, the
preview of a restore (screenshots: historique_*)."""
from __future__ import annotations

from sqlalchemy import select

from tests.e2e.navigateur import axe_violations, capture, connexion
from tet.extensions import db
from tet.plans.models import FicheAction


def test_history_reads_in_french_and_restores(app, server, browser):
    with app.app_context():
        fid = db.session.scalar(select(FicheAction.id).where(
            FicheAction.titre == "Réaliser le schéma directeur cyclable"))
    page = connexion(browser, server, "admin.cc@tet.test", f"/admin/fiche/edit/?id={fid}")
    page.select_option("#statut", "en_pause")
    page.fill("#titre", "Réaliser le schéma directeur cyclable intercommunal")
    page.click("form.admin-form button[type=submit], form button[type=submit] >> nth=-1")
    page.wait_for_url(f"**/admin/fiche/{fid}")
    historique = page.locator("#historique")
    text = historique.inner_text()
    assert "Modification de la fiche « Réaliser le schéma directeur cyclable intercommunal »" \
        in text
    assert "En pause" in text and "en_pause" not in text
    historique.scroll_into_view_if_needed()
    capture(page, "historique_fiche")
    assert not [v for v in axe_violations(page) if v["id"] in ("list", "listitem")]
    page.locator("#historique a", has_text="Revenir à cette version").first.click()
    assert "Ce qui changera" in page.inner_text("body")
    capture(page, "historique_restauration")
    page.goto(server + "/admin/auditlog/")
    assert "Modification de la fiche" in page.inner_text("body")
    capture(page, "historique_journal")
    page.close()
