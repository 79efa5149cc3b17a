"""A collectivité moves from version 1 to a newer version of the questionnaire, keeping the
answers to unchanged questions (tet/maturite/passage.py and its page)."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from tests.sql_spy import sql_sent
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, User
from tet.maturite.models import (
    Question,
    QuestionnaireVersion,
    Recommandation,
    Reponse,
    ReponseOption,
    Snapshot,
    SuiviRecommandation,
)
from tet.maturite import fiches, passage, questionnaire as maturite, versions

URL = "/admin/maturite/passage"


def _q(version_id: int, code: str) -> Question:
    return db.session.scalar(select(Question).where(Question.version_id == version_id,
                                                    Question.code == code))


def _answer(cc, user, version_id, code, option=None, **values):
    return maturite.repondre(cc, _q(version_id, code), user, option_code=option, **values)


def _v2(changes: bool = True) -> QuestionnaireVersion:
    """Version 2: a copy of version 1 with S1's text changed and, with ``changes``, G1
    removed (G2, its child, becomes a plain question), the label of P1's « don » changed,
    a new option for U1 and a new question U2."""
    v1 = db.session.scalar(select(QuestionnaireVersion).where(QuestionnaireVersion.numero == 1))
    v2 = versions.new_version(v1, _q(v1.id, "S1").id,
                              {"texte": "Vos agents suivent-ils une sensibilisation annuelle ?"})
    if changes:
        g1, g2 = _q(v2.id, "G1"), _q(v2.id, "G2")
        g2.parent_id = g2.parent_reponse = None
        db.session.flush()
        db.session.delete(g1)
        next(o for o in _q(v2.id, "P1").options if o.code == "don").libelle = "Don à une association"
        u1 = _q(v2.id, "U1")
        u1.options.append(ReponseOption(code="parfois", libelle="Parfois", points=1, ordre=9))
        db.session.add(Question(version_id=v2.id, code="U2", niveau=1, texte="Nouvelle ?",
                                categorie_id=u1.categorie_id, priorite="necessaire",
                                type="oui_non", ordre=99, options=[
                                    ReponseOption(code="oui", libelle="Oui", points=2),
                                    ReponseOption(code="non", libelle="Non", points=0)]))
    db.session.flush()
    return v2


@pytest.fixture
def moved(app, ids):
    """The CC answered version 1 (niveau 2 on), then version 2 became active."""
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        admin = db.session.get(User, ids["users"]["admin.cc@tet.test"])
        cc.niveau2_actif = True
        v1 = maturite.active_version().id
        for code, option in [("G1", "oui"), ("G2", "oui"), ("S1", "oui"), ("P1", "don"),
                             ("U1", "non"), ("N2a", "non"), ("N2b", "plus_75")]:
            _answer(cc, admin, v1, code, option)
        _answer(cc, admin, v1, "N2t", texte="Le service informatique.")
        v2 = _v2().id
        db.session.commit()
    return {"v1": v1, "v2": v2}


def _apercu(app, cid):
    with app.app_context():
        a = passage.apercu(db.session.get(Collectivite, cid))
        return ({q: r.option_code or r.valeur_texte for q, r in
                 ((db.session.get(Question, qid).code, r) for qid, r in a.reprises.items())},
                {q.code: raison for q, raison in a.non_reprises},
                {item.question.code: item.raison for items in a.a_completer.values()
                 for item in items}, a)


def test_the_rule_carries_only_answers_to_unchanged_questions(app, ids, moved):
    carried, dropped, to_do, a = _apercu(app, ids["cc"])
    assert carried == {"U1": "non", "N2a": "non", "N2b": "plus_75",
                       "N2t": "Le service informatique."}
    assert dropped == {"G1": "question retirée", "S1": "texte de la question modifié",
                       "P1": "réponse choisie retirée ou renommée",
                       "G2": "question parente modifiée ou non reprise"}
    assert to_do == {"G2": "question parente modifiée ou non reprise",
                     "S1": "texte de la question modifié",
                     "P1": "réponse choisie retirée ou renommée", "U2": "nouvelle question"}
    assert a.avant.officiel and not a.apres.officiel
    assert a.apres.total.answered == 4 and a.apres.total.in_scope == 8


def test_a_child_follows_its_carried_parent_and_a_changed_type_is_not_carried(app, ids):
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        admin = db.session.get(User, ids["users"]["admin.cc@tet.test"])
        v1 = maturite.active_version().id
        for code, option in [("G1", "oui"), ("G2", "non"), ("U1", "oui")]:
            _answer(cc, admin, v1, code, option)
        v2 = _v2(changes=False)
        _q(v2.id, "U1").type = "choix"
        db.session.commit()
    carried, dropped, to_do, _a = _apercu(app, ids["cc"])
    assert carried == {"G1": "oui", "G2": "non"}
    assert dropped == {"U1": "type de réponse modifié"}
    assert to_do == {"U1": "type de réponse modifié", "S1": "sans réponse jusqu'ici",
                     "P1": "sans réponse jusqu'ici"}


def test_confirming_copies_answers_follow_up_and_appends_a_snapshot_in_one_lot(
        app, ids, login_as, moved):
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        admin = db.session.get(User, ids["users"]["admin.cc@tet.test"])
        v1_recos = {r.code: r for r in db.session.scalars(select(Recommandation).where(
            Recommandation.version_id == moved["v1"]))}
        maturite.set_statut(cc, v1_recos["R-S1"], "en_cours", admin)
        fiche = fiches.to_fiches(cc, [v1_recos["R-P1"]], admin)[0]
        maturite.switch_on(cc, v1_recos["R-N2a"], admin)
        db.session.commit()
        fiche_id = fiche.id
        before = {r.question_id: (r.user_id, r.updated_at) for r in db.session.scalars(
            select(Reponse).where(Reponse.collectivite_id == cc.id))}
    client = login_as("admin_cc")
    page = html.unescape(client.get(URL).get_data(as_text=True))
    assert "Passer à la version 2 du questionnaire" in page
    assert "Questions à compléter, par catégorie" in page and "nouvelle question" in page
    form = dict(re.findall(r'name="(source|cible|jeton)" value="([^"]*)"', page))
    response = client.post(URL, data=form)
    assert response.status_code == 302
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        assert versions.version_of(cc.id).id == moved["v2"]
        copies = db.session.scalars(select(Reponse).join(Question).where(
            Reponse.collectivite_id == cc.id, Question.version_id == moved["v2"])).all()
        assert len(copies) == 4
        originals = {db.session.get(Question, q).code: v for q, v in before.items()}
        for r in copies:
            code = db.session.get(Question, r.question_id).code
            assert (r.user_id, r.updated_at) == originals[code]  # who and when kept
        assert db.session.scalar(select(func.count()).select_from(Reponse).join(Question).where(
            Reponse.collectivite_id == cc.id, Question.version_id == moved["v1"])) == 8
        snap = db.session.scalar(select(Snapshot).where(Snapshot.collectivite_id == cc.id)
                                 .order_by(Snapshot.id.desc()).limit(1))
        assert snap.version_id == moved["v2"] and not snap.officiel
        suivis = {(s.recommandation.code, s.recommandation.version_id):
                  (s.statut, s.fiche_id, s.active_par_opsn)
                  for s in db.session.scalars(select(SuiviRecommandation).where(
                      SuiviRecommandation.collectivite_id == cc.id))}
        v2 = moved["v2"]
        assert suivis[("R-S1", v2)][0] == "en_cours"
        assert suivis[("R-P1", v2)][1] == fiche_id
        assert suivis[("R-N2a", v2)][2] is True
        assert suivis[("R-S1", moved["v1"])][0] == "en_cours"  # history kept
        lots = db.session.execute(select(AuditLog.lot, AuditLog.context).where(
            AuditLog.collectivite_id == cc.id, AuditLog.object_type.in_(
                ["Reponse", "SuiviRecommandation"]), AuditLog.action == "create")
            .order_by(AuditLog.id.desc()).limit(7)).all()
        assert len({lot for lot, _c in lots}) == 1
        assert lots[0][1] == "Passage à la version 2 du questionnaire"
        titre = db.session.get(Recommandation, db.session.scalar(select(
            SuiviRecommandation.recommandation_id).where(
            SuiviRecommandation.fiche_id == fiche_id, SuiviRecommandation.recommandation_id
            .in_(select(Recommandation.id).where(Recommandation.version_id == v2)))))
        assert fiches.recommandation_of(db.session.get(type(fiche), fiche_id)).id == titre.id
    dashboard = html.unescape(client.get("/admin/maturite/").get_data(as_text=True))
    assert "Passer à la version" not in dashboard
    # R-N2a, switched on by the OPSN, is listed once: its v2 follow-up, not the v1 one too
    assert "Plan d'action : recommandations (1)" in dashboard


def test_a_second_post_changes_nothing_and_a_stale_preview_is_refused(app, ids, login_as,
                                                                      moved):
    client = login_as("admin_cc")
    page = client.get(URL).get_data(as_text=True)
    form = dict(re.findall(r'name="(source|cible|jeton)" value="([^"]*)"', page))
    with app.app_context():  # someone answers version 1 after the preview was shown
        cc = db.session.get(Collectivite, ids["cc"])
        admin = db.session.get(User, ids["users"]["admin.cc@tet.test"])
        _answer(cc, admin, moved["v1"], "U1", "oui")
        db.session.commit()
    refused = client.post(URL, data=form, follow_redirects=True)
    assert "ont changé depuis l'aperçu" in html.unescape(refused.get_data(as_text=True))
    with app.app_context():
        assert versions.version_of(ids["cc"]).id == moved["v1"]
    page = client.get(URL).get_data(as_text=True)
    form = dict(re.findall(r'name="(source|cible|jeton)" value="([^"]*)"', page))
    assert client.post(URL, data=form).status_code == 302

    def counts():
        with app.app_context():
            return [db.session.scalar(select(func.count()).select_from(m)) for m in
                    (Reponse, Snapshot, SuiviRecommandation, AuditLog)]
    after_first = counts()
    again = client.post(URL, data=form, follow_redirects=True)
    assert "rien n'a été modifié" in html.unescape(again.get_data(as_text=True))
    assert counts() == after_first
    assert client.get(URL).status_code == 302  # nothing left to preview
    assert client.post(URL, data={}).status_code == 302 and counts() == after_first


def test_nothing_carried_still_moves_the_collectivite(app, ids, login_as):
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        admin = db.session.get(User, ids["users"]["admin.cc@tet.test"])
        _answer(cc, admin, maturite.active_version().id, "G1", "non")
        v2 = _v2().id
        db.session.commit()
        bilan = passage.passer(cc, admin)
        db.session.commit()
        assert (bilan.reponses, bilan.deja) == (0, False)
        assert versions.version_of(cc.id).id == v2
        assert maturite.load(cc).version.id == v2


@pytest.mark.parametrize("who,query,expected", [
    ("admin_cc", "", 200), ("support", "?c={cc}", 200), ("edition_cc", "", 403),
    ("lecture_cc", "", 403), ("opsn_admin", "?c={cc}", 403), ("admin_ville", "?c={cc}", 404),
])
def test_who_may_move(app, ids, login_as, moved, who, query, expected):
    client = login_as(who)
    url = URL + query.format(cc=ids["cc"])
    assert client.get(url).status_code == expected
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        a = passage.apercu(cc)
        form = {"source": a.source.id, "cible": a.cible.id, "jeton": a.jeton}
    response = client.post(url, data=form)
    assert response.status_code == (302 if expected == 200 else expected)
    with app.app_context():
        assert (versions.version_of(ids["cc"]).id == moved["v2"]) == (expected == 200)


def test_anonymous_is_sent_to_the_login_page(client, moved):
    assert client.get(URL).status_code == 302
    assert client.post(URL).status_code == 302


def test_banner_offers_the_move_to_the_admin_and_informs_the_others(app, login_as, moved):
    admin = html.unescape(login_as("admin_cc").get("/admin/maturite/").get_data(as_text=True))
    assert "Passer à la version 2 du questionnaire" in admin and URL in admin
    lecture = html.unescape(login_as("lecture_cc").get(
        "/admin/maturite/categorie/usages").get_data(as_text=True))
    assert "La version 2 du questionnaire est disponible" in lecture
    assert URL not in lecture and "L’administrateur de la collectivité peut y passer" in lecture


def test_confirmation_needs_the_csrf_token(app, login_as, moved):
    client = login_as("admin_cc")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(URL, data={"source": "1", "cible": "2", "jeton": "x"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_preview_queries_do_not_grow_with_questions(app, ids, login_as, moved):
    client = login_as("admin_cc")
    with sql_sent(app) as small:
        assert client.get(URL).status_code == 200
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        admin = db.session.get(User, ids["users"]["admin.cc@tet.test"])
        for version in (moved["v1"], moved["v2"]):
            cat = _q(version, "U1").categorie_id
            for i in range(25):
                db.session.add(Question(
                    version_id=version, code=f"X{i}", niveau=1, texte=f"Question {i} ?",
                    categorie_id=cat, priorite="facultatif", type="oui_non", ordre=50 + i,
                    options=[ReponseOption(code="oui", libelle="Oui", points=1),
                             ReponseOption(code="non", libelle="Non", points=0)]))
        db.session.flush()
        for i in range(25):
            _answer(cc, admin, moved["v1"], f"X{i}", "oui", historiser=False)
        db.session.commit()
    with sql_sent(app) as big:
        page = client.get(URL)
    assert page.status_code == 200
    assert len(big) == len(small), [s for s, _p in big]
