"""The committee's pages (``projets_comite``) by every role: evaluation (own notes only
before the meeting: canary), séance, ranking (hand-computed), vote and decision (quorum),
dossier PDF, pièces, impact values to validate."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import flashes
from tests.projets.builders import PDF, candidature, monde, noter_tout
from tests.sql_spy import sql_sent
from tet.extensions import db
from tet.projets import appels, evaluation, suivi, transitions
from tet.projets.models import Candidature, Evaluation, ImpactValeur, PieceJustificative

CANARI = "CANARI-MEMBRE-UN justification secrète"
ORGANISATEURS = ("admin_cc", "edition_cc")


@pytest.fixture
def w(app):
    """A call with committee (membre0..2), an eligible candidature, a draft of another
    holder, a candidature of another call (the copy), ids by name."""
    with app.app_context():
        m = monde()
        org = m.organisateur_a()
        cand = candidature(m)
        transitions.appliquer(org, cand, "declarer_eligible")
        brouillon = candidature(m, "Brouillon secret", deposer=False,
                                org=(m.autre_org, m.autre_porteur))
        copie = appels.copier(org, m.appel)
        copie.statut = "ouvert"
        db.session.flush()
        autre = _candidature_a(m, copie)
        ids = dict(appel=m.appel.id, cand=cand.id, brouillon=brouillon.id, autre=autre.id,
                   copie=copie.id, criteres=[c.id for c in m.criteres],
                   piece=cand.dossier.pieces[0].id, autre_piece=autre.dossier.pieces[0].id)
        db.session.commit()
    return ids


def _candidature_a(m, appel):
    from tet.projets import dossiers, pieces
    import io

    holder = m.autre_porteur_a()
    dossier = dossiers.creer(holder, {"titre": "Dossier de l'autre appel",
                                     "description": "Autre."})
    cand = dossiers.candidater(holder, dossier, appel)
    dossiers.modifier_candidature(holder, cand, {"axe_id": appel.axes[0].id})
    pieces.ajouter(holder, dossier, io.BytesIO(PDF), "budget.pdf", appel.pieces[0])
    transitions.appliquer(holder, cand, "deposer")
    return cand


def _membre(login_as, i, appel_id):
    client = login_as(f"membre{i}@tet.test")
    client.post("/contexte", data={"contexte": f"comite:{appel_id}"})
    return client


def _notes(ids, notes, justification="Justification détaillée."):
    data = {}
    for cid, note in zip(ids["criteres"], notes):
        data[f"note-{cid}"] = str(note)
        data[f"justification-{cid}"] = justification
        data[f"version-{cid}"] = "0"
    return data


def _page(client, url):
    r = client.get(url)
    return r.status_code, r.get_data(as_text=True)


def _statut(app, cand_id):
    with app.app_context():
        return db.session.get(Candidature, cand_id).statut


def test_notes_d_un_membre_cachees_aux_autres_avant_la_seance(app, login_as, w):
    url = f"/admin/comite/candidature/{w['cand']}"
    m1 = _membre(login_as, 0, w["appel"])
    r = m1.post(url, data=_notes(w, [5, 3, 1, 5], CANARI))
    assert r.status_code == 302, flashes(r)
    assert CANARI in _page(m1, url)[1]  # one's own notes
    m2 = _membre(login_as, 1, w["appel"])
    urls = [url, "/admin/comite/", f"/admin/comite/appel/{w['appel']}",
            f"/admin/comite/appel/{w['appel']}/classement"]
    for who in (m2, login_as("admin_cc"), login_as("lecture_cc")):
        for u in urls:
            code, html = _page(who, u)
            assert code in (200, 302) and CANARI not in html, u
        assert who.get(f"/admin/comite/appel/{w['appel']}/classement").status_code == 302
    with app.app_context():
        from admin_views.projets import dossier_pdf
        from tet.projets.permissions import voit_classement
        from tests.projets.builders import acteur, user

        cand = db.session.get(Candidature, w["cand"])
        a2 = acteur(user("membre1@tet.test"), "comite", w["appel"])
        assert not voit_classement(a2, cand.appel)
        with app.test_request_context():
            html = dossier_pdf.html(cand, evaluation.resultat_pour(a2, cand),
                                    voit_classement(a2, cand.appel))
            assert "Scores du comité" not in html and "Votre score" in html
    admin = login_as("admin_cc")
    admin.post(f"/admin/comite/appel/{w['appel']}/seance", data={"ouvrir": "1",
                                                                 "version": _version(app, w)})
    assert CANARI in _page(m2, url)[1]  # the meeting is open: the others' notes show
    assert CANARI in _page(admin, url)[1]


def _version(app, w):
    from tet.projets.models import AppelAProjets

    with app.app_context():
        return str(db.session.get(AppelAProjets, w["appel"]).version)


def test_evaluation_refusee_et_hors_perimetre(app, login_as, w):
    m1 = _membre(login_as, 0, w["appel"])
    url = f"/admin/comite/candidature/{w['cand']}"
    sans = _notes(w, [5, 3, 1, 5], "")
    r = m1.post(url, data=sans)
    assert r.status_code == 200 and any("Justifiez" in f for f in flashes(r))
    r = m1.post(url, data=_notes(w, [4, 3, 1, 5]))
    assert any("options : 1 / 3 / 5" in f for f in flashes(r))
    with app.app_context():
        assert db.session.scalar(select(func.count(Evaluation.id))) == 0  # all or nothing
    for cid in (w["brouillon"], w["autre"]):  # a draft, another call's candidature: 404
        assert m1.get(f"/admin/comite/candidature/{cid}").status_code == 404
        assert m1.post(f"/admin/comite/candidature/{cid}", data=_notes(w, [5] * 4)
                       ).status_code == 404
        assert m1.get(f"/admin/comite/candidature/{cid}/pdf").status_code == 404
    assert m1.get("/admin/comite/candidature/999999").status_code == 404
    # an organiser (who scores nothing) and a member of another call are refused
    r = login_as("admin_cc").post(url, data=_notes(w, [5] * 4))
    assert any("membres du comité" in f for f in flashes(r))
    with app.app_context():
        assert db.session.scalar(select(func.count(Evaluation.id))) == 0


def test_evaluation_verrou_optimiste(app, login_as, w):
    m1 = _membre(login_as, 0, w["appel"])
    url = f"/admin/comite/candidature/{w['cand']}"
    assert m1.post(url, data=_notes(w, [5, 5, 5, 5], "Première version.")).status_code == 302
    # a second tab, opened before that save, submits other notes with version 0
    r = m1.post(url, data=_notes(w, [1, 1, 1, 1], "Seconde version."))
    assert r.status_code == 409
    assert "Première version." in r.get_data(as_text=True)
    with app.app_context():
        assert set(db.session.scalars(select(Evaluation.note))) == {5}


def _evaluee(app, w, notes):
    """Score ``w['cand']`` ({member index: notes}) and close its evaluation."""
    with app.app_context():
        from tests.projets.builders import acteur, user
        m = _monde_de(w)
        cand = db.session.get(Candidature, w["cand"])
        noter_tout(m, cand, notes)
        transitions.appliquer(acteur(user("admin.cc@tet.test"), "collectivite",
                                     cand.appel.collectivite_id), cand, "clore_evaluation")
        db.session.commit()


class _Monde:
    """What ``noter_tout`` needs of ``builders.Monde`` from the ids."""

    def __init__(self, w):
        from tet.projets.models import Critere

        self.criteres = [db.session.get(Critere, i) for i in w["criteres"]]
        self.appel_id = w["appel"]

    def membre_a(self, i):
        from tests.projets.builders import acteur, user

        return acteur(user(f"membre{i}@tet.test"), "comite", self.appel_id)


def _monde_de(w):
    return _Monde(w)


def test_seance_vote_et_decision_par_role(app, login_as, w, outbox):
    _evaluee(app, w, {0: [5, 5, 5, 5], 1: [3, 3, 3, 3]})
    base = f"/admin/comite/candidature/{w['cand']}"
    seance = f"/admin/comite/appel/{w['appel']}/seance"
    # who may open the meeting: the organiser's admin / édition; nobody else
    assert login_as("lecture_cc").post(seance, data={"ouvrir": "1"}).status_code == 403
    assert login_as("admin_ville").post(seance, data={"ouvrir": "1"}).status_code == 404
    assert _membre(login_as, 0, w["appel"]).post(seance, data={"ouvrir": "1"}
                                                 ).status_code == 403
    assert login_as("porteur.test@tet.test").post(seance, data={"ouvrir": "1"}
                                                  ).status_code == 403
    r = login_as("edition_cc").post(seance, data={"ouvrir": "1", "version": "0"},
                                    follow_redirects=True)  # a stale page: refused
    assert any("changé entre-temps" in f for f in flashes(r))
    admin = login_as("admin_cc")
    r = admin.post(seance, data={"ouvrir": "1", "version": _version(app, w)}, follow_redirects=True)
    assert any("séance du comité est ouverte" in f for f in flashes(r))
    # no quorum yet: refused, clearly
    r = admin.post(f"{base}/decision", data={"motivation": "Beau projet."},
                   follow_redirects=True)
    assert any("Quorum non atteint" in f for f in flashes(r))
    assert _statut(app, w["cand"]) == "evalue"
    m1, m2 = _membre(login_as, 0, w["appel"]), _membre(login_as, 1, w["appel"])
    assert m1.post(f"{base}/vote", data={"choix": "pour"}).status_code == 302
    r = m2.post(f"{base}/vote", data={"choix": "pour"}, follow_redirects=True)
    assert any("vote est enregistré" in f for f in flashes(r))
    # a member never decides; lecture neither; another territory does not even see it
    r = m1.post(f"{base}/decision", data={"motivation": "Je décide seul."},
                follow_redirects=True)
    assert any("ne décide pas seul" in f for f in flashes(r))
    r = login_as("lecture_cc").post(f"{base}/decision", data={"motivation": "Non."},
                                    follow_redirects=True)
    assert any("Seuls les administrateurs" in f for f in flashes(r))
    assert login_as("admin_ville").post(f"{base}/decision", data={"motivation": "X"}
                                        ).status_code == 404
    assert login_as("porteur.test@tet.test").post(f"{base}/vote", data={"choix": "pour"}
                                                  ).status_code == 403
    assert _statut(app, w["cand"]) == "evalue"
    page = admin.get(base).get_data(as_text=True)
    assert "2 pour, 0 contre, 0 abstention" in page and "Quorum atteint" in page
    r = admin.post(f"{base}/decision", data={"motivation": ""}, follow_redirects=True)
    assert any("Motivez la décision" in f for f in flashes(r))
    outbox.clear()
    r = admin.post(f"{base}/decision", data={"motivation": "Projet structurant."},
                   follow_redirects=True)
    assert any("Décision enregistrée : retenu" in f for f in flashes(r))
    assert _statut(app, w["cand"]) == "retenu"
    assert any("porteur.test@tet.test" in mail["to"] and "retenu" in mail["body"]
               for mail in outbox)


def test_classement_calcule_a_la_main(app, login_as, w):
    # m0: Opportunité (100 + 50) / 2 = 75, Faisabilité (0 + 100) / 2 = 50, G = 65
    # m1: Opportunité 50, Faisabilité (50 + 0) / 2 = 25, G = 40
    # S = 62,5 / 37,5, G = 0,6 × 62,5 + 0,4 × 37,5 = 52,5; axe: (3000 × 75 + 2000 × 50) /
    # 5000 = 65; écart 65 − 40 = 25, σ = 12,5
    _evaluee(app, w, {0: [5, 3, 1, 5], 1: [3, 3, 3, 1]})
    with app.app_context():
        from tests.projets.builders import acteur, user

        org = acteur(user("admin.cc@tet.test"), "collectivite",
                     db.session.get(Candidature, w["cand"]).appel.collectivite_id)
        m = _Monde(w)
        cand = db.session.get(Candidature, w["cand"])
        faible = _deuxieme(m, cand.appel, org)
        appels.ouvrir_seance(org, cand.appel)
        db.session.commit()
        faible_id = faible.id
    url = f"/admin/comite/appel/{w['appel']}/classement"
    html = login_as("admin_cc").get(url).get_data(as_text=True)
    ligne = html.split(f"/admin/comite/candidature/{w['cand']}\"")[1].split("</tr>")[0]
    for chiffre in ("52,5", "62,5", "37,5", ">65,0<", "25,0 (12,5)"):  # one decimal
        assert chiffre in ligne, chiffre
    assert html.index(f"candidature/{w['cand']}\"") < html.index(f"candidature/{faible_id}\"")
    assert "Écart fort" not in ligne and "moyenne des matrices pondérée" in html
    m2 = _membre(login_as, 1, w["appel"])
    assert m2.get(url).status_code == 200  # members too, once the meeting is open
    assert login_as("admin_ville").get(url).status_code == 404
    assert login_as("porteur.test@tet.test").get(url).status_code == 403


def _deuxieme(m, appel, org):
    from tests.projets.builders import organisation

    holder = organisation("Troisième porteur", "porteur.trois@tet.test")
    import io

    from tet.projets import dossiers, pieces
    from tests.projets.builders import acteur

    a = acteur(holder[1], "organisation", holder[0].id)
    d = dossiers.creer(a, {"titre": "Projet moins bien noté", "description": "Moins."})
    cand = dossiers.candidater(a, d, appel)
    dossiers.modifier_candidature(a, cand, {"axe_id": appel.axes[0].id})
    pieces.ajouter(a, d, io.BytesIO(PDF), "budget.pdf", appel.pieces[0])
    transitions.appliquer(a, cand, "deposer")
    transitions.appliquer(org, cand, "declarer_eligible")
    noter_tout(m, cand, {0: [1, 1, 1, 1]})
    return cand


def test_classement_sans_n_plus_1(app, login_as, w):
    _evaluee(app, w, {0: [5, 3, 1, 5], 1: [3, 3, 3, 1]})
    with app.app_context():
        from tests.projets.builders import acteur, user

        org = acteur(user("admin.cc@tet.test"), "collectivite",
                     db.session.get(Candidature, w["cand"]).appel.collectivite_id)
        appels.ouvrir_seance(org, db.session.get(Candidature, w["cand"]).appel)
        db.session.commit()
    admin = login_as("admin_cc")
    url = f"/admin/comite/appel/{w['appel']}/classement"
    admin.get(url)
    with sql_sent(app) as un:
        assert admin.get(url).status_code == 200
    with app.app_context():
        m = _Monde(w)
        cand = db.session.get(Candidature, w["cand"])
        org = acteur(user("admin.cc@tet.test"), "collectivite", cand.appel.collectivite_id)
        _deuxieme(m, cand.appel, org)
        db.session.commit()
    with sql_sent(app) as deux:
        assert admin.get(url).status_code == 200
    assert len(deux) == len(un)


def test_pdf_du_dossier(app, login_as, w, client):
    url = f"/admin/comite/candidature/{w['cand']}/pdf"
    r = _membre(login_as, 0, w["appel"]).get(url)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF")
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert login_as("admin_cc").get(url).data.startswith(b"%PDF")
    assert login_as("admin_ville").get(url).status_code == 404
    assert login_as("porteur.test@tet.test").get(url).status_code == 403
    assert client.get(url).status_code == 302
    with app.app_context(), app.test_request_context():
        from admin_views.projets import dossier_pdf

        cand = db.session.get(Candidature, w["cand"])
        html = dossier_pdf.html(cand, evaluation.resultat(cand))
        assert "Navette électrique" in html and "Budget prévisionnel" in html
        assert "Scores du comité" in html
        with pytest.raises(dossier_pdf.RessourceRefusee):
            dossier_pdf.statique("https://cdn.example.org/x.css")
        with pytest.raises(dossier_pdf.RessourceRefusee):
            dossier_pdf.statique(dossier_pdf.BASE_URL + "static/../app.py")
        assert dossier_pdf.statique(dossier_pdf.BASE_URL + "static/css/dossier_pdf.css")


def test_pieces_du_dossier(app, login_as, w):
    m1 = _membre(login_as, 0, w["appel"])
    url = f"/admin/comite/candidature/{w['cand']}/piece/{w['piece']}"
    r = m1.get(url)
    assert r.status_code == 200 and r.data == PDF
    assert "attachment" in r.headers["Content-Disposition"]
    r.close()
    # a pièce of another dossier through this candidature: 404
    assert m1.get(f"/admin/comite/candidature/{w['cand']}/piece/{w['autre_piece']}"
                  ).status_code == 404
    assert login_as("admin_ville").get(url).status_code == 404
    with app.app_context():
        assert db.session.get(PieceJustificative, w["piece"]) is not None


def test_espace_du_membre(app, login_as, w):
    m1 = _membre(login_as, 0, w["appel"])
    assert m1.post(f"/admin/comite/candidature/{w['cand']}", data=_notes(w, [5] * 4)
                   ).status_code == 302
    html = m1.get("/admin/comite/").get_data(as_text=True)
    assert "1 dossier entièrement noté sur 1" in html and "4 / 4" in html
    assert "Brouillon secret" not in html and "Dossier de l&#39;autre appel" not in html
    html = login_as("admin_cc").get(f"/admin/comite/appel/{w['appel']}").get_data(as_text=True)
    assert "4 / 4" in html and "0 / 4" in html  # who evaluated what (counts only)
    assert login_as("porteur.test@tet.test").get("/admin/comite/").status_code == 403
    assert login_as("admin_ville").get(f"/admin/comite/appel/{w['appel']}").status_code == 404


def _valeur_proposee(app, w):
    _evaluee(app, w, {0: [5, 5, 5, 5], 1: [5, 5, 5, 5]})
    with app.app_context():
        from tests.projets.builders import acteur, user
        from tet.indicateurs.models import IndicateurDefinition
        from tet.projets import decision

        cand = db.session.get(Candidature, w["cand"])
        org = acteur(user("admin.cc@tet.test"), "collectivite", cand.appel.collectivite_id)
        appels.ouvrir_seance(org, cand.appel)
        for i in (0, 1):
            decision.voter(_Monde(w).membre_a(i), cand, "pour")
        decision.decider(org, cand, "Retenu.")
        transitions.appliquer(org, cand, "conventionner")
        transitions.appliquer(org, cand, "mettre_en_suivi")
        definition = IndicateurDefinition(collectivite_id=cand.appel.collectivite_id,
                                          nom="Trajets évités", unite="trajets")
        db.session.add(definition)
        impact = suivi.ajouter_impact(org, cand, definition, 2025)
        porteur = acteur(user("porteur.test@tet.test"), "organisation",
                         cand.dossier.organisation_id)
        row = suivi.proposer_valeur(porteur, impact, 2026, "resultat", "1234,5")
        db.session.commit()
        return row.id, row.version, cand.fiche_id


def test_valeurs_d_impact_a_valider(app, login_as, w, outbox):
    vid, version, fiche_id = _valeur_proposee(app, w)
    admin = login_as("admin_cc")
    html = admin.get("/admin/comite-suivi/").get_data(as_text=True)
    assert "Trajets évités" in html and f"/admin/fiche/{fiche_id}" in html
    assert "1\u202f234,5" in html
    url = f"/admin/comite-suivi/valeur/{vid}"
    r = admin.post(url, data={"verdict": "refuser", "commentaire": "", "version": version},
                   follow_redirects=True)
    assert any("raison du refus" in f for f in flashes(r))
    r = login_as("lecture_cc").post(url, data={"verdict": "valider", "version": version},
                                    follow_redirects=True)
    assert any("valide les valeurs" in f for f in flashes(r)), flashes(r)
    assert login_as("admin_ville").post(url, data={"verdict": "valider"}).status_code == 404
    assert _membre(login_as, 0, w["appel"]).post(url, data={"verdict": "valider"}
                                                 ).status_code == 403
    assert "Trajets évités" not in login_as("admin_ville").get(
        "/admin/comite-suivi/").get_data(as_text=True)
    outbox.clear()
    r = admin.post(url, data={"verdict": "refuser", "commentaire": "Source manquante.",
                              "version": version}, follow_redirects=True)
    assert any("Valeur refusée" in f for f in flashes(r))
    with app.app_context():
        assert db.session.get(ImpactValeur, vid).statut == "refusee"
    assert outbox


@pytest.mark.parametrize("url", [
    "/admin/comite/", "/admin/comite/appel/1", "/admin/comite/appel/1/classement",
    "/admin/comite/candidature/1", "/admin/comite/candidature/1/pdf",
    "/admin/comite/candidature/1/piece/1", "/admin/comite-suivi/",
    "/admin/comite/invitation/abc"])
def test_anonyme_renvoye_a_la_connexion(client, url):
    r = client.get(url)
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]


def test_support_voit_tout(app, login_as, w):
    support = login_as("support")
    assert support.get(f"/admin/comite/candidature/{w['cand']}").status_code == 200
    assert support.get(f"/admin/comite/appel/{w['appel']}/classement").status_code == 200
    assert support.get("/admin/comite-suivi/").status_code == 200


def test_invitation_acceptee_par_la_bonne_adresse(app, login_as, w):
    with app.app_context():
        from tests import builders
        from tests.projets.builders import acteur, user
        from tet.projets import comite
        from tet.projets.models import AppelAProjets, MembreComite

        appel = db.session.get(AppelAProjets, w["appel"])
        org = acteur(user("admin.cc@tet.test"), "collectivite", appel.collectivite_id)
        membre = comite.ajouter(org, appel, "expert", email="expert.invite@tet.test")
        jeton, mid = comite.jeton(membre), membre.id
        builders.user("intrus@tet.test")
        db.session.commit()
    url = f"/admin/comite/invitation/{jeton}"
    r = login_as("intrus@tet.test").post(url, follow_redirects=True)
    assert any("autre adresse" in f for f in flashes(r))
    with app.app_context():
        from tet.comptes.models import User

        u = db.session.scalar(select(User).where(User.email == "expert.invite@tet.test"))
        from tet.colonnes import utcnow

        from tet.comptes import services as accounts

        accounts.set_password(u, "tet-demo", enforce_policy=False)  # the reset link, used
        u.email_verifie_le, u.active = utcnow(), True
        db.session.commit()
    invite = login_as("expert.invite@tet.test")
    assert invite.get(url).status_code == 200
    r = invite.post(url, follow_redirects=True)
    assert any("Vous siégez au comité" in f for f in flashes(r))
    with app.app_context():
        assert db.session.get(MembreComite, mid).user_id is not None


def _liens(html: str) -> set[str]:
    import re

    return {h for h in re.findall(r'href="(/admin/[^"#]*)"', html)}


def test_chaque_lien_montre_se_suit(app, login_as, w):
    """No dead link on the committee's pages: each link a member or the organiser sees
    answers (the séance open, the candidature evaluated, so every block shows)."""
    _evaluee(app, w, {0: [5, 5, 5, 5], 1: [3, 3, 3, 3]})
    login_as("admin_cc").post(f"/admin/comite/appel/{w['appel']}/seance",
                              data={"ouvrir": "1", "version": _version(app, w)})
    for client in (_membre(login_as, 0, w["appel"]), login_as("admin_cc"),
                   login_as("lecture_cc")):
        vus, a_voir = set(), {"/admin/comite/", f"/admin/comite/candidature/{w['cand']}"}
        while a_voir:
            url = a_voir.pop()
            vus.add(url)
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            if r.mimetype == "text/html":
                a_voir |= {u for u in _liens(r.get_data(as_text=True))
                           if u.startswith("/admin/comite") and u not in vus}
            r.close()
        assert f"/admin/comite/appel/{w['appel']}/classement" in vus


def test_listes_sans_n_plus_1(app, login_as, w):
    admin, m1 = login_as("admin_cc"), _membre(login_as, 0, w["appel"])
    urls = [(admin, f"/admin/comite/appel/{w['appel']}"), (m1, "/admin/comite/"),
            (admin, "/admin/comite-suivi/")]
    for client, url in urls:
        client.get(url)
    with sql_sent(app) as avant:
        for client, url in urls:
            assert client.get(url).status_code == 200
    with app.app_context():
        from tests.projets.builders import acteur, user

        m = _Monde(w)
        cand = db.session.get(Candidature, w["cand"])
        org = acteur(user("admin.cc@tet.test"), "collectivite", cand.appel.collectivite_id)
        _deuxieme(m, cand.appel, org)
        db.session.commit()
    with sql_sent(app) as apres:
        for client, url in urls:
            assert client.get(url).status_code == 200
    assert len(apres) == len(avant)
