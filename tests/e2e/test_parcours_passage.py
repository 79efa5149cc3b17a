"""Journey 7: a new version of the questionnaire is active; the CC's admin reads the banner,
opens the preview of the move, confirms it (CSRF on, as in production) and finds its answers
on the new version."""
from __future__ import annotations

from sqlalchemy import select

from tests.e2e.parcours import accessibilite, fin, flash, se_connecter, soumettre, texte
from tet.extensions import db
from tet.comptes.models import Collectivite, User
from tet.maturite.models import Question
from tet.maturite import questionnaire as maturite, versions

PARCOURS = "7-passage"


def _v1_answered_then_v2(app, cc_id, admin_id):
    with app.app_context():
        cc, admin = db.session.get(Collectivite, cc_id), db.session.get(User, admin_id)
        v1 = maturite.active_version()
        questions = {q.code: q for q in db.session.scalars(select(Question).where(
            Question.version_id == v1.id))}
        for code, option in (("G1", "oui"), ("G2", "non"), ("S1", "oui"), ("U1", "oui")):
            maturite.repondre(cc, questions[code], admin, option_code=option)
        versions.new_version(v1, questions["S1"].id,
                             {"texte": "Vos agents suivent-ils une sensibilisation annuelle ?"})
        db.session.commit()


def test_passer_a_la_nouvelle_version(app, server, browser, ids):
    _v1_answered_then_v2(app, ids["cc"], ids["users"]["admin.cc@tet.test"])
    page = se_connecter(browser, server, "admin.cc@tet.test", path="/admin/maturite/")
    banniere = page.locator("[aria-label='Nouvelle version du questionnaire']")
    assert "La version 2 du questionnaire est disponible" in texte(banniere)
    soumettre(page, banniere.get_by_role("link", name="Passer à la version 2 du questionnaire"))
    assert "Passer à la version 2 du questionnaire" in texte(page, "h1")
    corps = texte(page)
    assert "texte de la question modifié" in corps and "Réponses reprises 3" in corps
    accessibilite(page, PARCOURS, "aperçu")
    soumettre(page, page.get_by_role("button", name="Confirmer le passage à la version 2"))
    assert "3 réponses reprises" in flash(page)
    assert page.locator("[aria-label='Nouvelle version du questionnaire']").count() == 0
    page.goto(server + "/admin/maturite/categorie/sensibilisation")
    assert "sensibilisation annuelle" in texte(page)
    fin(page, PARCOURS)
