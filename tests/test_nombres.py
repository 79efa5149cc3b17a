"""Numbers are finite and bounded before they are stored; exports never break on a value
that is not (stored before these checks); CSV cells never become formulas."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select, text

from tests.plan_helpers import fiche_id
from tet.extensions import db
from tet.plans.models import BudgetLigne, FicheAction, Plan
from tet.indicateurs.models import IndicateurValeur
from tet.maturite.models import Question, Reponse
from tet import csv_export, xlsx
from tet.nombres import NombreInvalide, parse_id, parse_nombre

HOSTILE = ["NaN", "nan", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf", "1e400",
           "9" * 60, "1E+13"]


@pytest.mark.parametrize("value", HOSTILE + [float("nan"), float("inf"), Decimal("sNaN"),
                                             Decimal("1e400"), True])
def test_parse_nombre_refuses_non_finite_and_absurd_values(value):
    with pytest.raises(NombreInvalide, match="^Nombre invalide : "):
        parse_nombre(value)


def test_parse_nombre_reads_french_numbers():
    assert parse_nombre("1 234,5") == Decimal("1234.5")
    assert parse_nombre("\u202f12\u00a0000") == Decimal("12000")
    assert parse_nombre(12000.0) == Decimal("12000.0")
    assert parse_nombre("  ") is None and parse_nombre(None) is None


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999", "2147483648",
                                   "nan", "1.5", "١٢", None, ""])
def test_parse_id_refuses_anything_but_a_database_id(value):
    assert parse_id(value) is None


def _budgets(app, fid):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(BudgetLigne)
                                 .where(BudgetLigne.fiche_id == fid))


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "1e400"])
def test_fiche_form_refuses_non_finite_amounts(app, login_as, value):
    fid = fiche_id(app, "Créer un atlas de la biodiversité intercommunale")
    before = _budgets(app, fid)
    response = login_as("admin_cc").post(f"/admin/fiche/edit/?id={fid}", data={
        "titre": "Créer un atlas de la biodiversité intercommunale", "statut": "en_cours",
        "financeurs-0-nom": "ADEME", "financeurs-0-montant": value,
        "budgets-0-nature": "investissement", "budgets-0-unite": "eur_ht",
        "budgets-0-prevu": value, "budgets-0-reel": "12"})
    assert response.status_code == 200
    assert f"Nombre invalide : « {value} »" in response.get_data(as_text=True)
    assert _budgets(app, fid) == before


def test_maturity_numeric_answer_refuses_nan(app, login_as, ids):
    with app.app_context():
        question = db.session.scalar(select(Question).where(Question.code == "S1"))
        question.type = "nombre"
        qid = question.id
        db.session.commit()
    client = login_as("edition_cc")
    for value in ("NaN", "sNaN", "-Infinity", "1e400"):
        page = client.post("/admin/maturite/repondre", follow_redirects=True,
                           data={"question_id": qid, "nombre": value})
        assert "Nombre invalide" in page.get_data(as_text=True)
    with app.app_context():
        version = db.session.scalar(select(Reponse.version).where(
            Reponse.question_id == qid, Reponse.collectivite_id == ids["cc"])) or 0
    client.post("/admin/maturite/repondre", data={"question_id": qid, "nombre": "3,5",
                                                  "version": version})
    with app.app_context():
        answer = db.session.scalar(select(Reponse).where(Reponse.question_id == qid,
                                                         Reponse.collectivite_id == ids["cc"]))
        assert answer.valeur_nombre == Decimal("3.5")


def test_indicator_values_refuse_infinity(app, ids, login_as):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(IndicateurValeur))
    page = login_as("edition_cc").post("/admin/indicateur/saisie", follow_redirects=True,
                                       data={"annee": "2023", "resultat-1": "Infinity",
                                             "objectif-2": "sNaN"})
    assert "Nombre invalide" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IndicateurValeur)) == before


def _inject_non_finite(app, fid) -> None:
    """A value stored before the checks: NaN on PostgreSQL, infinity on SQLite (which stores
    NaN as NULL)."""
    with app.app_context():
        fiche = db.session.get(FicheAction, fid)
        db.session.add(BudgetLigne(fiche_id=fid, nature="investissement", unite="eur_ht",
                                   annee=None, prevu=Decimal("1")))
        db.session.commit()
        bad = "'NaN'" if db.engine.dialect.name == "postgresql" else "9e999"
        db.session.execute(text(f"UPDATE budget_ligne SET prevu = {bad} WHERE fiche_id = :f"),
                           {"f": fid})
        db.session.commit()
        assert fiche is not None


def test_plan_export_with_a_non_finite_value_is_complete(app, login_as):
    fid = fiche_id(app, "Créer un atlas de la biodiversité intercommunale")
    _inject_non_finite(app, fid)
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).where(Plan.nom.like("PCAET%")))
    response = login_as("admin_cc").get(f"/admin/plan/{plan_id}/export.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    try:
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    assert any(r and "Créer un atlas de la biodiversité intercommunale" in r for r in rows)


def test_an_export_error_is_raised_before_the_first_byte():
    def build(wb):
        wb.add_worksheet("A").write_string(0, 0, "début")
        raise RuntimeError("panne")

    with pytest.raises(RuntimeError):
        xlsx.stream(build)  # the caller gets the error, not a truncated download


FORMULAS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
            "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_cells_never_start_like_a_formula(value):
    assert csv_export.neutralise(value) == "'" + value
    assert csv_export.neutralise("Isoler les écoles") == "Isoler les écoles"
    assert csv_export.neutralise(-5) == "-5"  # a number stays a number


def test_csv_list_export_neutralises_formulas(app, login_as):
    with app.app_context():
        fiches = db.session.scalars(select(FicheAction).where(FicheAction.titre.in_([
            "Créer un atlas de la biodiversité intercommunale",
            "Créer une légumerie municipale"]))).all()
        fiches[0].titre, fiches[1].titre = FORMULAS[0], FORMULAS[1]
        db.session.commit()
    response = login_as("support").get("/admin/fiche/export/csv/")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    cells = [c for r in csv.reader(io.StringIO(response.get_data(as_text=True))) for c in r]
    assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[1] in cells
    assert not any(c.startswith(("=", "+")) for c in cells)


def test_maturity_export_with_a_non_finite_answer_is_complete(app, login_as, ids):
    with app.app_context():
        qid = db.session.scalar(select(Question.id).where(Question.code == "S1"))
        version = db.session.scalar(select(Reponse.version).where(
            Reponse.question_id == qid, Reponse.collectivite_id == ids["cc"])) or 0
    login_as("edition_cc").post("/admin/maturite/repondre", data={"question_id": qid,
                                                                  "option": "oui",
                                                                  "version": version})
    with app.app_context():
        bad = "'NaN'" if db.engine.dialect.name == "postgresql" else "9e999"
        db.session.execute(text(f"UPDATE mat_reponse SET option_code = NULL, "
                                f"valeur_nombre = {bad} WHERE collectivite_id = :c"),
                           {"c": ids["cc"]})
        db.session.commit()
    response = login_as("admin_cc").get("/admin/maturite/export.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    try:
        assert [ws.title for ws in wb.worksheets] == ["Synthèse", "Réponses",
                                                      "Recommandations"]
        rows = list(wb["Réponses"].iter_rows(values_only=True))
        assert any(r[1] == "S1" and r[6] == "edition.cc@tet.test" for r in rows)
    finally:
        wb.close()
