"""Every role against every maturity action on the CC's questionnaire (?c= the CC)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import builders
from tet.extensions import db
from tet.comptes.models import Opsn
from tet.maturite.models import Question, Recommandation, Reponse

# R read the dashboard and a category, A answer, S set a recommendation's status,
# N switch niveau 2, L add a free recommendation, F turn recommendations into fiches
EXPECTED = {
    "support": "RASNL",  # no fiches: support acts for no collectivité
    "opsn_admin": "RNL", "opsn_agent": "RNL",
    "admin_cc": "RASF", "edition_cc": "RASF", "lecture_cc": "R",
    "admin_ville": "", "sans_acces": "",
}


@pytest.fixture
def setup(app, ids):
    with app.app_context():
        agent = builders.user("agent.opsn@tet.test")
        builders.opsn_member(agent, db.session.get(Opsn, ids["opsn"]), "membre")
        builders.user("sans.acces@tet.test")
        db.session.commit()
        question = db.session.scalar(select(Question.id).where(Question.code == "S1"))
        other = db.session.scalar(select(Question.id).where(Question.code == "U1"))
        reco = db.session.scalar(select(Recommandation.id).where(Recommandation.code == "R-S1"))
    return question, other, reco


def _version(app, ids, question_id) -> int:
    """The version of the CC's answer, as the question's form carries it (0: none)."""
    with app.app_context():
        return db.session.scalar(select(Reponse.version).where(
            Reponse.question_id == question_id, Reponse.collectivite_id == ids["cc"])) or 0


@pytest.mark.parametrize("role", list(EXPECTED))
def test_maturity_actions(app, login_as, ids, setup, role):
    question, other, reco = setup
    emails = {"opsn_agent": "agent.opsn@tet.test", "sans_acces": "sans.acces@tet.test"}
    client = login_as(emails.get(role, role))
    # a gap raises the recommendation first (as the CC's editor)
    login_as("edition_cc").post("/admin/maturite/repondre", data={
        "question_id": question, "option": "non", "version": _version(app, ids, question)})
    c = f"?c={ids['cc']}"
    allowed = EXPECTED[role]
    checks = {
        "R": [client.get(f"/admin/maturite/{c}"),
              client.get(f"/admin/maturite/categorie/sensibilisation{c}")],
        "A": [client.post(f"/admin/maturite/repondre{c}",
                          data={"question_id": other, "option": "oui",
                                "version": _version(app, ids, other)})],
        "S": [client.post(f"/admin/maturite/recommandation/{reco}/statut{c}",
                          data={"statut": "en_cours"})],
        "N": [client.post(f"/admin/maturite/niveau2{c}", data={"actif": "1"})],
        "L": [client.post(f"/admin/maturite/recommandation/libre{c}",
                          data={"titre": "T", "corps": "C", "niveau": "recommande"})],
        "F": [client.post(f"/admin/maturite/fiches{c}", data={"reco_ids": [reco]})],
    }
    for letter, responses in checks.items():
        for response in responses:
            if letter in allowed:
                assert response.status_code in (200, 302), (role, letter, response.status_code)
            else:
                assert response.status_code in (403, 404), (role, letter, response.status_code)
