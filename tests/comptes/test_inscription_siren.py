"""Sign-up by SIREN: the public look-up that pre-fills the form from the official list
(``/inscription/siren``, used by ``static/js/inscription.js``), and the server keeping the
official values whatever the form says."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from seeds.france import load_france
from tests.conftest import flashes
from tests.comptes.test_france import C1, DEMO_VILLE, EPCI, _base, _file
from tet.extensions import db
from tet.comptes.models import Collectivite, Membership
from tet.comptes import throttle
from tet.comptes.referentiel import NON_COLLECTIVITE
from tet.comptes.siren import with_check_digit

PASSWORD = "un-mot-de-passe-long"
OUTSIDE = with_check_digit("21990009")


@pytest.fixture
def france(app, tmp_path):
    with app.app_context():
        load_france(_file(tmp_path, _base()))


def test_an_official_siren_gives_its_public_data(client, france):
    response = client.get("/inscription/siren", query_string={"siren": f"{C1[:3]} {C1[3:]}"})
    assert response.status_code == 200
    assert response.get_json() == {"collectivite": {
        "siren": C1, "nom": "Alpha", "type": "commune", "type_label": "Commune",
        "population": 100, "departement": "67", "region": "Grand Est",
        "code_insee": "99001"}}
    assert response.headers["Cache-Control"] == "no-store"
    siret = with_check_digit(EPCI + "0001")
    assert client.get(f"/inscription/siren?siren={siret}").get_json()[
        "collectivite"]["nom"] == "CC des Trois"


@pytest.mark.parametrize("value,status,message", [
    ("12", 400, "exactement 9 chiffres"),
    ("", 400, "exactement 9 chiffres"),
    (OUTSIDE, 404, NON_COLLECTIVITE),
    (DEMO_VILLE, 404, None),  # known here outside the list: a join request, no refusal
])
def test_other_sirens_get_the_sign_up_answer(client, france, value, status, message):
    response = client.get("/inscription/siren", query_string={"siren": value})
    assert response.status_code == status
    body = response.get_json()
    assert "collectivite" not in body
    assert body["message"] == message if message is None else message in body["message"]


def test_without_the_official_list_nothing_is_refused(client):
    response = client.get(f"/inscription/siren?siren={OUTSIDE}")
    assert (response.status_code, response.get_json()) == (404, {"message": None})


def test_the_look_up_is_slowed_down_like_the_login(client, france, monkeypatch):
    monkeypatch.setattr(throttle, "address_wait", lambda ip: 7)
    response = client.get(f"/inscription/siren?siren={C1}")
    assert response.status_code == 429 and response.headers["Retry-After"] == "7"
    assert "7 secondes" in response.get_json()["message"]


def test_the_form_loads_the_prefill_script_without_inline_code(client):
    page = client.get("/inscription").get_data(as_text=True)
    assert re.search(r'<script src="/static/js/inscription\.js\?v=\w+"></script>', page)
    assert 'data-siren-url="/inscription/siren"' in page and 'id="siren-info"' in page


def test_the_signed_in_request_page_loads_it_too(login_as):
    page = login_as("admin_ville").get("/demande-acces").get_data(as_text=True)
    assert "/static/js/inscription.js" in page


def test_an_official_siren_keeps_the_official_values_whatever_the_form_says(
        app, client, outbox, france):
    with app.app_context():
        before = db.session.scalar(select(func.count(Collectivite.id)))
    client.post("/inscription", data={
        "identifiant": C1, "nom": "Nom inventé", "type": "departement", "departement": "13",
        "prenom": "Olga", "nom_user": "O", "email": "olga@alpha.fr", "fonction": "Maire"})
    link = re.search(r"https?://[^/\s]+(/inscription/confirmer/\S+)",
                     outbox[-1]["body"]).group(1)
    client.post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    with app.app_context():
        assert db.session.scalar(select(func.count(Collectivite.id))) == before
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == C1))
        assert (coll.nom, coll.type, coll.population, coll.departement, coll.region,
                coll.source) == ("Alpha", "commune", 100, "67", "Grand Est", "officiel")
        m = db.session.scalar(select(Membership).where(Membership.collectivite_id == coll.id))
        assert (m.user.email, m.niveau, m.statut) == ("olga@alpha.fr", "admin", "en_attente")


def test_a_siren_outside_the_official_list_is_refused(client, outbox, france):
    response = client.post("/inscription", data={
        "identifiant": OUTSIDE, "nom": "Association", "type": "commune",
        "prenom": "Olga", "nom_user": "O", "email": "olga@asso.fr", "fonction": "Maire"})
    assert NON_COLLECTIVITE in " ".join(flashes(response)).replace("&#39;", "'")
    assert outbox == []
