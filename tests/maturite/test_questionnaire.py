"""The maturity questionnaire as collectivités, OPSN and support use it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import builders
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.maturite.models import Question, Reponse, Snapshot, SuiviRecommandation
from tet.maturite import benchmark, questionnaire as maturite


def _qid(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Question.id).where(Question.code == code))


def _answer(client, app, code, option=None, who="CC du Val Démo", **extra):
    """Answer as the question's form does (with the version of the answer it shows)."""
    with app.app_context():
        q = db.session.scalar(select(Question).where(Question.code == code))
        r = db.session.scalar(select(Reponse).join(Collectivite).where(
            Reponse.question_id == q.id, Collectivite.nom == who))
        data = {"question_id": q.id, "version": r.version if r else 0}
    if option:
        data["option"] = option
    data.update(extra)
    return client.post("/admin/maturite/repondre", data=data)


def _text(r):
    return r.get_data(as_text=True)


def _snapshots(app, cid) -> list[Snapshot]:
    with app.app_context():
        snaps = db.session.scalars(select(Snapshot).where(Snapshot.collectivite_id == cid)
                                   .order_by(Snapshot.id)).all()
        for s in snaps:
            db.session.expunge(s)
        return snaps


def test_child_question_appears_after_the_triggering_answer(app, login_as, ids):
    client = login_as("edition_cc")
    page = _text(client.get("/admin/maturite/categorie/gouvernance"))
    assert "prise en compte dans vos projets" in page
    assert "gouvernance dédiée" not in page
    _answer(client, app, "G1", "oui")
    assert "gouvernance dédiée" in _text(client.get("/admin/maturite/categorie/gouvernance"))
    _answer(client, app, "G1", "non")
    assert "gouvernance dédiée" not in _text(client.get("/admin/maturite/categorie/gouvernance"))


def test_each_answer_records_who_and_appends_a_snapshot(app, login_as, ids):
    _answer(login_as("edition_cc"), app, "G1", "oui")
    _answer(login_as("admin_cc"), app, "S1", "non")
    with app.app_context():
        r = db.session.scalar(select(Reponse).where(Reponse.question_id == _qid(app, "G1")))
        assert r.user_id == ids["users"]["edition.cc@tet.test"] and r.updated_at
    snaps = _snapshots(app, ids["cc"])
    assert len(snaps) == 2
    # after G1 oui: in scope G1, G2, S1, P1, U1; points 3 / best 3+3+2+3+1 = 12 → 25
    assert (snaps[0].indice, snaps[0].progression, snaps[0].officiel) == (25, 20, False)
    assert snaps[1].par_categorie["sensibilisation"] == {"indice": 0, "progression": 100}


def test_official_index_and_letter_when_complete(app, login_as, ids):
    client = login_as("admin_cc")
    for code, option in (("G1", "oui"), ("G2", "oui"), ("S1", "oui"), ("P1", "recyclage"),
                         ("U1", "oui")):
        _answer(client, app, code, option)
    last = _snapshots(app, ids["cc"])[-1]
    assert (last.indice, last.lettre, last.officiel) == (75, "C", True)  # 9 / 12
    page = _text(client.get("/admin/maturite/"))
    assert "provisoire" not in page.split("Progression")[0]
    assert "Organiser le réemploi" in page  # the recommendation of the gap


def test_lecture_reads_but_cannot_answer(app, login_as):
    client = login_as("lecture_cc")
    assert client.get("/admin/maturite/categorie/gouvernance").status_code == 200
    assert _answer(client, app, "G1", "oui").status_code == 403
    assert "Enregistrer" not in _text(client.get("/admin/maturite/categorie/gouvernance"))


def test_niveau2_is_invisible_until_activated_by_the_attached_opsn(app, login_as, ids):
    admin = login_as("admin_cc")
    assert admin.get("/admin/maturite/categorie/aller_plus_loin").status_code == 404
    assert "stratégie numérique responsable est-elle" not in _text(
        admin.get("/admin/maturite/categorie/gouvernance"))
    assert _answer(admin, app, "N2a", "oui").status_code == 404
    assert admin.post("/admin/maturite/niveau2", data={"actif": "1"}).status_code == 403
    with app.app_context():
        # nothing answered: G1, S1, P1, U1 (G2 waits for "oui" to G1)
        assert maturite.load(db.session.get(Collectivite, ids["cc"])).score.total.in_scope == 4
    # the OPSN of the accepted rattachement activates it
    opsn = login_as("opsn_admin")
    assert opsn.post(f"/admin/maturite/niveau2?c={ids['cc']}", data={"actif": "1"}
                     ).status_code == 302
    assert admin.get("/admin/maturite/categorie/aller_plus_loin").status_code == 200
    assert "stratégie numérique responsable est-elle" in _text(
        admin.get("/admin/maturite/categorie/gouvernance"))
    with app.app_context():
        assert maturite.load(db.session.get(Collectivite, ids["cc"])).score.total.in_scope == 7
    # Ville's rattachement is only requested: refused, even to the same OPSN
    assert opsn.post(f"/admin/maturite/niveau2?c={ids['ville']}", data={"actif": "1"}
                     ).status_code == 404  # not attached (yet): not even readable
    with app.app_context():
        assert not db.session.get(Collectivite, ids["ville"]).niveau2_actif


def test_support_cannot_activate_without_accepted_rattachement(app, login_as, ids):
    support = login_as("support")
    page = support.post(f"/admin/maturite/niveau2?c={ids['ville']}", data={"actif": "1"},
                        follow_redirects=True)
    assert "rattachement à un OPSN est accepté" in _text(page)
    with app.app_context():
        assert not db.session.get(Collectivite, ids["ville"]).niveau2_actif
    support.post(f"/admin/maturite/niveau2?c={ids['cc']}", data={"actif": "1"})
    with app.app_context():
        assert db.session.get(Collectivite, ids["cc"]).niveau2_actif


def test_deactivating_niveau2_keeps_the_answers(app, login_as, ids):
    opsn = login_as("opsn_admin")
    opsn.post(f"/admin/maturite/niveau2?c={ids['cc']}", data={"actif": "1"})
    _answer(login_as("admin_cc"), app, "N2a", "oui")
    opsn.post(f"/admin/maturite/niveau2?c={ids['cc']}", data={"actif": "0"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reponse).where(
            Reponse.question_id == _qid(app, "N2a"))) == 1
        etat = maturite.load(db.session.get(Collectivite, ids["cc"]))
        assert etat.score.total.in_scope == 4


def test_opsn_reads_only_attached_collectivites(app, login_as, ids):
    _answer(login_as("admin_ville"), app, "G1", "oui", who="Ville d'Exemple")
    opsn = login_as("opsn_admin")
    assert opsn.get(f"/admin/maturite/?c={ids['cc']}").status_code == 200
    assert opsn.get(f"/admin/maturite/categorie/gouvernance?c={ids['cc']}").status_code == 200
    for url in (f"/admin/maturite/?c={ids['ville']}",
                f"/admin/maturite/categorie/gouvernance?c={ids['ville']}",
                f"/admin/maturite/?c={ids['commune1']}"):
        assert opsn.get(url).status_code == 404
    assert _answer(opsn, app, "G1", "non", c=ids["cc"]).status_code == 403
    # another collectivité's admin cannot either
    assert login_as("admin_ville").get(f"/admin/maturite/?c={ids['cc']}").status_code == 404
    attached, pending = _text(opsn.get("/admin/opsn-espace/")).split(
        "Demandes de rattachement en attente")
    assert "CC du Val Démo" in attached and "Ville d&#39;Exemple" not in attached
    assert "Ville d&#39;Exemple" in pending and "Accepter" in pending


def test_recommendations_status_and_niveau2_switch(app, login_as, ids):
    admin = login_as("admin_cc")
    _answer(admin, app, "S1", "non")
    page = _text(admin.get("/admin/maturite/"))
    assert "Former les agents" in page and "Adopter une SNR" not in page
    with app.app_context():
        from tet.maturite.models import Recommandation

        reco = db.session.scalar(select(Recommandation).where(Recommandation.code == "R-S1"))
        snr = db.session.scalar(select(Recommandation).where(Recommandation.code == "R-N2a"))
        reco_id, snr_id = reco.id, snr.id
    admin.post(f"/admin/maturite/recommandation/{reco_id}/statut", data={"statut": "en_cours"})
    with app.app_context():
        assert db.session.scalar(select(SuiviRecommandation.statut).where(
            SuiviRecommandation.recommandation_id == reco_id)) == "en_cours"
    assert login_as("lecture_cc").post(f"/admin/maturite/recommandation/{reco_id}/statut",
                                       data={"statut": "realisee"}).status_code == 403
    filtered = _text(admin.get("/admin/maturite/?statut=realisee"))
    assert "Former les agents" not in filtered.split('id="plan-action"')[1]
    # an OPSN switches on a niveau 2 recommendation and adds a free one
    opsn = login_as("opsn_admin")
    dashboard = _text(opsn.get(f"/admin/maturite/?c={ids['cc']}"))
    assert "Activer une recommandation de niveau 2" in dashboard and "Adopter une SNR" in dashboard
    assert "Activer une recommandation" not in _text(admin.get("/admin/maturite/"))
    opsn.post(f"/admin/maturite/recommandation/activer?c={ids['cc']}", data={"reco": snr_id})
    opsn.post(f"/admin/maturite/recommandation/libre?c={ids['cc']}", data={
        "titre": "Mutualiser l'achat de matériel reconditionné", "corps": "Avec l'OPSN.",
        "niveau": "recommande"})
    page = _text(admin.get("/admin/maturite/"))
    assert "Adopter une SNR" in page and "Mutualiser l&#39;achat" in page
    assert login_as("admin_ville").get(
        f"/admin/maturite/recommandation/{reco_id}").status_code == 404


def test_benchmark_against_peers_computed_by_hand(app, ids, monkeypatch):
    monkeypatch.setitem(app.config, "BENCHMARK_MIN_GROUPE", 3)  # small groups, by hand
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])  # CC, 24 850 hab., département 67
        peers = [("CC A", "cc", 12000, "67", 40), ("CC B", "cc", 30000, "68", 60),
                 ("CC C", "cc", 45000, "67", 80), ("CC D", "cc", 60000, "67", 90),
                 ("Commune E", "commune", 20000, "67", 10)]
        version = maturite.active_version()
        for nom, type_, pop, dep, indice in peers:
            c = builders.collectivite(nom, type_, dep, population=pop)
            db.session.add(Snapshot(collectivite_id=c.id, version_id=version.id, indice=indice,
                                    officiel=True, progression=100))
        # an older official snapshot of CC A and a newer provisional one: the latest official counts
        db.session.add(Snapshot(collectivite_id=cc.id, version_id=version.id, indice=70,
                                officiel=True, progression=100))
        db.session.add(Snapshot(collectivite_id=cc.id, version_id=version.id, indice=20,
                                officiel=False, progression=50))
        db.session.commit()
        type_band, dep = benchmark.benchmark(cc)
    # same type (cc) and band 10 000–50 000: A 40, B 60, C 80, and the CC itself 70
    assert type_band.count == 4 and type_band.median == 65
    assert (type_band.q1, type_band.q3) == (55, 72.5)
    assert type_band.percentile == 75  # 3 of 4 are ≤ 70
    # département 67: A 40, C 80, D 90, E 10, CC 70 → sorted 10 40 70 80 90
    assert (dep.count, dep.median, dep.q1, dep.q3, dep.percentile) == (5, 70, 40, 80, 60)


def test_national_dashboard_is_for_support(app, login_as):
    assert login_as("admin_cc").get("/admin/maturite-nationale/").status_code == 403
    page = _text(login_as("support").get("/admin/maturite-nationale/"))
    assert "tableau de bord national" in page


@pytest.mark.parametrize("role,target", [("opsn_admin", "/admin/opsn-espace/"),
                                         ("support", "/admin/maturite-nationale/")])
def test_menu_entry_leads_each_role_to_its_page(login_as, role, target):
    response = login_as(role).get("/admin/maturite/")
    assert response.status_code == 302 and response.headers["Location"].endswith(target)


def test_editing_the_questionnaire_creates_a_version_and_answers_keep_theirs(app, login_as, ids):
    _answer(login_as("admin_cc"), app, "G1", "oui")
    support = login_as("support")
    assert login_as("admin_cc").get("/admin/maturite-referentiel/").status_code == 403
    with app.app_context():
        old = db.session.scalar(select(Question).where(Question.code == "S1"))
        old_id, old_version = old.id, old.version_id
    response = support.post(f"/admin/maturite-referentiel/question/{old_id}", data={
        "texte": "Les agents ont-ils suivi une formation au numérique responsable ?",
        "aide": "Nouvelle aide.", "priorite": "prioritaire"})
    assert response.status_code == 302
    with app.app_context():
        versions_ = maturite.active_version()
        assert versions_.id != old_version
        new = db.session.scalar(select(Question).where(Question.code == "S1",
                                                       Question.version_id == versions_.id))
        assert new.priorite == "prioritaire" and new.texte.startswith("Les agents ont-ils")
        assert db.session.get(Question, old_id).texte == "Les agents sont-ils formés ?"
        # the CC keeps answering under its version; a newcomer gets the new one
        cc = db.session.get(Collectivite, ids["cc"])
        assert maturite.load(cc).version.id == old_version
        ville = db.session.get(Collectivite, ids["ville"])
        assert maturite.load(ville).version.id == versions_.id
        parents = {q.code: q.parent_id for q in maturite.load(ville).questions}
        assert parents["G2"] is not None
    bad = support.post(f"/admin/maturite-referentiel/question/{_qid_active(app, 'G1')}",
                       data={"texte": " ", "priorite": "prioritaire"})
    assert "obligatoire" in _text(bad)


def _qid_active(app, code):
    with app.app_context():
        return db.session.scalar(select(Question.id).where(
            Question.code == code, Question.version_id == maturite.active_version().id))


def test_recommendations_become_fiches_whose_statut_drives_theirs(app, login_as, ids):
    from tet.plans.models import FicheAction, Plan
    from tet.maturite.models import Recommandation

    admin = login_as("admin_cc")
    _answer(admin, app, "S1", "non")
    _answer(admin, app, "P1", "recyclage")
    with app.app_context():
        reco_ids = list(db.session.scalars(select(Recommandation.id).where(
            Recommandation.code.in_(["R-S1", "R-P1"]))))
    assert login_as("lecture_cc").post("/admin/maturite/fiches",
                                       data={"reco_ids": reco_ids}).status_code == 403
    admin.post("/admin/maturite/fiches", data={"reco_ids": reco_ids})
    admin.post("/admin/maturite/fiches", data={"reco_ids": reco_ids})  # no duplicates
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.collectivite_id == ids["cc"],
                                                    Plan.type == "snr"))
        assert plan.nom == "Stratégie numérique responsable"
        fiche = db.session.scalar(select(FicheAction).where(FicheAction.titre == "Former les agents"))
        assert db.session.scalar(select(func.count()).select_from(FicheAction).where(
            FicheAction.collectivite_id == ids["cc"],
            FicheAction.titre.in_(["Former les agents", "Organiser le réemploi"]))) == 2
        fiche.statut = "realise"
        db.session.commit()
        fiche_id = fiche.id
    page = _text(admin.get("/admin/maturite/?statut=realisee"))
    assert "Former les agents" in page.split('id="plan-action"')[1]
    assert "Organiser le réemploi" not in page.split('id="plan-action"')[1]
    assert "Issue de la recommandation" in _text(admin.get(f"/admin/fiche/{fiche_id}"))


def test_shipped_questionnaire_loads_with_the_expected_content(app):
    """The real content (seeds/maturite/questionnaire-v1.json) as a new version."""
    import json

    from seeds.maturite import DEFAULT, load_questionnaire
    from tet.maturite.models import Categorie, QuestionnaireVersion, Recommandation

    data = json.loads(DEFAULT.read_text(encoding="utf-8"))
    data["version"] = 99
    path = DEFAULT.parent.parent.parent / "instance" / "questionnaire-test-99.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        with app.app_context():
            version = load_questionnaire(path, activate=False)
            questions = db.session.scalars(select(Question).where(
                Question.version_id == version.id)).all()
            n1 = [q for q in questions if q.niveau == 1]
            assert len(n1) == 30 and len(questions) - len(n1) >= 130
            assert all(q.aide and q.texte.endswith("?") for q in questions)
            cats = db.session.scalars(select(Categorie).where(
                Categorie.version_id == version.id).order_by(Categorie.ordre)).all()
            assert [c.nom for c in cats][-1] == "Pour aller plus loin" and cats[-1].niveau2_only
            assert db.session.scalar(select(func.count()).select_from(Recommandation).where(
                Recommandation.version_id == version.id)) >= 60
            # weights of niveau 1: prioritaire 3 on the good answer, nécessaire 2, facultatif 1
            weights = {"prioritaire": 3, "necessaire": 2, "facultatif": 1}
            for q in n1:
                assert max(o.points for o in q.options) == weights[q.priorite], q.code
            children = [q for q in n1 if q.parent_id]
            assert len(children) == 2
            # a perfect niveau 1 respondent reaches 100
            best = {q.code: max(q.options, key=lambda o: o.points).code for q in n1}
            from tet.maturite.questionnaire import compute

            class R:  # the minimal shape of a Reponse
                def __init__(self, code):
                    self.option_code, self.valeur_texte, self.valeur_nombre = code, None, None

            score = compute(cats, questions, {q.id: R(best[q.code]) for q in n1}, False)
            assert (score.indice, score.letter, score.officiel) == (100, "A", True)
            assert db.session.get(QuestionnaireVersion, version.id).active is False
    finally:
        path.unlink()
