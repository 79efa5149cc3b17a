"""Support edits the questionnaire: a new version carries the new weights, options and
recommendation; answers keep the version (and the points) they were given under."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from tests.conftest import flashes
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.maturite.models import Question, QuestionnaireVersion, Reponse
from tet.maturite import questionnaire as maturite
from tet.maturite import versions

URL = "/admin/maturite-referentiel/question/{}"


def _question(app, code, version_id=None):
    with app.app_context():
        version_id = version_id or maturite.active_version().id
        return db.session.scalar(select(Question.id).where(Question.code == code,
                                                           Question.version_id == version_id))


def _answer(client, app, code, option, version_id=None, who="CC du Val Démo"):
    """As the question's form does: with the version of ``who``'s answer (0: none)."""
    qid = _question(app, code, version_id)
    with app.app_context():
        version = db.session.scalar(select(Reponse.version).join(Collectivite).where(
            Reponse.question_id == qid, Collectivite.nom == who)) or 0
    return client.post("/admin/maturite/repondre", data={
        "question_id": qid, "option": option, "version": version})


def _form(app, code, **changes):
    """The edit form as the page fills it for ``code``, with ``changes`` on top."""
    with app.app_context():
        q = db.session.get(Question, _question(app, code))
        data = {"texte": q.texte, "aide": q.aide or "", "priorite": q.priorite, "note": ""}
        for o in q.options:
            data[f"option-{o.code}-libelle"] = o.libelle
            data[f"option-{o.code}-points"] = str(o.points)
        reco = q.recommandation
        data.update(reco_titre=reco.titre if reco else "", reco_corps=reco.corps if reco else "",
                    reco_niveau=reco.niveau if reco else "recommande")
    data.update(changes)
    return data


def _part(app, cid, code):
    """(points, best) of one question in the collectivité's current score."""
    with app.app_context():
        etat = maturite.load(db.session.get(Collectivite, cid))
        q = next(q for q in etat.questions if q.code == code)
        points = {o.code: o.points for o in q.options}
        chosen = etat.reponses.get(q.id)
        return (points.get(chosen.option_code, 0) if chosen else None, max(points.values()),
                etat.version.id, etat.score.total.points, etat.score.total.best)


def test_new_priority_gives_new_points_to_answers_under_the_new_version(app, login_as, ids):
    cc_admin = login_as("admin_cc")
    _answer(cc_admin, app, "S1", "oui")  # the CC answers under version 1
    old_version = _part(app, ids["cc"], "S1")[2]
    assert _part(app, ids["cc"], "S1")[:2] == (2, 2)  # nécessaire: 2 points
    response = login_as("support").post(URL.format(_question(app, "S1")),
                                        data=_form(app, "S1", priorite="prioritaire"))
    assert response.status_code == 302
    with app.app_context():
        new = db.session.get(Question, _question(app, "S1"))
        assert new.version_id != old_version and new.priorite == "prioritaire"
        assert {o.code: o.points for o in new.options} == {"oui": 3, "non": 0, "nsp": 0}
    # the ville has not answered yet: it starts on the new version and scores 3
    _answer(login_as("admin_ville"), app, "S1", "oui", who="Ville d'Exemple")
    points, best, version_id, total, total_best = _part(app, ids["ville"], "S1")
    assert (points, best) == (3, 3) and version_id != old_version
    assert total == 3
    # the CC keeps its version: same points, same index
    assert _part(app, ids["cc"], "S1")[:3] == (2, 2, old_version)
    with app.app_context():
        snapshot = maturite.snapshot(db.session.get(Collectivite, ids["cc"]))
        assert snapshot.version_id == old_version


def test_options_points_and_recommendation_edits_make_a_version_with_them(app, login_as):
    support = login_as("support")
    before = _question(app, "P1")
    response = support.post(URL.format(before), data=_form(
        app, "P1", **{"option-recyclage-libelle": "Recyclage par une filière agréée",
                      "option-recyclage-points": "1", "option-don-points": "2",
                      "reco_titre": "Donner une seconde vie", "reco_corps": "Réemployer d'abord.",
                      "reco_niveau": "recommande"}))
    assert response.status_code == 302
    with app.app_context():
        new = db.session.get(Question, _question(app, "P1"))
        assert new.id != before
        assert {o.code: (o.libelle, o.points) for o in new.options}["recyclage"] == (
            "Recyclage par une filière agréée", 1)
        assert {o.code: o.points for o in new.options} == {
            "reemploi_interne": 3, "don": 2, "recyclage": 1, "nsp": 0}
        reco = new.recommandation
        assert (reco.titre, reco.corps, reco.niveau) == (
            "Donner une seconde vie", "Réemployer d'abord.", "recommande")
        assert reco.version_id == new.version_id
        old = db.session.get(Question, before)
        assert {o.code: o.points for o in old.options}["recyclage"] == 0
        assert old.recommandation.titre != "Donner une seconde vie"


def test_a_question_without_recommendation_can_get_one(app, login_as):
    response = login_as("support").post(URL.format(_question(app, "U1")), data=_form(
        app, "U1", reco_titre="Télétravailler", reco_corps="Ouvrir le télétravail.",
        reco_niveau="necessaire"))
    assert response.status_code == 302
    with app.app_context():
        new = db.session.get(Question, _question(app, "U1"))
        assert new.recommandation.titre == "Télétravailler"
        assert new.recommandation.categorie_code == new.categorie.code


@pytest.mark.parametrize("changes,message", [
    ({"option-oui-points": "2"}, "la meilleure réponse vaut 3"),
    ({"option-non-points": "4"}, "la meilleure réponse vaut 3"),
    ({"option-non-points": "beaucoup"}, "un nombre entier"),
    ({"option-oui-libelle": "  "}, "a un libellé"),
    ({"priorite": "urgente"}, "Priorité inconnue"),
    ({"reco_titre": ""}, "a un titre"),
    ({"reco_niveau": "vital"}, "Niveau de recommandation inconnu"),
    ({}, "Aucune modification"),
])
def test_bad_edits_are_refused_and_change_nothing(app, login_as, changes, message):
    with app.app_context():
        count = db.session.scalar(select(db.func.count()).select_from(QuestionnaireVersion))
    response = login_as("support").post(URL.format(_question(app, "G1")),
                                        data=_form(app, "G1", **changes))
    assert response.status_code == 200
    assert message in html.unescape(" ".join(flashes(response)))
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(
            QuestionnaireVersion)) == count


def test_edit_page_shows_options_points_and_recommendation(app, login_as):
    page = login_as("support").get(URL.format(_question(app, "P1"))).get_data(as_text=True)
    assert 'name="option-recyclage-points"' in page and 'name="reco_titre"' in page
    assert 'name="priorite"' in page
    assert login_as("admin_cc").get(URL.format(_question(app, "P1"))).status_code == 403
    assert login_as("opsn_admin").post(URL.format(_question(app, "P1")),
                                       data=_form(app, "P1", priorite="facultatif")
                                       ).status_code == 403


def test_rescale_keeps_the_shape_of_choice_points():
    assert versions.rescale({"a": 3, "b": 1, "c": 0}, 2) == {"a": 2, "b": 1, "c": 0}
    assert versions.rescale({"a": 2, "b": 0}, 1) == {"a": 1, "b": 0}
    assert versions.rescale({"a": 0}, 3) == {"a": 0}
