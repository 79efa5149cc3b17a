"""The public observatoire's pages (/observatoire/): nothing non-public ever appears (a
canary string in every non-public field, on every page), the map counts the retained
projects, pages are cached (server and HTTP) without a cookie, renewed after a decision,
and cost a bounded number of queries."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.projets.builders import candidature, monde, noter_tout, organisation
from tests.projets.test_observatoire import _retenue
from tests.sql_spy import sql_sent
from tests.test_edge import HANDLER, INLINE_SCRIPT, STYLE_ATTR
from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition
from tet.projets import appels, decision, evaluation, messages, suivi, transitions
from tet.projets.models import (
    STATUTS_RETENUS,
    AppelAProjets,
    Candidature,
    Dossier,
    Financement,
    PieceJustificative,
    Risque,
)
from tet.projets.observatoire_cache import CachePages

CANARI = "CANARI-9d1e"
NOMBRE = "7654321"  # the canary of the numeric fields (budget, montant, unvalidated value)


@pytest.fixture(autouse=True)
def _cache_vide(app):
    app.extensions["tet_observatoire_cache"].vider()


def _evaluee(m, titre, justification=None):
    cand = candidature(m, titre)
    transitions.appliquer(m.organisateur_a(), cand, "declarer_eligible")
    noter_tout(m, cand, {0: [5, 5, 5, 5], 1: [5, 3, 3, 3], 2: [3, 3, 3, 3]})
    if justification:  # a member's written justification
        evaluation.noter(m.membre_a(0), cand, m.criteres[0], 5, justification)
    transitions.appliquer(m.organisateur_a(), cand, "clore_evaluation")
    return cand


def _decider(m, cand, motivation="Projet utile."):
    """The committee votes pour and the organiser records the decision (meeting open)."""
    if not m.appel.seance_ouverte:
        appels.ouvrir_seance(m.organisateur_a(), m.appel)
    for i in range(3):
        decision.voter(m.membre_a(i), cand, "pour")
    decision.decider(m.organisateur_a(), cand, motivation)


def _monde_canari() -> dict:
    """A retained public project with the canary in every field not marked public, a
    confidential retained one, a non-retained one, a brouillon; ids by name."""
    m = monde()
    visible = _evaluee(m, "Projet public visible", f"Justification {CANARI}")
    messages.envoyer(m.organisateur_a(), visible, f"Message {CANARI}")
    messages.envoyer(m.porteur_a(), visible, f"Réponse {CANARI}")
    _decider(m, visible, f"Motivation {CANARI}")
    d = visible.dossier
    for champ in ("referent_nom", "referent_email", "referent_telephone", "objectifs",
                  "beneficiaires", "partenaires"):
        setattr(d, champ, f"{champ} {CANARI}"[:30] if champ == "referent_telephone"
                else f"{champ} {CANARI}")
    d.description, d.budget_total, d.zone_impact = "Description publique", NOMBRE, "regional"
    d.champs_publics = ["description"]
    d.risques.append(Risque(categorie="technique", libelle=f"Risque {CANARI}", probabilite=2,
                            gravite=3, mesures=f"Mesures {CANARI}"))
    d.financements.append(Financement(cofinanceur=f"Cofinanceur {CANARI}", montant=NOMBRE))
    visible.motivation, visible.reponses = f"Motivation {CANARI}", {"q": CANARI}
    visible.montant_demande, visible.motif_eligibilite = NOMBRE, f"Motif {CANARI}"
    org = m.org
    org.adresse, org.commune, org.email_contact = CANARI, CANARI, f"{CANARI}@x.fr"
    m.porteur.prenom, m.porteur.nom = CANARI, CANARI
    for u in m.comite_users:
        u.nom = CANARI
    m.appel.objectifs, m.appel.regles_eligibilite = CANARI, CANARI
    db.session.flush()
    d.pieces.append(PieceJustificative(nom=f"{CANARI}.pdf", stored_name=CANARI, taille=9,
                                       type_mime="application/pdf"))
    definitions = db.session.scalars(select(IndicateurDefinition).limit(2)).all()
    orga = m.organisateur_a()
    impact = suivi.ajouter_impact(orga, visible, definitions[0], 2025)
    row = suivi.proposer_valeur(m.porteur_a(), impact, 2026, "resultat", "12",
                                commentaire=CANARI)
    suivi.valider_valeur(orga, row, True, commentaire=CANARI)
    autre = suivi.ajouter_impact(orga, visible, definitions[1], 2025)
    suivi.proposer_valeur(m.porteur_a(), autre, 2026, "objectif", NOMBRE)  # not validated
    secret = _retenue(m, f"Confidentiel {CANARI}", confidentiel=True,
                      description=CANARI, champs_publics=["description"])
    impact = suivi.ajouter_impact(orga, secret, definitions[0], 2025)
    suivi.valider_valeur(orga, suivi.proposer_valeur(m.porteur_a(), impact, 2026,
                                                     "resultat", NOMBRE), True)
    refuse = candidature(m, f"Non retenu {CANARI}")
    refuse.statut = "non_retenu"
    refuse.dossier.champs_publics = ["description"]
    brouillon = candidature(m, f"Brouillon {CANARI}", deposer=False)
    db.session.commit()
    return {"m": m, "visible": visible.id, "secret": secret.id, "refuse": refuse.id,
            "brouillon": brouillon.id, "cc": m.cc.id}


def _sans_canari(response, url):
    body = response.get_data(as_text=True)
    assert CANARI not in body, url
    for nombre in (NOMBRE, "7\u202f654\u202f321", "7 654 321", "7654"):
        assert nombre not in body, (url, nombre)
    assert not INLINE_SCRIPT.findall(body) and not HANDLER.findall(body), url
    assert not STYLE_ATTR.findall(body), url
    return body


def test_rien_de_prive_sur_aucune_page(app, client):
    with app.app_context():
        w = _monde_canari()
        axe = w["m"].axe.nom
    pages = ["/observatoire/", f"/observatoire/territoire/{w['cc']}",
             "/observatoire/departement/67", f"/observatoire/?axe={axe}",
             "/observatoire/?stade=idee", f"/observatoire/projet/{w['visible']}"]
    bodies = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = _sans_canari(response, url)
    for key in ("secret", "refuse", "brouillon"):
        url = f"/observatoire/projet/{w[key]}"
        response = client.get(url)
        assert response.status_code == 404, url
        _sans_canari(response, url)
    projet = bodies[f"/observatoire/projet/{w['visible']}"]
    assert "Projet public visible" in projet and "Description publique" in projet
    assert "Association Test" in projet and "Retenu" in projet
    assert "Objectifs" not in projet and "Budget total" not in projet
    assert "12 " in projet  # the validated value
    for url in pages[:3]:
        assert "Projet public visible" in bodies[url]
        assert 'id="obs-total">1<' in bodies[url], url
    # the links lead to the login, never into the back-office's pages
    assert 'href="/connexion"' in bodies["/observatoire/"]
    assert "/admin" not in bodies["/observatoire/"]


def test_carte_compte_les_projets_retenus(app, client):
    with app.app_context():
        m = monde()
        for i in range(2):
            _retenue(m, f"Projet {i} du Bas-Rhin")
        _retenue(m, "Projet confidentiel", confidentiel=True)
        corse = organisation("Asso corse", "porteur.corse@tet.test")
        corse[0].departement = "2A"
        cand = candidature(m, "Projet corse", org=corse)
        cand.statut = "en_suivi"
        db.session.commit()
        attendu = dict(db.session.execute(
            select(Dossier.departement, func.count(Candidature.id))
            .join(Candidature, Candidature.dossier_id == Dossier.id)
            .join(AppelAProjets, AppelAProjets.id == Candidature.appel_id)
            .where(Candidature.statut.in_(STATUTS_RETENUS), Dossier.confidentiel.is_(False),
                   AppelAProjets.statut != "brouillon")
            .group_by(Dossier.departement)).all())
    assert attendu == {"67": 2, "2A": 1}
    body = client.get("/observatoire/").get_data(as_text=True)
    cellules = dict(re.findall(r'data-departement="(\w+)">(\d+)<', body))
    assert {k: int(v) for k, v in cellules.items()} == attendu
    liens = dict(re.findall(r'<a href="/observatoire/departement/(\w+)" aria-label="[^"]*">'
                            r'<path class="(obs-n\d)', body))
    assert liens == {"67": "obs-n2", "2A": "obs-n1"}  # no link where there is no project
    assert "Bas-Rhin (67) : 2 projets" in body
    assert 'id="obs-total">3<' in body
    dep = client.get("/observatoire/departement/2A").get_data(as_text=True)
    assert "Projet corse" in dep and "Bas-Rhin" not in dep.split('id="projets"')[1]


def test_entetes_de_cache_sans_cookie(app, client, login_as):
    response = client.get("/observatoire/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=120"
    assert "Set-Cookie" not in response.headers and response.headers.get("ETag")
    again = client.get("/observatoire/", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and "Set-Cookie" not in again.headers
    assert again.headers["Cache-Control"] == "public, max-age=120"
    # a signed-in user gets the same public page: its session cookie is not touched
    signed = login_as("admin_cc").get("/observatoire/")
    assert "Set-Cookie" not in signed.headers
    assert signed.get_data() == response.get_data()
    missing = client.get("/observatoire/projet/999999")
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in missing.headers
    # the back-office and the login page stay no-store
    assert client.get("/connexion").headers["Cache-Control"] == "no-store"
    assert login_as("admin_cc").get("/admin/").headers["Cache-Control"] == "no-store"


def _total(client) -> int:
    body = client.get("/observatoire/").get_data(as_text=True)
    return int(re.search(r'id="obs-total">(\d+)<', body).group(1))


def test_cache_renouvele_apres_decision_impact_et_champ_public(app, client):
    with app.app_context():
        m = monde()
        cand = _evaluee(m, "Projet décidé")
        db.session.commit()
        url = f"/observatoire/projet/{cand.id}"
        assert _total(client) == 0 and client.get(url).status_code == 404
        _decider(m, cand)
        db.session.commit()
        assert _total(client) == 1
        assert "Un projet utile." not in client.get(url).get_data(as_text=True)
        cand.dossier.champs_publics = ["description"]  # the holder publishes a field
        db.session.commit()
        assert "Un projet utile." in client.get(url).get_data(as_text=True)
        definition = db.session.scalar(select(IndicateurDefinition).limit(1))
        impact = suivi.ajouter_impact(m.organisateur_a(), cand, definition, 2025)
        row = suivi.proposer_valeur(m.porteur_a(), impact, 2026, "resultat", "4321")
        db.session.commit()
        assert "4\u202f321" not in client.get("/observatoire/").get_data(as_text=True)
        suivi.valider_valeur(m.organisateur_a(), row, True)
        db.session.commit()
        assert "4\u202f321" in client.get("/observatoire/").get_data(as_text=True)
        cand.dossier.confidentiel = True
        db.session.commit()
        assert client.get(url).status_code == 404 and _total(client) == 0


def _requetes(app, client, url) -> int:
    with sql_sent(app) as sent:
        assert client.get(url).status_code == 200, url
    return len(sent)


def test_requetes_bornees_et_page_en_cache(app, client):
    with app.app_context():
        m = monde()
        _retenue(m, "Premier projet")
        db.session.commit()
        urls = ["/observatoire/", f"/observatoire/territoire/{m.cc.id}",
                "/observatoire/departement/67"]
        avant = {}
        for url in urls:
            avant[url] = _requetes(app, client, url)
            assert _requetes(app, client, url) == 1  # cached: the empreinte only
        for i in range(25):  # more than a page of the list
            _retenue(m, f"Projet n°{i}")
        db.session.commit()
        for url in urls:
            assert _requetes(app, client, url) == avant[url], url
    assert avant["/observatoire/"] <= 9
    body = client.get("/observatoire/").get_data(as_text=True)
    assert body.count('class="obs-projet"') == 20 and 'rel="next"' in body
    suivant = re.search(r'href="([^"]*apres=\d+[^"]*)" rel="next"', body).group(1)
    page2 = client.get(suivant.replace("&amp;", "&")).get_data(as_text=True)
    assert page2.count('class="obs-projet"') == 6 and 'rel="next"' not in page2


HOSTILES = ["?apres=abc", "?apres=-1", "?apres=99999999999999999999", "?apres=1e9",
            "?stade=%00", "?stade=' OR 1=1 --", "?axe=" + "x" * 5000, "?axe=%ff%fe",
            "?axe=<script>alert(1)</script>", "?page=2&sort=titre&desc=1", "?apres=1&apres=2"]


def test_requetes_hostiles_et_identifiants_inconnus(app, client):
    cache = app.extensions["tet_observatoire_cache"]
    for query in HOSTILES:
        for base in ("/observatoire/", "/observatoire/departement/67"):
            response = client.get(base + query)
            assert response.status_code == 200, (base, query)
            assert "<script>alert" not in response.get_data(as_text=True)
    assert len(cache) <= 5  # junk never makes new entries (only apres=1: a real page)
    with app.app_context():
        from tests.projets.builders import VILLE_SIREN
        from tet.comptes.models import Collectivite

        ville = db.session.scalar(select(Collectivite.id).where(
            Collectivite.siren == VILLE_SIREN))
    for url in ("/observatoire/projet/0", "/observatoire/projet/999999999",
                "/observatoire/projet/99999999999999999999", "/observatoire/projet/abc",
                "/observatoire/territoire/999999", f"/observatoire/territoire/{ville}",
                "/observatoire/departement/99", "/observatoire/departement/..%2F..",
                "/observatoire/departement/%00", "/observatoire/inconnue"):
        response = client.get(url)
        assert response.status_code == 404, url
    assert client.post("/observatoire/").status_code == 405


def test_cache_pages_borne_et_expire():
    temps = [0.0]
    cache = CachePages(taille=2, ttl=10, horloge=lambda: temps[0])
    cache.ecrire("a", 1, "A")
    cache.ecrire("b", 1, "B")
    assert cache.lire("a", 1) == "A" and cache.lire("a", 2) is None  # data changed
    cache.ecrire("a", 1, "A")
    cache.ecrire("c", 1, "C")  # "b" was the least recently used
    assert cache.lire("b", 1) is None and len(cache) == 2
    temps[0] = 10.0
    assert cache.lire("c", 1) is None  # expired


def test_liens_vers_l_observatoire(app, client, login_as):
    assert 'href="/observatoire/"' in client.get("/connexion").get_data(as_text=True)
    home = login_as("admin_cc").get("/admin/").get_data(as_text=True)
    assert 'href="/observatoire/"' in home
