"""The home page of each role: what it shows, scoped in the query, and its cost bounded."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import builders
from tests.sql_spy import sql_sent
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Opsn, User
from tet.maturite.models import IndiceCourant
from tet.plans.models import FicheAction, fiche_pilote_user

TODAY = date.today()


def _fiche(cid, titre, pilotes=(), **fields) -> FicheAction:
    f = FicheAction(collectivite_id=cid, titre=titre, statut=fields.pop("statut", "en_cours"),
                    pilotes=[db.session.get(User, u) for u in pilotes], **fields)
    db.session.add(f)
    db.session.flush()
    return f


@pytest.fixture
def cc_fiches(app, ids):
    """In the CC: fiches piloted by the édition member (late, due soon, done), one of the
    Ville piloted by them too (another collectivité: never shown when acting for the CC)."""
    ed = ids["users"]["edition.cc@tet.test"]
    with app.app_context():
        demo = db.session.scalar(select(func.count(fiche_pilote_user.c.fiche_id)).join(
            FicheAction, FicheAction.id == fiche_pilote_user.c.fiche_id).where(
            fiche_pilote_user.c.user_id == ed, FicheAction.collectivite_id == ids["cc"]))
        made = {
            "retard": _fiche(ids["cc"], "Zz fiche en retard", [ed], date_fin=date(2001, 1, 1)),
            "bientot": _fiche(ids["cc"], "Zz fiche due bientôt", [ed],
                              date_fin=TODAY + timedelta(10)),
            "loin": _fiche(ids["cc"], "Zz fiche lointaine", date_fin=TODAY + timedelta(60)),
            "realisee": _fiche(ids["cc"], "Zz fiche réalisée", [ed], statut="realise",
                               date_fin=TODAY - timedelta(3)),
            "ville": _fiche(ids["ville"], "Zz fiche de la ville", [ed],
                            date_fin=TODAY - timedelta(3)),
        }
        db.session.commit()
        return {**{k: f.id for k, f in made.items()}, "mes": demo + 3}


def _html(client, url="/admin/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _bloc(html: str, bloc: str) -> str:
    """The text of a block, spaces collapsed, ``'`` unescaped."""
    start = html.index(f'id="{bloc}"')
    return " ".join(html[start:html.index("</section>", start)].split()).replace("&#39;", "'")


def test_member_sees_their_fiches_late_and_due_scoped_to_the_collectivite(login_as, cc_fiches):
    html = _html(login_as("edition_cc"))
    mes = _bloc(html, "bloc-mes-fiches")
    # ongoing ones first, by échéance: the demo's fiches of the édition member come later
    assert "Zz fiche en retard" in mes and "Zz fiche due bientôt" in mes
    # the demo's and the 3 piloted in the CC, not the Ville's
    assert f"Toutes mes fiches ({cc_fiches['mes']})" in mes
    assert "Zz fiche de la ville" not in html and "Zz fiche lointaine" not in mes
    assert "Zz fiche en retard" in _bloc(html, "bloc-retard")
    assert "Zz fiche réalisée" not in _bloc(html, "bloc-retard")
    echeances = _bloc(html, "bloc-echeances")
    assert "Zz fiche due bientôt" in echeances and "Zz fiche lointaine" not in echeances


def test_member_full_lists_are_scoped_and_paged(app, login_as, cc_fiches, ids):
    client = login_as("edition_cc")
    mes = _html(client, "/admin/mes-fiches")
    assert "Zz fiche due bientôt" in mes and "Zz fiche de la ville" not in mes
    assert "Zz fiche lointaine" not in mes and f"{cc_fiches['mes']} fiches" in mes
    assert mes.index("Zz fiche due bientôt") < mes.index("Zz fiche réalisée")  # done last
    assert "Zz fiche due bientôt" in _html(client, "/admin/echeances")
    with app.app_context():
        for i in range(55):
            _fiche(ids["cc"], f"Échéance {i:02d}", date_fin=TODAY + timedelta(1))
        db.session.commit()
    page1, page2 = _html(client, "/admin/echeances"), _html(client, "/admin/echeances?page=2")
    assert "Échéance 00" in page1 and "Échéance 54" not in page1 and "Échéance 54" in page2
    assert 'href="?page=2"' in page1
    assert "Échéance 54" in _html(client, "/admin/echeances?page=999")  # the last page


def test_new_member_has_useful_empty_states(app, login_as, ids):
    with app.app_context():
        builders.member(builders.user("nouveau@val-demo.fr"),
                        db.session.get(Collectivite, ids["cc"]), "lecture")
        db.session.commit()
    html = _html(login_as("nouveau@val-demo.fr"))
    assert "Vous n’êtes pilote d’aucune fiche pour le moment." in html
    assert "Aucune recommandation en cours de mise en œuvre." in html
    assert 'id="bloc-demandes"' not in html  # admin only


def test_latest_changes_are_the_plans_readable_and_scoped(app, login_as, ids, cc_fiches):
    with app.app_context():
        fiche = db.session.get(FicheAction, cc_fiches["bientot"])
        fiche.statut, fiche.priorite = "en_pause", "eleve"
        ville = db.session.get(Collectivite, ids["ville"])
        db.session.add(AuditLog(action="update", object_type="Membership", object_id=1,
                                object_repr="Accès secret", collectivite_id=ids["cc"]))
        _fiche(ville.id, "Fiche privée de la ville")
        db.session.commit()
    journal = _bloc(_html(login_as("lecture_cc")), "bloc-journal")
    assert "Modification de la fiche « Zz fiche due bientôt »</a> <span class=\"text-muted\"> : statut, priorité" in journal
    assert f'href="/admin/fiche/{cc_fiches["bientot"]}"' in journal
    assert "Accès secret" not in journal and "Fiche privée de la ville" not in journal


def test_maturity_letter_and_recommendations(app, login_as, ids):
    from tet.maturite.models import Recommandation, Snapshot, SuiviRecommandation

    with app.app_context():
        reco = Recommandation(titre="Allonger la durée de vie des postes", corps="…",
                              collectivite_id=ids["cc"])
        done = Recommandation(titre="Recommandation terminée", corps="…",
                              collectivite_id=ids["cc"])
        db.session.add_all([reco, done])
        db.session.flush()
        db.session.add_all([
            SuiviRecommandation(collectivite_id=ids["cc"], recommandation_id=reco.id,
                                statut="en_cours"),
            SuiviRecommandation(collectivite_id=ids["cc"], recommandation_id=done.id,
                                statut="realisee")])
        version = db.session.scalar(select(Snapshot.version_id)) or _version_id()
        db.session.add(Snapshot(collectivite_id=ids["cc"], version_id=version, indice=84,
                                lettre="B", progression=100, officiel=True))
        db.session.commit()
        assert db.session.get(IndiceCourant, ids["cc"]).lettre_officielle == "B"
    html = _html(login_as("edition_cc"))
    assert "indice officiel 84 / 100" in html
    recos = _bloc(html, "bloc-maturite")
    assert "Allonger la durée de vie des postes" in recos and "En cours" in recos
    assert "Recommandation terminée" not in recos


def _version_id():
    from tet.maturite.models import QuestionnaireVersion

    return db.session.scalar(select(QuestionnaireVersion.id))


def test_admin_sees_requests_and_rattachement(app, login_as, ids):
    with app.app_context():
        u = builders.user("candidate@val-demo.fr", prenom="Camille", nom="Candidate")
        builders.demande(u, db.session.get(Collectivite, ids["cc"]))
        db.session.commit()
    html = _html(login_as("admin_cc"))
    assert "Camille Candidate" in _bloc(html, "bloc-demandes")
    assert "OPSN Démo" in _bloc(html, "bloc-rattachement")
    assert "Aucune demande d’accès en attente." in _html(login_as("admin_ville"))


def test_opsn_home_lists_attached_with_letter_and_caps_the_list(app, login_as, ids):
    with app.app_context():
        opsn = db.session.get(Opsn, ids["opsn"])
        for i in range(12):
            builders.rattachement(builders.collectivite(f"Commune accompagnée {i:02d}"), opsn,
                                  "acceptee")
        db.session.commit()
    html = _html(login_as("opsn_admin"))
    bloc = _bloc(html, "bloc-accompagnees")
    assert bloc.count("<tr>") == 1 + 10  # header + the first ten
    assert "Voir toutes les collectivités accompagnées (13)" in bloc
    assert "Ville d'Exemple" in _bloc(html, "bloc-demandes")  # waiting for a decision


def test_support_home_shows_signups_and_imports_exports(app, login_as):
    with app.app_context():
        builders.user("nouvelle.inscrite@commune.fr", prenom="Nina", nom="Nouvelle",
                      verified=False)
        db.session.add(AuditLog(action="export", object_type="ExportPartenaire",
                                object_repr="Fiches action", user_email="support@tet.test"))
        db.session.commit()
    html = _html(login_as("support"))
    assert "Nina Nouvelle" in _bloc(html, "bloc-inscriptions")
    assert "à vérifier" in _bloc(html, "bloc-inscriptions")
    assert "Export pour partenaires : « Fiches action »" in _bloc(html, "bloc-imports-exports")


def _grow(app, ids, n):
    """More of everything a home page shows: fiches piloted, late and due, log entries,
    attached collectivités, sign-ups, access requests."""
    ed = ids["users"]["edition.cc@tet.test"]
    with app.app_context():
        cc = db.session.get(Collectivite, ids["cc"])
        opsn = db.session.get(Opsn, ids["opsn"])
        for i in range(n):
            _fiche(cc.id, f"Fiche {i}", [ed], date_fin=TODAY + timedelta(i - n // 2))
            c = builders.collectivite(f"Commune {i}")
            builders.rattachement(c, opsn, "acceptee" if i % 2 else "demandee")
            u = builders.user(f"agent{i}@val-demo.fr")
            builders.demande(u, cc)
            db.session.add(AuditLog(action="import", object_type="Plan", collectivite_id=c.id,
                                    object_repr=f"Plan {i}"))
        db.session.commit()


@pytest.mark.parametrize("who", ["support", "opsn_admin", "admin_cc", "edition_cc",
                                 "lecture_cc"])
def test_home_query_count_does_not_grow_with_data(app, login_as, ids, who):
    client = login_as(who)
    client.get("/admin/")
    with sql_sent(app) as small:
        assert client.get("/admin/").status_code == 200
    _grow(app, ids, 25)
    with sql_sent(app) as big:
        assert client.get("/admin/").status_code == 200
    assert len(big) == len(small), f"{who} : {len(small)} requêtes → {len(big)}"
    assert len(big) <= 25


def test_account_page_toggles_the_digest(app, login_as, ids):
    client = login_as("edition_cc")
    assert 'id="digest-oui" value="oui" checked' in _html(client, "/admin/mon-compte/")
    response = client.post("/admin/mon-compte/", data={"digest": "non"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, ids["users"]["edition.cc@tet.test"])
        assert user.digest_desabonne is True
        assert db.session.scalar(select(AuditLog).where(
            AuditLog.object_type == "User", AuditLog.object_id == user.id)
            .order_by(AuditLog.id.desc())).changes == {"digest_desabonne": [False, True]}
    assert "Vous ne recevrez plus" in _html(client, "/admin/mon-compte/")
    client.post("/admin/mon-compte/", data={"digest": "oui"})
    with app.app_context():
        assert db.session.get(User, ids["users"]["edition.cc@tet.test"]).digest_desabonne is False


def test_account_form_refuses_a_post_without_csrf_token(app, login_as, ids):
    client = login_as("edition_cc")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/admin/mon-compte/", data={"digest": "non"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        assert db.session.get(User, ids["users"]["edition.cc@tet.test"]).digest_desabonne is False


def test_full_lists_need_a_collectivite(login_as):
    response = login_as("opsn_admin").get("/admin/mes-fiches")
    assert response.status_code == 302
