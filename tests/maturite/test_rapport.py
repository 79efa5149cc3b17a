"""The maturity results of a collectivité as a PDF: read back, it holds the letter, the
categories, the history and the recommendations with their statuses; only those who may
read the dashboard get it (members, the attached OPSN, support)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.maturite.test_questionnaire import _answer
from tests.rapports_lecture import pdf_infos, pdf_texte
from tet.extensions import db
from tet.maturite.models import Recommandation


def test_pdf_reads_back_letter_categories_history_and_recommendations(app, login_as, ids):
    admin = login_as("admin_cc")
    for code, option in (("G1", "oui"), ("S1", "non")):
        assert _answer(admin, app, code, option).status_code == 302
    with app.app_context():
        reco = db.session.scalar(select(Recommandation).where(Recommandation.code == "R-S1"))
        reco_id, reco_titre = reco.id, reco.titre
    admin.post(f"/admin/maturite/recommandation/{reco_id}/statut", data={"statut": "en_cours"})
    _answer(login_as("admin_ville"), app, "G1", "non", who="Ville d'Exemple")
    opsn = login_as("opsn_admin")
    opsn.post(f"/admin/maturite/recommandation/libre?c={ids['cc']}", data={
        "titre": "Mutualiser l’achat de matériel reconditionné", "corps": "Avec l’OPSN.",
        "niveau": "recommande"})
    r = opsn.get(f"/admin/rapport-maturite/?c={ids['cc']}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    texte = pdf_texte(r.data)
    assert "Maturité numérique responsable" in texte and "CC du Val Démo" in texte
    assert "Indice :" in texte and "(provisoire)" in texte and "Progression" in texte
    for categorie in ("Gouvernance", "Sensibilisation et formation", "Usages"):
        assert categorie in texte
    assert "Historique" in texte and "Pas encore d’historique" not in texte
    assert reco_titre in texte and "En cours" in texte
    assert "Mutualiser l’achat de matériel reconditionné (ajoutée par l’OPSN)" in texte
    assert "Ville d" not in texte
    infos = pdf_infos(r.data)
    assert infos["Tagged"] == "yes" and "CC du Val Démo" in infos["Title"]


@pytest.mark.parametrize("role, cible, code", [
    ("admin_cc", "cc", 200), ("lecture_cc", "cc", 200), ("edition_cc", "cc", 200),
    ("support", "cc", 200), ("opsn_admin", "cc", 200), ("admin_ville", "cc", 404),
    ("opsn_admin", "ville", 404),  # its rattachement is only requested
    ("admin_cc", "ville", 404), ("admin_ville", "ville", 200)])
def test_who_may_download(app, login_as, ids, role, cible, code):
    assert login_as(role).get(f"/admin/rapport-maturite/?c={ids[cible]}").status_code == code


def test_own_collectivite_by_default_and_bad_ids(app, login_as):
    client = login_as("lecture_cc")
    assert "CC du Val Démo" in pdf_texte(client.get("/admin/rapport-maturite/").data)
    for c in ("abc", "99999999999999999999", "2147483647"):
        assert login_as("opsn_admin").get(f"/admin/rapport-maturite/?c={c}").status_code == 404
