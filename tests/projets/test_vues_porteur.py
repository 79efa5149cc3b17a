"""The project holders' space through HTTP: sign-up, organisation members, dossier form,
candidature (pièces, dépôt, lock), messages, suivi, and who may open what."""
from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import builders as base
from tests.conftest import flashes
from tests.projets import builders as b
from tests.sql_spy import sql_sent
from tet.comptes.models import User
from tet.extensions import db
from tet.projets import dossiers, suivi
from tet.projets.models import (
    Candidature,
    Dossier,
    Financement,
    Impact,
    ImpactValeur,
    Message,
    Organisation,
    OrganisationMembre,
    PieceJustificative,
    Risque,
)

DOSSIERS, CANDS = "/admin/mes-dossiers", "/admin/mes-candidatures"


@pytest.fixture
def m(app):
    """The test call (one required pièce), two organisations, a deposited candidature of
    the first and a draft of the second; ids only."""
    with app.app_context():
        w = b.monde()
        membre = base.user("membre.asso@tet.test")
        db.session.add(OrganisationMembre(organisation_id=w.org.id, user_id=membre.id,
                                          role="membre"))
        depose = b.candidature(w, "Navette électrique")
        brouillon = b.candidature(w, "Vélos partagés", deposer=False,
                                  org=(w.autre_org, w.autre_porteur))
        db.session.commit()
        ids = {"appel": w.appel.id, "org": w.org.id, "autre_org": w.autre_org.id,
               "piece_requise": w.piece.id, "axe": w.axe.id,
               "depose": depose.id, "dossier": depose.dossier_id,
               "piece": depose.dossier.pieces[0].id,
               "brouillon": brouillon.id, "autre_dossier": brouillon.dossier_id,
               "autre_piece": brouillon.dossier.pieces[0].id}
    return ids


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _html(response) -> str:
    return response.get_data(as_text=True)


# --- sign-up -----------------------------------------------------------------------------
def test_inscription_porteur_bout_en_bout(app, client, outbox):
    page = client.get("/inscription/porteur")
    assert page.status_code == 200 and "Type d’organisation" in _html(page)
    # an entreprise needs its SIREN: refused, nothing sent
    refus = client.post("/inscription/porteur", data={
        "type": "entreprise", "nom_organisation": "Solaire SARL", "identifiant": "",
        "prenom": "Léa", "nom_user": "Martin", "email": "lea@asso.test"})
    assert refus.status_code == 200 and not outbox
    assert any("SIREN" in f for f in flashes(refus))
    # an association may apply without SIREN
    sent = client.post("/inscription/porteur", data={
        "type": "association", "nom_organisation": "Les Jardins Partagés", "identifiant": "",
        "code_postal": "67000", "commune": "Strasbourg", "prenom": "Léa",
        "nom_user": "Martin", "email": "Lea@Asso.test"})
    assert sent.status_code == 302 and "/inscription/porteur/envoye" in sent.location
    assert _count(app, User, User.email == "lea@asso.test") == 0  # nothing before the link
    assert _count(app, Organisation, Organisation.nom == "Les Jardins Partagés") == 0
    (mail,) = outbox
    path = re.search(r"/inscription/porteur/confirmer/\S+", mail["body"]).group(0)
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "un-mot-de-passe-sur", "confirm":
                                   "un-mot-de-passe-sur"})
    assert done.status_code == 302 and done.location.endswith(DOSSIERS + "/")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "lea@asso.test"))
        assert user.email_verifie
        org = db.session.scalar(select(Organisation).where(
            Organisation.nom == "Les Jardins Partagés"))
        assert org.departement == "67" and org.siren is None
        assert [(mm.user_id, mm.role) for mm in org.membres] == [(user.id, "admin")]
    assert client.get(DOSSIERS + "/").status_code == 200  # acting for it at once
    # the link served: refused the second time, nothing more created
    again = app.test_client().get(path)
    assert again.status_code == 302
    assert _count(app, Organisation, Organisation.nom == "Les Jardins Partagés") == 1


def test_inscription_adresse_deja_verifiee(app, client, outbox):
    client.post("/inscription/porteur", data={
        "type": "association", "nom_organisation": "Asso X", "prenom": "A", "nom_user": "B",
        "email": "admin.cc@tet.test"})
    (mail,) = outbox
    assert "déjà un compte" in mail["body"] and "/confirmer" not in mail["body"]
    assert _count(app, Organisation, Organisation.nom == "Asso X") == 0


def test_organisation_creee_par_un_compte_existant(app, login_as):
    client = login_as("lecture_cc")
    response = client.post("/admin/mon-organisation/nouvelle", data={
        "type": "entreprise", "nom_organisation": "Mobilités SAS",
        "identifiant": "123456789", "code_postal": "67000"})
    # a SIREN with a wrong check digit is refused in French, nothing created
    assert response.status_code == 200 and _count(
        app, Organisation, Organisation.nom == "Mobilités SAS") == 0
    response = client.post("/admin/mon-organisation/nouvelle", data={
        "type": "entreprise", "nom_organisation": "Mobilités SAS",
        "identifiant": "732829320", "code_postal": "67000"})
    assert response.status_code == 302
    assert client.get(DOSSIERS + "/").status_code == 200


# --- members of the organisation ---------------------------------------------------------
def test_membres_de_l_organisation(app, login_as, m, outbox):
    admin = login_as("porteur.test@tet.test")
    page = admin.get("/admin/mon-organisation/")
    assert page.status_code == 200 and "membre.asso@tet.test" in _html(page)
    assert admin.post("/admin/mon-organisation/membres", data={
        "email": "nouveau.membre@tet.test", "role": "membre"}).status_code == 302
    assert _count(app, OrganisationMembre, OrganisationMembre.organisation_id == m["org"]) == 3
    assert any(x["to"] == ["nouveau.membre@tet.test"] for x in outbox)
    with app.app_context():
        mine = {u.email: mm.id for mm, u in db.session.execute(
            select(OrganisationMembre, User).join(User).where(
                OrganisationMembre.organisation_id.in_([m["org"], m["autre_org"]])))}
    # the last admin is kept
    admin.post(f"/admin/mon-organisation/membres/{mine['porteur.test@tet.test']}/role",
               data={"role": "membre"})
    assert _count(app, OrganisationMembre, OrganisationMembre.role == "admin",
                  OrganisationMembre.organisation_id == m["org"]) == 1
    # another organisation's member: 404, unchanged
    autre = mine["porteur.autre@tet.test"]
    assert admin.post(f"/admin/mon-organisation/membres/{autre}/retirer").status_code == 404
    # a plain member manages nothing
    membre = login_as("membre.asso@tet.test")
    assert membre.get("/admin/mon-organisation/").status_code == 200
    assert membre.post("/admin/mon-organisation/membres", data={
        "email": "x@tet.test", "role": "admin"}).status_code == 403
    assert membre.post(f"/admin/mon-organisation/membres/{mine['porteur.test@tet.test']}"
                       "/retirer").status_code == 403
    assert admin.post(f"/admin/mon-organisation/membres/{mine['membre.asso@tet.test']}"
                      "/retirer").status_code == 302
    assert _count(app, OrganisationMembre, OrganisationMembre.organisation_id == m["org"]) == 2


# --- who opens what ----------------------------------------------------------------------
ROLES = {  # role → e-mail (None: anonymous)
    "porteur_admin": "porteur.test@tet.test", "porteur_membre": "membre.asso@tet.test",
    "autre_porteur": "porteur.autre@tet.test", "organisateur": "admin.cc@tet.test",
    "comite": "membre0@tet.test", "support": "support@tet.test", "anonyme": None,
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_chaque_role(app, login_as, m, role):
    email = ROLES[role]
    client = login_as(email) if email else app.test_client()
    own = role in ("porteur_admin", "porteur_membre")
    rows = [f"{DOSSIERS}/{m['dossier']}", f"{CANDS}/{m['depose']}",
            f"{CANDS}/piece/{m['piece']}"]  # the first organisation's
    spaces = [DOSSIERS + "/", "/admin/mon-organisation/",
              f"{DOSSIERS}/appel/{m['appel']}/repondre"]  # any holder's
    for url in rows + spaces:
        r = client.get(url)
        r.close()
        if email is None:
            assert r.status_code == 302 and "/connexion" in r.location, url
        elif own or (role == "autre_porteur" and url in spaces):
            assert r.status_code == 200, (url, r.status_code)
        elif role == "autre_porteur":
            assert r.status_code == 404, (url, r.status_code)
        else:
            assert r.status_code == 403, (url, r.status_code)
    # POSTs on the first organisation's rows by anyone else change nothing
    if not own and email is not None:
        r = client.post(f"{DOSSIERS}/{m['dossier']}/risques", data={
            "categorie": "technique", "libelle": "Piraté", "probabilite": "4", "gravite": "4"})
        assert r.status_code in (403, 404)
        r = client.post(f"{CANDS}/{m['depose']}/messages", data={"corps": "Piraté"})
        assert r.status_code in (403, 404)
        assert _count(app, Risque, Risque.libelle == "Piraté") == 0
        assert _count(app, Message) == 0


# --- the dossier form --------------------------------------------------------------------
def test_dossier_formulaire(app, login_as, m):
    client = login_as("porteur.test@tet.test")
    r = client.post(DOSSIERS + "/nouveau", data={"titre": "", "zone_impact": "local",
                                                 "stade": "idee"})
    assert r.status_code == 200 and "Ce champ est obligatoire." in _html(r)
    r = client.post(DOSSIERS + "/nouveau", data={
        "titre": "Ressourcerie", "zone_impact": "local", "stade": "idee",
        "budget_total": "10 000", "champs_publics": ["description", "budget_total"],
        "description": "Réemploi."})
    assert r.status_code == 302
    with app.app_context():
        d = db.session.scalar(select(Dossier).where(Dossier.titre == "Ressourcerie"))
        did, version = d.id, d.version
        assert d.budget_total == Decimal("10000.00")
        assert d.champs_publics == ["description", "budget_total"]
    url = f"{DOSSIERS}/{did}"
    assert client.post(url + "/risques", data={"categorie": "financier", "libelle": "Retard",
                                                "probabilite": "3", "gravite": "4"}
                       ).status_code == 302
    client.post(url + "/risques", data={"categorie": "financier", "libelle": "Hors grille",
                                        "probabilite": "9", "gravite": "1"})
    assert _count(app, Risque, Risque.dossier_id == did) == 1
    client.post(url + "/financements", data={"cofinanceur": "Région", "montant": "8000"})
    r = client.post(url + "/financements", data={"cofinanceur": "ADEME", "montant": "4000"},
                    follow_redirects=True)
    assert any("dépasse le budget total" in f for f in flashes(r))
    page = _html(client.get(url))
    assert 'id="plan-depasse"' in page and re.search(r"12\s000\s€", page)
    assert 'class="tet-risque-rouge"' in page and "style=" not in page.split("<svg", 1)[1]
    assert client.post(url + "/jalons", data={"stade": "prototype",
                                              "date_prevue": "2027-03-01"}).status_code == 302
    # optimistic locking: a save on a stale version shows the conflict page
    r = client.post(url, data={"titre": "Ressourcerie solidaire", "zone_impact": "regional",
                               "stade": "idee", "version": version, "verrou_base": ""})
    assert r.status_code == 302  # nobody else changed the title: goes on
    r = client.post(url, data={"titre": "Autre titre", "zone_impact": "local",
                               "stade": "idee", "version": version, "verrou_base": ""})
    assert r.status_code == 409
    with app.app_context():
        assert db.session.get(Dossier, did).titre == "Ressourcerie solidaire"


# --- candidature: dépôt, pièces, lock ----------------------------------------------------
def test_depot_refuse_puis_accepte_et_verrou(app, login_as, m, outbox):
    client = login_as("porteur.test@tet.test")
    r = client.post(f"{DOSSIERS}/appel/{m['appel']}/repondre", data={"dossier_id": "",
                                                                     "titre": "Composteur"})
    assert r.status_code == 302
    cid = int(r.location.rsplit("/", 1)[1])
    url = f"{CANDS}/{cid}"
    with app.app_context():
        version = db.session.get(Candidature, cid).version
    assert client.post(url, data={"axe_id": str(m["axe"]), "motivation": "Utile.",
                                  "montant_demande": "5000", "version": version}
                       ).status_code == 302
    with app.app_context():
        cand = db.session.get(Candidature, cid)
        dossier = cand.dossier
        a = b.acteur(dossier.porteur, "organisation", m["org"])
        dossiers.modifier(a, dossier, {"description": "Un composteur de quartier."})
        db.session.commit()
        version = cand.version
    r = client.post(url + "/deposer", data={"version": version}, follow_redirects=True)
    assert any("Pièces obligatoires manquantes" in f and "« Budget prévisionnel »" in f
               for f in flashes(r))
    assert _count(app, Candidature, Candidature.id == cid,
                  Candidature.statut == "brouillon") == 1
    r = client.post(url + "/pieces", data={
        "piece_requise_id": str(m["piece_requise"]),
        "fichier": (io.BytesIO(b.PDF), "budget.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 302
    assert client.post(url + "/deposer", data={"version": version}).status_code == 302
    with app.app_context():
        cand = db.session.get(Candidature, cid)
        assert cand.statut == "depose" and cand.deposee_le is not None
        dossier_id = cand.dossier_id
        piece_id = db.session.scalar(select(PieceJustificative.id).where(
            PieceJustificative.dossier_id == cand.dossier_id))
        version = cand.version
    # locked for the holder: read-only page, every POST refused
    page = _html(client.get(url))
    assert 'id="verrouillee"' in page and "Déposer le dossier" not in page
    assert 'name="motivation"' in page and "disabled" in page
    r = client.post(url, data={"axe_id": "", "motivation": "Changée", "version": version},
                    follow_redirects=True)
    assert any("plus modifiable par le porteur" in f for f in flashes(r))
    client.post(f"{url}/pieces/{piece_id}/supprimer")
    client.post(url + "/pieces", data={"fichier": (io.BytesIO(b.PDF), "autre.pdf")},
                content_type="multipart/form-data")
    with app.app_context():
        assert db.session.get(Candidature, cid).motivation == "Utile."
        assert db.session.get(PieceJustificative, piece_id) is not None
        assert _count(app, PieceJustificative, PieceJustificative.nom == "autre.pdf") == 0
    # the dossier too is locked while under instruction
    client.post(f"{DOSSIERS}/{dossier_id}/risques", data={
        "categorie": "technique", "libelle": "Après dépôt", "probabilite": "1", "gravite": "1"})
    assert _count(app, Risque, Risque.libelle == "Après dépôt") == 0
    assert "Enregistrer le dossier" not in _html(client.get(f"{DOSSIERS}/{dossier_id}"))
    # the thread opens with the dépôt
    assert client.post(url + "/messages", data={"corps": "Bonjour, une question."}
                       ).status_code == 302
    assert _count(app, Message, Message.candidature_id == cid) == 1


def test_televersements_hostiles(app, login_as, m, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_BYTES", 1024)
    client = login_as("porteur.autre@tet.test")
    for nom, contenu, message in [
            ("budget.pdf", b"MZ\x90\x00 un executable", "ne correspond pas"),  # lying name
            ("budget.exe", b"%PDF-1.4\n", "Type de fichier refusé"),
            ("budget.pdf", b"%PDF-1.4\n" + b"0" * 2000, "trop volumineux")]:
        r = client.post(f"{CANDS}/{m['brouillon']}/pieces", data={
            "piece_requise_id": str(m["piece_requise"]),
            "fichier": (io.BytesIO(contenu), nom)},
            content_type="multipart/form-data", follow_redirects=True)
        assert any(message in f for f in flashes(r)), (nom, flashes(r))
    assert _count(app, PieceJustificative,
                  PieceJustificative.dossier_id == m["autre_dossier"]) == 1
    # a required pièce of another call, a garbled id: 404, nothing stored
    assert client.post(f"{CANDS}/{m['brouillon']}/pieces", data={
        "piece_requise_id": "999999", "fichier": (io.BytesIO(b.PDF), "a.pdf")},
        content_type="multipart/form-data").status_code == 404


def test_telechargement_limite_a_son_organisation(app, login_as, m):
    client = login_as("porteur.test@tet.test")
    own = client.get(f"{CANDS}/piece/{m['piece']}")
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
    own.close()
    assert client.get(f"{CANDS}/piece/{m['autre_piece']}").status_code == 404
    assert client.get(f"{CANDS}/{m['brouillon']}").status_code == 404
    assert client.post(f"{CANDS}/{m['depose']}/pieces/{m['autre_piece']}/supprimer"
                       ).status_code == 404
    assert _count(app, PieceJustificative, PieceJustificative.id == m["autre_piece"]) == 1


def test_brouillon_supprimer_piece(app, login_as, m):
    client = login_as("porteur.autre@tet.test")
    r = client.post(f"{CANDS}/{m['brouillon']}/pieces/{m['autre_piece']}/supprimer")
    assert r.status_code == 302
    assert _count(app, PieceJustificative, PieceJustificative.id == m["autre_piece"]) == 0


# --- suivi -------------------------------------------------------------------------------
def test_suivi_valeurs_proposees(app, login_as, m):
    from tet.indicateurs.models import IndicateurDefinition

    with app.app_context():
        cand = db.session.get(Candidature, m["depose"])
        cand.statut = "retenu"
        definition = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id.is_(None)).limit(1))
        org_a = b.acteur(b.user("admin.cc@tet.test"), "collectivite", cand.appel.collectivite_id)
        impact = suivi.ajouter_impact(org_a, cand, definition, 2025, "10")
        holder = b.acteur(b.user("porteur.test@tet.test"), "organisation", m["org"])
        refusee = suivi.proposer_valeur(holder, impact, 2026, "objectif", "20")
        suivi.valider_valeur(org_a, refusee, False, "Trop ambitieux.")
        db.session.commit()
        iid = impact.id
    client = login_as("porteur.test@tet.test")
    page = _html(client.get(f"{CANDS}/{m['depose']}"))
    assert "Refusée" in page and "Trop ambitieux." in page
    assert client.post(f"{CANDS}/{m['depose']}/valeurs", data={
        "impact_id": iid, "annee": "2027", "type": "resultat", "valeur": "15"}
    ).status_code == 302
    assert _count(app, ImpactValeur, ImpactValeur.impact_id == iid,
                  ImpactValeur.statut == "proposee") == 1
    # another organisation's holder cannot propose on it
    other = login_as("porteur.autre@tet.test")
    assert other.post(f"{CANDS}/{m['depose']}/valeurs", data={
        "impact_id": iid, "annee": "2028", "type": "resultat", "valeur": "1"}
    ).status_code == 404
    assert _count(app, Impact) == 1


# --- query count of the home page --------------------------------------------------------
def test_accueil_nombre_de_requetes(app, login_as, m):
    client = login_as("porteur.test@tet.test")
    client.get(DOSSIERS + "/")

    def count():
        with sql_sent(app) as sent:
            assert client.get(DOSSIERS + "/").status_code == 200
        return len(sent)

    before = count()
    with app.app_context():
        w_org = db.session.get(Organisation, m["org"])
        holder = b.acteur(b.user("porteur.test@tet.test"), "organisation", w_org.id)
        appel = db.session.get(Candidature, m["depose"]).appel
        for i in range(4):
            d = dossiers.creer(holder, {"titre": f"Projet {i}"})
            dossiers.candidater(holder, d, appel)
            dossiers.ajouter_financement(holder, d, "Région", "10")
        db.session.commit()
    assert count() == before
    assert _count(app, Financement) == 4


def test_notification_du_porteur_mene_a_sa_page(app, m):
    from tet.comptes.demandes import Notification

    with app.app_context():
        urls = set(db.session.scalars(select(Notification.url).join(
            User, User.id == Notification.user_id).where(User.email == "porteur.test@tet.test")))
    assert urls and all(u and u.endswith(f"{CANDS}/{m['depose']}") for u in urls)


def test_accueil_du_porteur(app, login_as, m):
    r = login_as("porteur.test@tet.test").get("/admin/")
    assert r.status_code == 302 and r.location.endswith(DOSSIERS + "/")
    with app.app_context():
        base.user("sans.organisation@tet.test")
        db.session.commit()
    page = _html(login_as("sans.organisation@tet.test").get("/admin/"))
    assert "/admin/mon-organisation/nouvelle" in page
