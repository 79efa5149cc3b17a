"""Indicator values edited by two people: the indicator page's table and the yearly bulk
entry refuse a stale cell (nothing saved), show the other's value, keep / take / merge."""
from __future__ import annotations

from decimal import Decimal
from html import unescape

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.formulaires import conflict_forms, form_fields, replace
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur


def _def_id(app, key):
    with app.app_context():
        return db.session.scalar(select(IndicateurDefinition.id).where(
            IndicateurDefinition.identifiant == key))


def _values(app, cid, def_id):
    with app.app_context():
        return {(v.annee, v.type): v.valeur for v in db.session.scalars(
            select(IndicateurValeur).where(IndicateurValeur.collectivite_id == cid,
                                           IndicateurValeur.definition_id == def_id))}


def _locked_form(client, url):
    html = client.get(url).get_data(as_text=True)
    return form_fields(html, lambda f: any(k == "verrou_base" for k, _v in f["fields"]))


def _row_of(fields, annee):
    return next(k.split("-", 1)[1] for k, v in fields if k.startswith("annee-") and v == annee)


def test_indicator_page_two_sessions(app, ids, login_as):
    did = _def_id(app, "cae_1.a")
    url = f"/admin/indicateur/{did}"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e, form_a = _locked_form(edition, url), _locked_form(admin, url)
    n = _row_of(form_e, "2022")
    assert edition.post(url, data=MultiDict(replace(form_e, **{f"resultat-{n}": "170"}))
                        ).status_code == 302
    refused = admin.post(url, data=MultiDict(replace(form_a, **{
        f"resultat-{n}": "175", f"commentaire-{n}": "Chiffre provisoire"})))
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409 and "Rien n'a été enregistré" in html
    assert "Résultat 2022" in html and "170" in html and "175" in html
    assert "edition.cc@tet.test" in html and "Valeurs enregistrées" not in html
    assert _values(app, ids["cc"], did)[(2022, "resultat")] == Decimal("170")
    merge, keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post(url, data=MultiDict(merge + [("verrou_choix-resultat-2022", "autre")])
                      ).status_code == 302
    with app.app_context():
        value = db.session.scalar(select(IndicateurValeur).where(
            IndicateurValeur.collectivite_id == ids["cc"], IndicateurValeur.definition_id == did,
            IndicateurValeur.annee == 2022, IndicateurValeur.type == "resultat"))
        assert (value.valeur, value.commentaire) == (Decimal("170"), "Chiffre provisoire")
        last = db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == "IndicateurValeur", AuditLog.object_id == value.id)
            .order_by(AuditLog.id.desc())).first()
        assert last.user_email == "admin.cc@tet.test"
        assert "commentaire" in last.changes and "valeur" not in last.changes


def test_indicator_page_keep_mine(app, ids, login_as):
    did = _def_id(app, "cae_1.a")
    url = f"/admin/indicateur/{did}"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e, form_a = _locked_form(edition, url), _locked_form(admin, url)
    n = _row_of(form_e, "2022")
    edition.post(url, data=MultiDict(replace(form_e, **{f"resultat-{n}": "170"})))
    refused = admin.post(url, data=MultiDict(replace(form_a, **{f"resultat-{n}": "175"})))
    html = unescape(refused.get_data(as_text=True))
    assert f'href="/admin/indicateur/{did}">Prendre la version de l' in html
    _merge, keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post(url, data=MultiDict(keep)).status_code == 302
    assert _values(app, ids["cc"], did)[(2022, "resultat")] == Decimal("175")


def test_a_year_created_meanwhile_is_a_conflict(app, ids, login_as):
    did = _def_id(app, "cae_1.a")
    url = f"/admin/indicateur/{did}"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e, form_a = _locked_form(edition, url), _locked_form(admin, url)
    edition.post(url, data=MultiDict(replace(form_e, **{"annee-new0": "2029",
                                                        "objectif-new0": "90"})))
    refused = admin.post(url, data=MultiDict(replace(form_a, **{"annee-new0": "2029",
                                                                "objectif-new0": "80"})))
    assert refused.status_code == 409
    assert _values(app, ids["cc"], did)[(2029, "objectif")] == Decimal("90")


def test_bulk_entry_whole_refusal_then_merge(app, ids, login_as):
    a, b = _def_id(app, "cae_7.a"), _def_id(app, "eci_2")
    url = "/admin/indicateur/saisie?annee=2023"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e, form_a = _locked_form(edition, url), _locked_form(admin, url)
    assert edition.post("/admin/indicateur/saisie", data=MultiDict(
        replace(form_e, **{f"objectif-{a}": "11"}))).status_code == 302
    refused = admin.post("/admin/indicateur/saisie", data=MultiDict(
        replace(form_a, **{f"objectif-{a}": "12", f"resultat-{b}": "300"})))
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409 and "objectif 2023" in html
    assert _values(app, ids["cc"], a) == {(2023, "objectif"): Decimal("11")}
    assert _values(app, ids["cc"], b) == {}  # the whole form is refused
    merge, _keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post("/admin/indicateur/saisie", data=MultiDict(
        merge + [(f"verrou_choix-objectif-{a}", "autre")])).status_code == 302
    assert _values(app, ids["cc"], a) == {(2023, "objectif"): Decimal("11")}
    assert _values(app, ids["cc"], b) == {(2023, "resultat"): Decimal("300")}


def test_bulk_entry_keep_mine(app, ids, login_as):
    a = _def_id(app, "cae_7.a")
    url = "/admin/indicateur/saisie?annee=2023"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e, form_a = _locked_form(edition, url), _locked_form(admin, url)
    edition.post("/admin/indicateur/saisie", data=MultiDict(
        replace(form_e, **{f"objectif-{a}": "11"})))
    refused = admin.post("/admin/indicateur/saisie", data=MultiDict(
        replace(form_a, **{f"objectif-{a}": "12"})))
    _merge, keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post("/admin/indicateur/saisie", data=MultiDict(keep)).status_code == 302
    assert _values(app, ids["cc"], a) == {(2023, "objectif"): Decimal("12")}
