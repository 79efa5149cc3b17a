"""List exports (xlsx) go through the same scoped queries as the lists."""
from __future__ import annotations

import io
import re

import openpyxl


def _sheet_rows(response):
    data = response.data
    response.close()
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def test_fiche_list_export_is_scoped_and_filtered(app, login_as):
    client = login_as("admin_ville")
    rows = _sheet_rows(client.get("/admin/fiche/export/xlsx/"))
    titles = [r[0] for r in rows[1:]]
    assert rows[0][0] == "Titre" and "Créer une légumerie municipale" in titles
    assert not any("écoles communautaires" in t for t in titles)
    filtered = _sheet_rows(client.get("/admin/fiche/export/xlsx/?search=légumerie"))
    assert [r[0] for r in filtered[1:]] == ["Créer une légumerie municipale"]


def test_selected_rows_export_never_leaks(app, login_as):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.plans.models import FicheAction

    with app.app_context():
        ids = db.session.scalars(select(FicheAction.id)).all()
    response = login_as("admin_ville").post("/admin/fiche/action/", data={
        "action": "export_xlsx", "rowid": [str(i) for i in ids]})
    titles = [r[0] for r in _sheet_rows(response)[1:]]
    assert titles and not any("écoles communautaires" in t for t in titles)


def test_lecture_exports_but_formula_like_text_stays_text(app, login_as):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.plans.models import FicheAction

    with app.app_context():
        f = db.session.scalar(select(FicheAction).where(
            FicheAction.titre == "Créer un atlas de la biodiversité intercommunale"))
        f.titre = '=HYPERLINK("http://evil.example","clic")'
        db.session.commit()
    rows = _sheet_rows(login_as("lecture_cc").get("/admin/fiche/export/xlsx/"))
    assert '=HYPERLINK("http://evil.example","clic")' in [r[0] for r in rows]


def test_indicator_values_export(app, login_as):
    rows = _sheet_rows(login_as("lecture_cc").get("/admin/indicateur/export-valeurs.xlsx"))
    assert rows[0][:3] == ["Identifiant", "Indicateur", "Unité"]
    ges = [r for r in rows[1:] if r[0] == "cae_1.a"]
    assert [(r[5], r[6]) for r in ges][:2] == [(2015, "Résultat"), (2016, "Résultat")]
    assert _sheet_rows(login_as("admin_ville").get("/admin/indicateur/export-valeurs.xlsx"))[1:] == []


def test_maturity_results_export(app, login_as, ids):
    client = login_as("admin_cc")
    from sqlalchemy import select

    from tet.extensions import db
    from tet.maturite.models import Question, Reponse

    with app.app_context():
        qid = db.session.scalar(select(Question.id).where(Question.code == "S1"))
        version = db.session.scalar(select(Reponse.version).where(
            Reponse.question_id == qid, Reponse.collectivite_id == ids["cc"])) or 0
    client.post("/admin/maturite/repondre", data={"question_id": qid, "option": "non",
                                                  "version": version})
    response = client.get("/admin/maturite/export.xlsx")
    data = response.data
    response.close()
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames == ["Synthèse", "Réponses", "Recommandations"]
    answers = [list(r) for r in wb["Réponses"].iter_rows(values_only=True)]
    recos = [list(r) for r in wb["Recommandations"].iter_rows(values_only=True)]
    wb.close()
    assert any(r[1] == "S1" and r[4] == "Non" and r[6] == "admin.cc@tet.test" for r in answers)
    assert ["Former les agents", "Nécessaire", "À définir", "Non",
            "Moyen : 3 à 5 jours du référent sur deux mois", "Faible : moins de 2 000 € par an",
            "Ressources humaines, Référent numérique responsable, Agents"] in recos
    assert not any(r[1] == "N2a" for r in answers)  # niveau 2 not active: not exported


def test_partner_exports_are_support_only_anonymised_and_logged(app, login_as):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.comptes.journal import AuditLog

    assert login_as("admin_cc").get("/admin/exports-partenaires/").status_code == 403
    client = login_as("support")
    rows = _sheet_rows(client.post("/admin/exports-partenaires/", data={
        "extrait": "fiches", "region": "Grand Est"}))
    names = [r[0] for r in rows[1:]]
    assert names and all(n.startswith("Collectivité ") for n in names)
    assert "CC du Val Démo" not in str(rows)
    named = _sheet_rows(client.post("/admin/exports-partenaires/", data={
        "extrait": "fiches", "nominatif": "1", "plan_type": "pat"}))
    assert [r[0] for r in named[1:]] == ["Ville d'Exemple"]
    assert sum(named[1][6:]) == 7  # the PAT holds seven fiches
    with app.app_context():
        logged = db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == "ExportPartenaire").order_by(AuditLog.id)).all()
        assert [e.context for e in logged] == [
            "export fiches : region=Grand Est ; anonymisé",
            "export fiches : plan_type=pat ; nominatif"]
        assert all(e.user_email == "support@tet.test" for e in logged)


def test_export_cli(app, tmp_path):
    out = tmp_path / "indicateurs.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "indicateurs", "--out", str(out),
                                                "--type", "cc"])
    assert result.exit_code == 0 and re.search(r"\d+ lignes? écrites? dans", result.output)
    wb = openpyxl.load_workbook(out, read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    assert rows[1][0] == "Collectivité 00001" and rows[1][3] == "Communauté de communes"
    assert all(r[6] is not None for r in rows[1:])  # national catalogue only, no personnalisé
    assert not any("foyers" in str(r) for r in rows)
