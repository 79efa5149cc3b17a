"""The official list of collectivités: build script, committed file, ``seed --france`` loader
(idempotent, updates, EPCI ↔ communes links), SIREN look-up for the sign-up.

Every loader test uses a small file written here; the whole country is never loaded by the
suite (only the committed file is parsed, once)."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from seeds import build_france
from seeds.france import DATA, load_france, read
from tests import builders
from tet.extensions import db
from tet.comptes.models import TYPES_COLLECTIVITE_LABELS, Collectivite
from tet.comptes import referentiel
from tet.comptes.siren import luhn_ok, with_check_digit

C1, C2, C3 = (with_check_digit(f"2199000{i}") for i in (1, 2, 3))
EPCI, EPCI2 = with_check_digit("24990001"), with_check_digit("24990002")
DEMO_CC, DEMO_VILLE, DEMO_VALBOURG = "200099901", "216890103", "216790105"


def _row(siren, nom, type_="commune", insee="", pop=100, dep="67", supras=()):
    return [siren, type_, insee, nom, pop, dep, "Grand Est", " ".join(supras)]


def _file(tmp_path, rows, name="f.csv.gz"):
    path = tmp_path / name
    build_france.write(rows, path)
    return path


def _base(**changes):
    rows = {
        C1: _row(C1, "Alpha", insee="99001", supras=[EPCI]),
        C2: _row(C2, "Bêta", insee="99002", supras=[EPCI]),
        C3: _row(C3, "Gamma", insee="99003"),
        EPCI: _row(EPCI, "CC des Trois", type_="cc", pop=300),
    }
    rows.update(changes)
    return list(rows.values())


def _coll(siren):
    return db.session.scalar(select(Collectivite).where(Collectivite.siren == siren))


def _membres(siren):
    return sorted(c.siren for c in _coll(siren).membres)


def test_first_load_creates_official_rows_and_links_then_a_rerun_changes_nothing(app, tmp_path):
    path = _file(tmp_path, _base())
    with app.app_context():
        before = db.session.scalar(select(func.count(Collectivite.id)))
        first = load_france(path)
        assert (first["creees"], first["liens_ajoutes"]) == (4, 2)
        epci = _coll(EPCI)
        assert (epci.nom, epci.type, epci.source, epci.population) == (
            "CC des Trois", "cc", "officiel", 300)
        assert _coll(C1).code_insee == "99001" and _membres(EPCI) == sorted([C1, C2])
        db.session.remove()
        again = load_france(path)
        assert again == {"lues": 4, "creees": 0, "mises_a_jour": 0, "demo_ignorees": 0,
                         "liens_ajoutes": 0, "liens_retires": 0}
        assert db.session.scalar(select(func.count(Collectivite.id))) == before + 4


def test_rerun_updates_names_populations_and_departement(app, tmp_path):
    with app.app_context():
        load_france(_file(tmp_path, _base()))
        counts = load_france(_file(tmp_path, _base(**{
            C1: _row(C1, "Alpha-sur-Mer", insee="99001", pop=150, dep="68", supras=[EPCI])}),
            "v2.csv.gz"))
        assert (counts["creees"], counts["mises_a_jour"]) == (0, 1)
        db.session.expire_all()
        c1 = _coll(C1)
        assert (c1.nom, c1.population, c1.departement) == ("Alpha-sur-Mer", 150, "68")


def test_a_collectivite_signed_up_before_is_taken_over_not_duplicated(app, tmp_path):
    with app.app_context():
        mine = builders.collectivite("Commune d'Alpha (saisie)", siren=C1)
        builders.member(builders.user("maire@alpha.fr"), mine, "admin")
        db.session.commit()
        mine_id = mine.id
        load_france(_file(tmp_path, _base()))
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).where(Collectivite.siren == C1)) == 1
        c1 = _coll(C1)
        assert (c1.id, c1.nom, c1.source) == (mine_id, "Alpha", "officiel")
        assert [m.user.email for m in c1.memberships] == ["maire@alpha.fr"]


def test_links_of_official_epci_follow_the_file_and_other_links_are_kept(app, tmp_path):
    with app.app_context():
        load_france(_file(tmp_path, _base()))
        syndicat = builders.collectivite("Syndicat des eaux", "syndicat",
                                         siren=with_check_digit("25990001"))
        c3, epci = _coll(C3), _coll(EPCI)
        syndicat.membres.append(c3)
        epci.membres.append(c3)  # declared by hand, not in the data
        db.session.commit()
        rows = _base(**{C2: _row(C2, "Bêta", insee="99002", supras=[EPCI2]),
                        EPCI2: _row(EPCI2, "CA Nouvelle", type_="ca")})
        counts = load_france(_file(tmp_path, rows, "v2.csv.gz"))
        assert (counts["liens_ajoutes"], counts["liens_retires"]) == (1, 2)
        db.session.expire_all()
        assert _membres(EPCI) == [C1] and _membres(EPCI2) == [C2]
        assert _membres(syndicat.siren) == [C3]


def test_demo_rows_are_never_overwritten_nor_relinked(app, tmp_path):
    rows = _base(**{
        DEMO_VILLE: _row(DEMO_VILLE, "Malmerspach", insee="68901", dep="68"),
        DEMO_CC: _row(DEMO_CC, "CC Morvan Sommets et Grands Lacs", type_="cc", dep="58"),
        C3: _row(C3, "Gamma", insee="99003", supras=[DEMO_CC]),
    })
    with app.app_context():
        before = _membres(DEMO_CC)
        counts = load_france(_file(tmp_path, rows))
        assert counts["demo_ignorees"] == 2
        db.session.expire_all()
        ville = _coll(DEMO_VILLE)
        assert (ville.nom, ville.source, ville.departement) == ("Ville d'Exemple", "demo", "68")
        assert _coll(DEMO_CC).nom == "CC du Val Démo" and _membres(DEMO_CC) == before
        assert DEMO_VALBOURG in before


def test_seed_france_command_reports_what_it_did(app, tmp_path, monkeypatch):
    monkeypatch.setattr("seeds.france.DATA", _file(tmp_path, _base()))
    result = app.test_cli_runner().invoke(args=["seed", "--france"])
    assert result.exit_code == 0, result.output
    assert "4 lues, 4 créées" in result.output and "2 ajoutés, 0 retirés" in result.output
    with app.app_context():
        assert _coll(EPCI).source == "officiel"


def test_committed_file_covers_the_country():
    rows = read(DATA)
    kinds = Counter(r["type"] for r in rows)
    assert kinds["commune"] >= 34_000
    assert kinds["cc"] + kinds["ca"] + kinds["cu"] + kinds["metropole"] >= 1_200
    assert set(kinds) <= set(TYPES_COLLECTIVITE_LABELS)
    sirens = [r["siren"] for r in rows]
    assert len(set(sirens)) == len(sirens) and all(len(s) == 9 and luhn_ok(s) for s in sirens)
    insee = [r["code_insee"] for r in rows if r["type"] == "commune"]
    assert len(set(insee)) == len(insee) and all(len(code) == 5 for code in insee)
    supras = {s for r in rows for s in r["supras"]}
    assert supras <= {r["siren"] for r in rows if r["type"] != "commune"}
    assert sum(1 for r in rows if r["supras"]) >= 34_000
    assert DATA.stat().st_size < 2_000_000
    assert (DATA.parent / "LICENCE.md").exists()


def test_build_keeps_current_communes_with_a_siren_and_maps_epci(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    files = {
        "regions": [{"code": "44", "nom": "Grand Est"}],
        "departements": [{"code": "67", "region": "44", "nom": "Bas-Rhin"},
                         {"code": "68", "region": "44", "nom": "Haut-Rhin"}],
        "communes": [
            {"code": "67001", "nom": "Petite", "type": "commune-actuelle", "siren": C1,
             "departement": "67", "population": 10},
            {"code": "68001", "nom": "Grande", "type": "commune-actuelle", "siren": C2,
             "departement": "68", "population": 5000},
            {"code": "68002", "nom": "Déléguée", "type": "commune-deleguee",
             "departement": "68"},
            {"code": "97501", "nom": "Sans SIREN", "type": "commune-actuelle",
             "departement": "975"},
        ],
        "epci": [{"code": EPCI, "nom": "Métropole X ", "type": "METRO",
                  "populationMunicipale": 5010,
                  "membres": [{"code": "67001", "siren": C1}, {"code": "68001"}]}],
        "ept": [],
    }
    for name, content in files.items():
        (data / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")
    rows = build_france.build_rows(tmp_path)
    assert rows == [
        [C1, "commune", "67001", "Petite", 10, "67", "Grand Est", EPCI],
        [C2, "commune", "68001", "Grande", 5000, "68", "Grand Est", EPCI],
        [EPCI, "metropole", "", "Métropole X", 5010, "68", "Grand Est", ""],
    ]


def test_lookup_siren_answers_from_the_official_rows_only(app, tmp_path):
    with app.app_context():
        assert referentiel.refus_siren(C1) is None  # list not loaded: nothing to refuse
        load_france(_file(tmp_path, _base()))
        info = referentiel.lookup_siren(f"{C1[:3]} {C1[3:6]} {C1[6:]}")
        assert info.public() == {"siren": C1, "nom": "Alpha", "type": "commune",
                                 "type_label": "Commune", "population": 100,
                                 "departement": "67", "region": "Grand Est",
                                 "code_insee": "99001"}
        assert referentiel.lookup_siren(with_check_digit(EPCI + "0001")).nom == "CC des Trois"
        assert referentiel.lookup_siren(DEMO_VILLE) is None
        assert referentiel.lookup_siren("123") is None
        assert referentiel.refus_siren(C1) is None
        assert referentiel.refus_siren(with_check_digit("21990009")) == \
            referentiel.NON_COLLECTIVITE
        assert "9 chiffres" in referentiel.refus_siren("12")


@pytest.mark.parametrize("query,expected", [("99002", "Bêta"), (C3, "Gamma")])
def test_support_finds_an_official_collectivite_by_insee_or_siren(app, login_as, tmp_path,
                                                                  query, expected):
    with app.app_context():
        load_france(_file(tmp_path, _base()))
    page = login_as("support").get(f"/admin/collectivite/?search={query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and expected in html and "Alpha" not in html


def test_collectivite_admin_does_not_see_the_official_list(app, login_as, tmp_path):
    with app.app_context():
        load_france(_file(tmp_path, _base()))
    client = login_as("admin_ville")
    assert C1 not in client.get("/admin/collectivite/?search=Alpha").get_data(as_text=True)
    html = client.get("/admin/collectivite/").get_data(as_text=True)
    assert DEMO_VILLE in html and C1 not in html and EPCI not in html


def test_details_of_an_official_epci_show_its_origin_and_communes(app, login_as, tmp_path):
    with app.app_context():
        load_france(_file(tmp_path, _base()))
        epci_id = _coll(EPCI).id
    html = login_as("support").get(f"/admin/collectivite/details/?id={epci_id}").get_data(
        as_text=True)
    assert "Référentiel officiel" in html and "Alpha" in html and "Bêta" in html


def test_national_maturity_dashboard_counts_the_official_list_in_sql(app, login_as, tmp_path):
    with app.app_context():
        load_france(_file(tmp_path, _base()))
        total = db.session.scalar(select(func.count(Collectivite.id)))
    html = login_as("support").get("/admin/maturite-nationale/").get_data(as_text=True)
    assert re.search(rf"\d+ collectivités? sur {total} (a|ont) commencé", html)
    assert "<td>Commune</td><td class=\"text-right\">6</td>" in html


def test_national_maturity_figures_load_no_collectivite_rows(app, tmp_path):
    from tet.maturite import stats as maturite_stats

    with app.app_context():
        load_france(_file(tmp_path, _base()))
        db.session.remove()
        data = maturite_stats.national()
        loaded = [o for o in db.session.identity_map.values() if isinstance(o, Collectivite)]
        assert loaded == [] and data["total"] >= 8
        assert ("Commune", 6) in data["by_type"]


def test_a_typed_siren_or_siret_is_searched_exactly(app, login_as, tmp_path):
    with app.app_context():
        load_france(_file(tmp_path, _base()))
    support = login_as("support")
    spaced = f"{C2[:3]} {C2[3:6]} {C2[6:]}"
    for query in (spaced, with_check_digit(C2 + "0001")):
        html = support.get("/admin/collectivite/", query_string={"search": query}).get_data(
            as_text=True)
        assert "Bêta" in html and "Alpha" not in html and "Gamma" not in html


def test_demo_rows_made_before_the_source_column_are_marked_demo_again(app):
    from seeds.demo import load_demo

    with app.app_context():
        _coll(DEMO_VILLE).source = "saisie"
        db.session.commit()
        load_demo()
        db.session.commit()
        assert _coll(DEMO_VILLE).source == "demo"


def test_demo_collectivites_are_fictional():
    """A demo SIREN or code INSEE taken from the official list would hide that real
    collectivité once the country is loaded (demo rows are never overwritten)."""
    demo = json.loads((DATA.parent.parent / "demo_accounts.json").read_text(encoding="utf-8"))
    rows = read(DATA)
    sirens = {r["siren"] for r in rows}
    insee = {r["code_insee"] for r in rows}
    comparables = demo["comparables"]["collectivites"]  # seed --demo: the benchmark's peers
    assert len({c["siren"] for c in demo["collectivites"] + comparables}) == len(
        demo["collectivites"] + comparables)
    for c in demo["collectivites"] + demo["opsn"] + comparables:
        assert c["siren"] not in sirens and luhn_ok(c["siren"]), c["nom"]
        assert c.get("code_insee") is None or c["code_insee"] not in insee, c["nom"]
