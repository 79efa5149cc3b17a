"""Organiser's views of the calls for projects: each action by each role (refusals change
nothing), the settings' checks (French messages), the copy, the committee and its
invitation, the candidatures' transitions and thread, the exports and the list's queries."""
from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.conftest import flashes as _flashes
from tests.projets import builders as pb
from tests.sql_spy import sql_sent
from tet.comptes.journal import AuditLog
from tet.extensions import db
from tet.projets.models import AppelAProjets, Candidature, Etape, MembreComite, Message

BASE = "/admin/projets/appels"
PORTEUR, MEMBRE = "porteur.test@tet.test", "membre0@tet.test"
GERANTS = ("admin_cc", "edition_cc", "support")
LECTEURS = ("lecture_cc",)
ETRANGERS = ("admin_ville",)  # an organiser of another territory: 404 on the CC's rows
HORS = (PORTEUR, MEMBRE)  # no organiser access at all: 403


@pytest.fixture
def monde(app):
    """The CC's call (open) with one deposited candidature; ids only."""
    with app.app_context():
        m = pb.monde("ouvert")
        cand = pb.candidature(m)
        db.session.commit()
        return {"appel": m.appel.id, "cand": cand.id, "cc": m.cc.id,
                "criteres": [c.id for c in m.criteres], "axe": m.axe.id,
                "matrices": [m.opportunite.id, m.faisabilite.id], "piece": m.piece.id}


def flashes(response) -> list[str]:
    return [html.unescape(f) for f in _flashes(response)]


def _appel(app, id_):
    with app.app_context():
        a = db.session.get(AppelAProjets, id_)
        return {"statut": a.statut, "titre": a.titre, "version": a.version,
                "etapes": {e.kind: (e.date_debut, e.date_fin) for e in a.etapes},
                "axes": [(x.nom, x.part) for x in a.axes], "membres": len(a.comite)}


def _statut(app, cand_id):
    with app.app_context():
        return db.session.get(Candidature, cand_id).statut


def _form(client, url):
    """The fields of the first POST form of a page, as the browser would send them."""
    html = client.get(url).get_data(as_text=True)
    form = html[html.index('<form method="post" novalidate'):]
    form = form[:form.index("</form>")]
    data = {}
    for tag in re.findall(r"<(?:input|textarea|select)[^>]*>(?:[^<]*</textarea>)?|"
                          r"<select[^>]*>.*?</select>", form, re.S):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        name = name.group(1)
        if tag.startswith("<textarea"):
            data[name] = re.sub(r"<[^>]+>", "", tag.split(">", 1)[1]).replace(
                "&#39;", "'").replace("&amp;", "&")
        elif tag.startswith("<select"):
            sel = re.search(r'<option selected[^>]*value="([^"]*)"|<option value="([^"]*)" '
                            r'selected', tag)
            data[name] = (sel.group(1) or sel.group(2)) if sel else ""
        elif 'type="checkbox"' in tag:
            if "checked" in tag:
                data[name] = "y"
        else:
            value = re.search(r'value="([^"]*)"', tag)
            data[name] = value.group(1).replace("&#39;", "'").replace("&amp;", "&") \
                if value else ""
    return data


def _client(login_as, client, who):
    return client if who is None else login_as(who)


# --- the list and the call's page -----------------------------------------------------

@pytest.mark.parametrize("who,code,voit", [
    ("admin_cc", 200, True), ("edition_cc", 200, True), ("lecture_cc", 200, True),
    ("support", 200, True), ("admin_ville", 200, False), (PORTEUR, 403, False),
    (MEMBRE, 403, False), (None, 302, False)])
def test_liste_et_page_par_role(app, login_as, client, monde, who, code, voit):
    c = _client(login_as, client, who)
    response = c.get(f"{BASE}/")
    assert response.status_code == code
    assert ("Appel test 2026" in response.get_data(as_text=True)) is voit
    page = c.get(f"{BASE}/details/?id={monde['appel']}")
    assert page.status_code == (200 if voit else 404 if code == 200 else code)
    cand = c.get(f"{BASE}/{monde['appel']}/candidature/{monde['cand']}")
    assert cand.status_code == page.status_code
    if voit:
        assert "Navette électrique" in page.get_data(as_text=True)
        assert "Déposé : 1" in c.get(f"{BASE}/").get_data(as_text=True)


def test_boutons_selon_le_role(app, login_as, monde):
    admin = login_as("admin_cc").get(f"{BASE}/details/?id={monde['appel']}")
    html = admin.get_data(as_text=True)
    assert "Clore les dépôts" in html and "Déclarer éligible" in html
    assert "Copier pour l’année suivante" in html
    lecture = login_as("lecture_cc").get(f"{BASE}/details/?id={monde['appel']}")
    html = lecture.get_data(as_text=True)
    assert "Clore les dépôts" not in html and "Déclarer éligible" not in html
    assert "Modifier les paramètres" not in html and "Exporter les évaluations" not in html


# --- the call's statut and copy -----------------------------------------------------

@pytest.mark.parametrize("who,code", [
    ("admin_cc", 302), ("edition_cc", 302), ("support", 302), ("lecture_cc", 403),
    ("admin_ville", 404), (PORTEUR, 403), (MEMBRE, 403), (None, 302)])
def test_clore_par_role(app, login_as, client, monde, who, code):
    c = _client(login_as, client, who)
    response = c.post(f"{BASE}/etat/", data={"id": monde["appel"], "op": "avancer"})
    assert response.status_code == code
    attendu = "clos" if who in GERANTS else "ouvert"
    assert _appel(app, monde["appel"])["statut"] == attendu


def test_ouvrir_refuse_avec_message(app, login_as):
    with app.app_context():
        m = pb.monde("brouillon")
        m.opportunite.poids = 50  # 50 + 40
        db.session.commit()
        appel_id = m.appel.id
    c = login_as("admin_cc")
    response = c.post(f"{BASE}/etat/", data={"id": appel_id, "op": "avancer"},
                      follow_redirects=True)
    assert any("Les poids des matrices doivent totaliser 100 %" in f
               for f in flashes(response))
    assert _appel(app, appel_id)["statut"] == "brouillon"


def test_marquer_decide_refuse_tant_qu_un_dossier_attend(app, login_as, monde):
    c = login_as("admin_cc")
    c.post(f"{BASE}/etat/", data={"id": monde["appel"], "op": "avancer"})
    response = c.post(f"{BASE}/etat/", data={"id": monde["appel"], "op": "avancer"},
                      follow_redirects=True)
    assert any(re.search(r"dossiers? attend(ent)? encore une décision", f)
               for f in flashes(response))
    assert _appel(app, monde["appel"])["statut"] == "clos"


def test_copier(app, login_as, monde):
    response = login_as("admin_cc").post(f"{BASE}/etat/",
                                         data={"id": monde["appel"], "op": "copier"})
    assert response.status_code == 302
    with app.app_context():
        copie = db.session.scalar(select(AppelAProjets).where(
            AppelAProjets.copied_from_id == monde["appel"]))
        assert copie.annee == 2027 and copie.statut == "brouillon"
        assert copie.titre == "Appel test 2027" and len(copie.matrices) == 2
        assert db.session.scalar(select(func.count(Candidature.id)).where(
            Candidature.appel_id == copie.id)) == 0
    assert f"id={copie.id}" in response.headers["Location"]
    refused = login_as("lecture_cc").post(f"{BASE}/etat/",
                                          data={"id": monde["appel"], "op": "copier"})
    assert refused.status_code == 403


# --- creation and settings ------------------------------------------------------------

@pytest.mark.parametrize("who,code", [
    ("admin_cc", 302), ("edition_cc", 302), ("lecture_cc", 403), (PORTEUR, 403),
    (MEMBRE, 403), (None, 302)])
def test_creer_par_role(app, login_as, client, monde, who, code):
    c = _client(login_as, client, who)
    response = c.post(f"{BASE}/new/", data={"titre": "Nouvel appel", "annee": 2027})
    assert response.status_code == code
    with app.app_context():
        appel = db.session.scalar(select(AppelAProjets).where(
            AppelAProjets.titre == "Nouvel appel"))
        assert (appel is not None) is (code == 302 and who is not None)
        if appel is not None:
            assert appel.statut == "brouillon" and appel.territoire[0].nom
            assert "/edit/" in response.headers["Location"]


def test_appel_national_du_support(app, login_as):
    c = login_as("support")
    assert c.post(f"{BASE}/new/", data={"titre": "Appel national", "annee": 2027}) \
        .status_code == 302
    with app.app_context():
        appel = db.session.scalar(select(AppelAProjets).where(
            AppelAProjets.titre == "Appel national"))
        assert appel.collectivite_id is None and appel.territoire == []
        appel_id = appel.id
    assert "National" in c.get(f"{BASE}/").get_data(as_text=True)
    assert c.get(f"{BASE}/territoire/?query=Ville").get_json()  # any collectivité
    for who in ("admin_cc", "admin_ville", "lecture_cc"):
        assert login_as(who).get(f"{BASE}/details/?id={appel_id}").status_code == 404


@pytest.fixture
def brouillon(app):
    with app.app_context():
        m = pb.monde("brouillon")
        db.session.commit()
        return m.appel.id


def test_parametres_enregistres_et_audites(app, login_as, brouillon):
    c = login_as("admin_cc")
    url = f"{BASE}/edit/?id={brouillon}"
    data = _form(c, url)
    assert data["axes-0-nom"] == "Mobilité durable" and data["version"]
    data.update({"titre": "Appel modifié 2026", "axes-0-part": "60", "axes-1-nom": "Énergie",
                 "axes-1-part": "40", "etapes-0-debut": "2026-01-01",
                 "etapes-0-fin": "2026-03-31", "etapes-1-debut": "2026-04-01",
                 "pieces-1-libelle": "Statuts", "options_notes": "0, 2, 4"})
    response = c.post(url, data=data)
    assert response.status_code == 302, flashes(c.get(url))
    after = _appel(app, brouillon)
    assert after["titre"] == "Appel modifié 2026"
    assert after["axes"] == [("Mobilité durable", 60), ("Énergie", 40)]
    assert after["etapes"]["depot"][1].isoformat() == "2026-03-31"
    with app.app_context():
        a = db.session.get(AppelAProjets, brouillon)
        assert a.options_notes == [0, 2, 4] and [p.libelle for p in a.pieces] == [
            "Budget prévisionnel", "Statuts"]
        assert db.session.scalar(select(func.count(AuditLog.id)).where(
            AuditLog.context.like("%paramètres de l’appel%"))) >= 1


@pytest.mark.parametrize("change,message", [
    ({"axes-0-part": "90"}, "Les parts des axes doivent totaliser 100 % (total actuel : 90 %)"),
    ({"matrices-0-poids": "50"}, "Les poids des matrices doivent totaliser 100 %"),
    ({"matrices-1-criteres-0-poids": "20"},
     "Les poids des critères de « Faisabilité » doivent totaliser 100 %"),
    ({"etapes-0-debut": "2026-05-01", "etapes-0-fin": "2026-04-01"},
     "L’étape « Dépôt » se termine avant de commencer."),
    ({"etapes-0-debut": "2026-05-01", "etapes-1-debut": "2026-04-01"},
     "L’étape « Éligibilité » ne peut pas commencer avant l’étape « Dépôt »"),
    ({"options_notes": "3"}, "Donnez de 2 à 10 options de notation différentes"),
    ({"options_notes": "un, deux"}, "Les options de notation sont des nombres entiers"),
    ({"matrices-0-options": "2"}, "Donnez de 2 à 10 options de notation différentes"),
    ({"annee": "1800"}, "Entre 2000 et 2100."),
])
def test_parametres_invalides(app, login_as, brouillon, change, message):
    c = login_as("admin_cc")
    url = f"{BASE}/edit/?id={brouillon}"
    data = _form(c, url)
    before = _appel(app, brouillon)
    data.update(change)
    data["titre"] = "Ne doit pas être enregistré"
    response = c.post(url, data=data)
    assert response.status_code == 400
    assert any(message in f for f in flashes(response)), flashes(response)
    assert _appel(app, brouillon) == before


def test_parametres_par_role(app, login_as, client, brouillon):
    url = f"{BASE}/edit/?id={brouillon}"
    for who, code in (("lecture_cc", 403), ("admin_ville", 404), (PORTEUR, 403),
                      (None, 302)):
        c = _client(login_as, client, who)
        assert c.get(url).status_code == code
        assert c.post(url, data={"titre": "Piraté", "annee": 2026}).status_code == code
    assert _appel(app, brouillon)["titre"] == "Appel test 2026"


def test_grille_figee_apres_ouverture(app, login_as, monde):
    c = login_as("admin_cc")
    url = f"{BASE}/edit/?id={monde['appel']}"
    data = _form(c, url)
    assert "axes-0-nom" not in data  # the grid is shown read-only
    data.update({"titre": "Titre corrigé", "axes-0-nom": "Autre", "axes-0-part": "100"})
    assert c.post(url, data=data).status_code == 302
    after = _appel(app, monde["appel"])
    assert after["titre"] == "Titre corrigé" and after["axes"] == [("Mobilité durable", 100)]


def test_parametres_conflit(app, login_as, brouillon):
    c = login_as("admin_cc")
    url = f"{BASE}/edit/?id={brouillon}"
    data = _form(c, url)
    other = login_as("edition_cc")
    other_data = _form(other, url)
    other_data["titre"] = "Titre de l'autre"
    assert other.post(url, data=other_data).status_code == 302
    data["titre"] = "Mon titre"
    response = c.post(url, data=data)
    assert response.status_code == 409
    assert _appel(app, brouillon)["titre"] == "Titre de l'autre"


def test_territoire_limite_a_l_organisateur(app, login_as, brouillon, ids):
    c = login_as("admin_cc")
    found = c.get(f"{BASE}/territoire/?query=Val").get_json()
    names = {n for _i, n in found}
    assert names and all(i in (ids["cc"], ids["commune1"], ids["commune2"])
                         for i, _n in found), names
    assert c.get(f"{BASE}/territoire/?query=Ville").get_json() == [] or all(
        i != ids["ville"] for i, _n in c.get(f"{BASE}/territoire/?query=Ville").get_json())
    url = f"{BASE}/edit/?id={brouillon}"
    data = _form(c, url)
    data["territoire"] = f"{ids['cc']},{ids['ville']}"
    response = c.post(url, data=data)
    assert response.status_code == 400
    assert any("Le territoire ne peut compter" in f for f in flashes(response))
    data["territoire"] = f"{ids['cc']},{ids['commune1']}"
    assert c.post(url, data=data).status_code == 302
    with app.app_context():
        assert {x.id for x in db.session.get(AppelAProjets, brouillon).territoire} == {
            ids["cc"], ids["commune1"]}
    assert login_as("lecture_cc").get(f"{BASE}/territoire/?query=Val").status_code == 403


# --- candidatures: transitions and thread ---------------------------------------------

@pytest.mark.parametrize("who,code", [
    ("admin_cc", 302), ("support", 302), ("lecture_cc", 403), ("admin_ville", 404),
    (PORTEUR, 403), (MEMBRE, 403), (None, 302)])
def test_declarer_eligible_par_role(app, login_as, client, monde, who, code):
    c = _client(login_as, client, who)
    response = c.post(f"{BASE}/{monde['appel']}/candidature/{monde['cand']}/transition",
                      data={"nom": "declarer_eligible"})
    assert response.status_code == code
    attendu = "eligible" if who in ("admin_cc", "support") else "depose"
    assert _statut(app, monde["cand"]) == attendu


def test_renvoyer_exige_un_message(app, login_as, outbox, monde):
    c = login_as("admin_cc")
    url = f"{BASE}/{monde['appel']}/candidature/{monde['cand']}/transition"
    response = c.post(url, data={"nom": "renvoyer", "motif": ""}, follow_redirects=True)
    assert any("Indiquez le motif" in f for f in flashes(response))
    assert _statut(app, monde["cand"]) == "depose"
    c.post(url, data={"nom": "renvoyer", "motif": "Il manque le plan de financement."})
    assert _statut(app, monde["cand"]) == "brouillon"
    assert any("plan de financement" in str(m) for m in outbox)


def test_conventionner_puis_suivi_cree_la_fiche(app, login_as, monde):
    with app.app_context():
        db.session.get(Candidature, monde["cand"]).statut = "retenu"
        db.session.commit()
    c = login_as("edition_cc")
    url = f"{BASE}/{monde['appel']}/candidature/{monde['cand']}"
    assert "Conventionner" in c.get(url).get_data(as_text=True)
    c.post(url + "/transition", data={"nom": "conventionner"})
    assert "Mettre en suivi" in c.get(url).get_data(as_text=True)
    c.post(url + "/transition", data={"nom": "mettre_en_suivi"})
    with app.app_context():
        cand = db.session.get(Candidature, monde["cand"])
        assert cand.statut == "en_suivi" and cand.fiche_id is not None
    assert "Fiche action du projet" in c.get(url).get_data(as_text=True)


def test_messages_organisateur(app, login_as, outbox, monde):
    url = f"{BASE}/{monde['appel']}/candidature/{monde['cand']}"
    for who, code in (("lecture_cc", 403), ("admin_ville", 404), (PORTEUR, 403)):
        assert login_as(who).post(url + "/message", data={"corps": "x"}).status_code == code
    c = login_as("admin_cc")
    assert 'action="' + url + '/message"' in c.get(url).get_data(as_text=True)
    assert "Nouveau message" not in login_as("lecture_cc").get(url).get_data(as_text=True)
    response = c.post(url + "/message", data={"corps": "Merci d'ajouter vos statuts."})
    assert response.status_code == 302
    vide = c.post(url + "/message", data={"corps": "  "}, follow_redirects=True)
    assert any("Le message est vide." in f for f in flashes(vide))
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id))) == 1
    assert "Merci d&#39;ajouter vos statuts." in c.get(url).get_data(as_text=True)
    assert any("ajouter vos statuts" in str(m) for m in outbox)


# --- committee ----------------------------------------------------------------------

def test_comite_ajout_invitation_acceptation_retrait(app, login_as, client, outbox, monde):
    c = login_as("admin_cc")
    page = f"{BASE}/{monde['appel']}/comite"
    assert "membre0@tet.test" in c.get(page).get_data(as_text=True)
    found = c.get(f"{page}/comptes?query=lecture").get_json()
    assert [e for _i, e in found if "lecture.cc@tet.test" in e]
    assert not c.get(f"{page}/comptes?query=admin.ville").get_json()  # another territory
    lecture_id = next(i for i, e in found if "lecture.cc@tet.test" in e)
    c.post(f"{page}/ajouter", data={"user_id": lecture_id})
    with app.app_context():
        seat = db.session.scalar(select(MembreComite).where(
            MembreComite.appel_id == monde["appel"], MembreComite.user_id == lecture_id))
        assert seat is not None and seat.origine == "organisateur"
    with app.app_context():
        from tet.comptes.models import User

        ville_admin = db.session.scalar(select(User.id).where(
            User.email == "admin.ville@tet.test"))
    refused = c.post(f"{page}/ajouter", data={"user_id": ville_admin}, follow_redirects=True)
    assert any("Choisissez un compte" in f for f in flashes(refused))
    bad = c.post(f"{page}/ajouter", data={"email": "pas-une-adresse"}, follow_redirects=True)
    assert any("Adresse e-mail invalide." in f for f in flashes(bad))

    c.post(f"{page}/ajouter", data={"email": "Expert@Exterieur.test"})
    mail = str(outbox[-1])
    lien = re.search(r"/admin/projets/invitation/([\w.\-]+)", mail)
    assert lien, mail
    url = f"/admin/projets/invitation/{lien.group(1)}"
    assert client.get(url).status_code == 302  # anonymous: sign in first
    with app.app_context():
        from tests import builders
        from tet.comptes import services

        expert = services.find_user("expert@exterieur.test")
        services.set_password(expert, "tet-demo", enforce_policy=False)
        expert.email_verifie_le = builders.utcnow()
        db.session.commit()
        expert_id = expert.id
    autre = login_as("lecture_cc")
    autre.post(url)
    with app.app_context():
        assert db.session.scalar(select(MembreComite.user_id).where(
            MembreComite.email == "expert@exterieur.test")) is None
    e = login_as("expert@exterieur.test")
    assert "Accepter et siéger" in e.get(url).get_data(as_text=True)
    assert e.post(url).status_code == 302
    with app.app_context():
        seat = db.session.scalar(select(MembreComite).where(
            MembreComite.email == "expert@exterieur.test"))
        assert seat.user_id == expert_id and seat.accepte_le is not None
        seat_id = seat.id
    assert "n’est pas ou plus valide" in e.get(url).get_data(as_text=True)

    for who, code in (("lecture_cc", 403), ("admin_ville", 404), (PORTEUR, 403)):
        assert login_as(who).post(f"{page}/retirer", data={"membre_id": seat_id}) \
            .status_code == code
        assert login_as(who).post(f"{page}/ajouter", data={"email": "x@y.test"}) \
            .status_code == code
    c.post(f"{page}/retirer", data={"membre_id": seat_id})
    with app.app_context():
        assert db.session.get(MembreComite, seat_id) is None
        assert db.session.scalar(select(func.count(MembreComite.id)).where(
            MembreComite.email == "x@y.test")) == 0


# --- exports -----------------------------------------------------------------------

def _rows(response):
    wb = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def test_export_dossiers(app, login_as, monde):
    with app.app_context():  # a dossier of the next year's call: never in this export
        from dataclasses import replace

        from tet.projets import appels

        m = pb.Monde(**{**{k: None for k in pb.Monde.__dataclass_fields__}})
        appel = db.session.get(AppelAProjets, monde["appel"])
        copie = appels.copier(pb.acteur(pb.user("admin.cc@tet.test"), "collectivite",
                                        monde["cc"]), appel)
        copie.statut = "ouvert"
        db.session.flush()
        from tet.projets.models import Organisation

        autre = db.session.scalar(select(Organisation).where(
            Organisation.nom == "Entreprise Autre"))
        m = replace(m, appel=copie, axe=copie.axes[0], piece=copie.pieces[0])
        pb.candidature(m, titre='=HYPERLINK("x")',
                       org=(autre, pb.user("porteur.autre@tet.test")))
        other_appel = copie.id
        db.session.commit()
    c = login_as("lecture_cc")
    response = c.get(f"{BASE}/{monde['appel']}/export/dossiers.xlsx")
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[0][:3] == ["N° candidature", "Statut", "Dossier"]
    assert [r[2] for r in rows[1:]] == ["Navette électrique"]
    formula = _rows(c.get(f"{BASE}/{other_appel}/export/dossiers.xlsx"))
    assert formula[1][2] == '=HYPERLINK("x")'  # a text cell, not a formula
    assert login_as("admin_ville").get(
        f"{BASE}/{monde['appel']}/export/dossiers.xlsx").status_code == 404
    assert login_as(PORTEUR).get(
        f"{BASE}/{monde['appel']}/export/dossiers.xlsx").status_code == 403


def test_export_evaluations_apres_ouverture_de_la_seance(app, login_as, monde):
    with app.app_context():
        from tet.projets import evaluation
        from tet.projets.models import Critere

        cand = db.session.get(Candidature, monde["cand"])
        cand.statut = "eligible"
        membre = db.session.scalar(select(MembreComite).where(
            MembreComite.appel_id == monde["appel"]).order_by(MembreComite.id))
        for cid in monde["criteres"]:
            evaluation.noter(pb.acteur(membre.user, "comite", monde["appel"]), cand,
                             db.session.get(Critere, cid), 3, "Justification détaillée.")
        db.session.commit()
    url = f"{BASE}/{monde['appel']}/export/evaluations.xlsx"
    assert login_as("admin_cc").get(url).status_code == 403
    support = _rows(login_as("support").get(url))
    assert len(support) == 5 and support[1][3] == "membre0@tet.test"
    with app.app_context():
        appel = db.session.get(AppelAProjets, monde["appel"])
        from tet.colonnes import utcnow

        appel.seance_ouverte, appel.seance_ouverte_le = True, utcnow()
        db.session.commit()
    rows = _rows(login_as("lecture_cc").get(url))
    assert len(rows) == 5 and rows[1][6] == 3
    assert login_as("admin_ville").get(url).status_code == 404


# --- queries ------------------------------------------------------------------------

def test_liste_sans_n_plus_1(app, login_as):
    c = login_as("admin_cc")

    def count():
        with sql_sent(app) as sent:
            assert c.get(f"{BASE}/").status_code == 200
        return len(sent)

    with app.app_context():
        m = pb.monde("ouvert")
        pb.candidature(m)
        db.session.commit()
        appel_id, cc_id = m.appel.id, m.cc.id
    one = count()
    with app.app_context():
        from tet.projets import appels

        for i in range(4):
            copie = appels.copier(pb.acteur(pb.user("admin.cc@tet.test"), "collectivite",
                                            cc_id), db.session.get(AppelAProjets, appel_id))
            copie.etapes.append(Etape(kind="eligibilite"))
        db.session.commit()
    assert count() == one


def test_page_de_l_appel_sans_n_plus_1(app, login_as, monde):
    c = login_as("admin_cc")
    url = f"{BASE}/details/?id={monde['appel']}"

    def count():
        with sql_sent(app) as sent:
            assert c.get(url).status_code == 200
        return len(sent)

    one = count()
    with app.app_context():
        m = db.session.get(AppelAProjets, monde["appel"])
        for i in range(3):
            org = pb.organisation(f"Asso {i}", f"asso{i}@tet.test")
            holder = pb.acteur(org[1], "organisation", org[0].id)
            from tet.projets import dossiers

            d = dossiers.creer(holder, {"titre": f"Projet {i}", "description": "x"})
            cand = dossiers.candidater(holder, d, m)
            cand.statut, cand.deposee_le = "depose", m.created_at
        db.session.commit()
    assert count() == one


def test_avis_aux_organisateurs_mene_a_la_page_de_la_candidature(app, login_as, monde):
    """A holder's dépôt or message notifies the organisers with a link that opens for them
    (the endpoint named in ``commun`` exists: no notification without its page)."""
    from urllib.parse import urlsplit

    from tet.comptes.demandes import Notification
    from tet.projets import commun

    with app.app_context(), app.test_request_context():
        commun.avertir_organisateurs(db.session.get(Candidature, monde["cand"]),
                                     "Nouveau message du porteur", "Message")
        db.session.commit()
        urls = set(db.session.scalars(select(Notification.url).where(
            Notification.message == "Nouveau message du porteur")))
    assert len(urls) == 1 and None not in urls
    path = urlsplit(urls.pop()).path
    assert path == f"{BASE}/{monde['appel']}/candidature/{monde['cand']}"
    assert login_as("admin_cc").get(path).status_code == 200


def test_pieces_du_dossier_ouvertes_par_l_organisateur(app, login_as, monde):
    """Instructing a dossier means reading its pièces: each name links to the scoped download
    (the committee's route), which the organiser of another territory cannot follow."""
    url = f"{BASE}/{monde['appel']}/candidature/{monde['cand']}"
    page = login_as("admin_cc").get(url).get_data(as_text=True)
    lien = re.search(r'href="([^"]*/piece/\d+)">budget\.pdf</a>', page)
    assert lien, "le nom de la pièce doit mener au fichier"
    fichier = login_as("admin_cc").get(html.unescape(lien.group(1)))
    contenu = fichier.data
    fichier.close()
    assert fichier.status_code == 200 and contenu.startswith(b"%PDF")
    assert login_as("admin_ville").get(html.unescape(lien.group(1))).status_code == 404
