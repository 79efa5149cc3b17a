"""Plan import from real-world messy workbooks, and export → import → export round trip."""
from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
import xlsxwriter
from sqlalchemy import func, select

from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import FicheAction, Plan
from tet import classeur, xlsx
from tet.plans import (
    export as plan_export,
    import_lecture as plan_import,
    import_application as plan_import_apply,
    arbre,
)
from tet.plans.format import COLUMNS

HEADER = [h for h, _w, _k in COLUMNS]
COL = {k: i for i, (_h, _w, k) in enumerate(COLUMNS)}


def row(**values):
    cells = [None] * len(COLUMNS)
    for key, value in values.items():
        cells[COL[key]] = value
    return cells


def messy_workbook(path):
    """A help sheet, a title and a type above the header, merged axe cells, blank lines,
    trailing spaces, Excel and text dates, approximate statuts, errors."""
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Aide").write("A1", "Remplissez une feuille par plan.")
    ws = wb.add_worksheet("PCAET Val 2030")
    ws.write("A1", "Plan climat air énergie territorial")
    ws.write("A2", "Type : PCAET")
    ws.write_row(3, 0, HEADER)
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    rows = [
        row(axe1="1. Bâtiments  ", axe2="1.1 Écoles", titre="Isoler les écoles ",
            statut="en cours", priorite="élevé", date_debut=datetime(2024, 3, 1),
            date_fin="31/12/2026", financeur1="ADEME", montant1=12000,
            personne="Alice Admin, Jean Extérieur", service="Patrimoine"),
        row(titre="Chauffer au bois", statut="A venir", montant1=None),  # merged axe cells
        row(),  # blank line
        row(axe1="1. Bâtiments", axe2="1.1 Écoles", titre="Isoler les écoles",
            objectifs="-30 % de consommation"),  # duplicate title: merged
        row(axe1="2. Mobilité", titre="Vélo-école", sous_titre="Atelier réparation",
            statut="Réalisé", date_debut="2025-01-15"),
        row(axe1="2. Mobilité", titre="Covoiturage", statut="En cour"),  # close spelling
    ]
    for i, cells in enumerate(rows, start=4):
        for j, value in enumerate(cells):
            if isinstance(value, datetime):
                ws.write_datetime(i, j, value, date_fmt)
            elif value is not None:
                ws.write(i, j, value)
    ws.merge_range(4, 0, 5, 0, "1. Bâtiments")
    ws.merge_range(4, 1, 5, 1, "1.1 Écoles")
    wb.close()


def errors_workbook(path):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("PAT")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, row(axe1="Cantines", titre="x" * 301))
    ws.write_row(2, 0, row(axe1="Cantines", titre="Légumerie", statut="Terminé",
                           date_fin="31/02/2025", financeur1="Région", montant1=-50))
    ws.write_row(3, 0, row(axe1="Cantines", titre="Cantine bio", priorite="Moyenne"))
    wb.close()


@pytest.fixture
def cc(app):
    with app.app_context():
        return db.session.scalar(select(Collectivite.id).where(Collectivite.siren == "200099901"))


def test_messy_workbook_gives_the_expected_plan(app, cc, tmp_path):
    path = tmp_path / "plan.xlsx"
    messy_workbook(path)
    lecture = plan_import.read(str(path))
    assert lecture.ignorees == ["Aide"]
    assert [p.nom for p in lecture.plans] == ["PCAET Val 2030"]
    assert lecture.plans[0].type == "pcaet"
    assert lecture.erreurs == []
    warnings = [str(p) for p in lecture.avertissements]
    assert any("ligne 8" in w and "fusionnées" in w for w in warnings)
    assert any("« En cour » lu comme « En cours »" in w for w in warnings)
    with app.app_context():
        coll = db.session.get(Collectivite, cc)
        bilan = plan_import_apply.apply(lecture, coll, None, "plan.xlsx")
        assert bilan.fiches_creees == 5 and bilan.personnes_creees == ["Jean Extérieur"]
        plan = db.session.scalar(select(Plan).where(Plan.nom == "PCAET Val 2030"))
        root, fiches = arbre.load_tree(plan)
        assert [n.axe.nom for n in root.children] == ["1. Bâtiments", "2. Mobilité"]
        ecoles = root.children[0].children[0]
        assert ecoles.axe.nom == "1.1 Écoles"
        assert sorted(f.titre for f in ecoles.fiches) == ["Chauffer au bois", "Isoler les écoles"]
        isoler = next(f for f in fiches if f.titre == "Isoler les écoles")
        assert isoler.statut == "en_cours" and isoler.priorite == "eleve"
        assert str(isoler.date_debut) == "2024-03-01" and str(isoler.date_fin) == "2026-12-31"
        assert isoler.objectifs == "-30 % de consommation"
        assert [u.email for u in isoler.pilotes] == ["admin.cc@tet.test"]
        assert float(isoler.financeurs[0].montant) == 12000
        atelier = db.session.scalar(select(FicheAction).where(
            FicheAction.titre == "Atelier réparation"))
        assert atelier.parent.titre == "Vélo-école" and atelier.statut == "realise"


def test_any_error_writes_nothing_and_reports_row_and_column(app, cc, tmp_path):
    path = tmp_path / "erreurs.xlsx"
    errors_workbook(path)
    lecture = plan_import.read(str(path))
    messages = [str(p) for p in lecture.erreurs]
    assert any("ligne 2" in m and "titre trop long" in m for m in messages)
    assert any("ligne 3" in m and "« Statut »" in m and "Terminé" in m for m in messages)
    assert any("« Date de fin »" in m and "31/02/2025" in m for m in messages)
    assert any("montant négatif" in m for m in messages)
    assert any("« Moyenne » lu comme « Moyen »" in str(p) for p in lecture.avertissements)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(FicheAction))
        with pytest.raises(ValueError):
            plan_import_apply.apply(lecture, db.session.get(Collectivite, cc), None, "x.xlsx")
        assert db.session.scalar(select(func.count()).select_from(FicheAction)) == before
        assert db.session.scalar(select(Plan).where(Plan.nom == "PAT")) is None


def test_files_that_are_not_workbooks_are_refused(tmp_path):
    cases = [(b"%PDF-1.4 ...", "pas un classeur"), (b"\xd0\xcf\x11\xe0\xa1\xb1", "mot de passe"),
             (b"PK\x03\x04 pas vraiment un zip", "pas un classeur Excel .xlsx lisible")]
    for content, message in cases:
        bad = tmp_path / "faux.xlsx"
        bad.write_bytes(content)
        with pytest.raises(plan_import.ClasseurRefuse, match=message):
            plan_import.read(str(bad))
    big = tmp_path / "gros.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"0" * 5000)
    with pytest.raises(plan_import.ClasseurRefuse, match="trop volumineux"):
        plan_import.read(str(big), classeur.Limites(octets=1000))


def _rows(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [r[:len(COLUMNS)] for r in ws.iter_rows(values_only=True)]
                for ws in wb.worksheets}
    finally:
        wb.close()


def test_round_trip_export_import_export(app, cc, tmp_path):
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    with app.app_context():
        plans = db.session.scalars(select(Plan).where(Plan.collectivite_id == cc)
                                   .order_by(Plan.nom)).all()
        xlsx.build_to_file(str(first), lambda wb: plan_export.write_plans(wb, plans))
        n = db.session.scalar(select(func.count()).select_from(FicheAction))
        lecture = plan_import.read(str(first))
        assert lecture.erreurs == []
        bilan = plan_import_apply.apply(lecture, db.session.get(Collectivite, cc), None, "1.xlsx")
        assert bilan.fiches_creees == 0 and bilan.plans_crees == []
        assert db.session.scalar(select(func.count()).select_from(FicheAction)) == n
        plans = db.session.scalars(select(Plan).where(Plan.collectivite_id == cc)
                                   .order_by(Plan.nom)).all()
        xlsx.build_to_file(str(second), lambda wb: plan_export.write_plans(wb, plans))
    assert _rows(first) == _rows(second)


def test_reimport_updates_instead_of_duplicating(app, cc, tmp_path):
    path = tmp_path / "plan.xlsx"
    messy_workbook(path)
    with app.app_context():
        coll = db.session.get(Collectivite, cc)
        plan_import_apply.apply(plan_import.read(str(path)), coll, None, "plan.xlsx")
        count = db.session.scalar(select(func.count()).select_from(FicheAction))
        bilan = plan_import_apply.apply(plan_import.read(str(path)), coll, None, "plan.xlsx")
        assert bilan.fiches_creees == 0 and bilan.fiches_mises_a_jour == 5
        assert bilan.plans_mis_a_jour == ["PCAET Val 2030"]
        assert db.session.scalar(select(func.count()).select_from(FicheAction)) == count


def test_cli_dry_run_and_import(app, tmp_path):
    path = tmp_path / "plan.xlsx"
    messy_workbook(path)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import-plans", str(path), "--collectivite", "216890103",
                              "--dry-run"])
    assert dry.exit_code == 0 and "Simulation" in dry.output and "fiches créées : 5" in dry.output
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.nom == "PCAET Val 2030")) is None
    done = runner.invoke(args=["import-plans", str(path), "--collectivite", "216890103"])
    assert done.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.nom == "PCAET Val 2030")) is not None


def test_upload_preview_then_confirm(app, login_as, tmp_path):
    path = tmp_path / "plan.xlsx"
    messy_workbook(path)
    client = login_as("edition_cc")
    with open(path, "rb") as fh:
        preview = client.post("/admin/import-plans/", data={"fichier": (fh, "plan.xlsx")},
                              content_type="multipart/form-data")
    text = preview.get_data(as_text=True)
    assert "5 fiches à créer" in text and "lu comme « En cours »" in text
    assert "« Jean Extérieur » n&#39;est pas membre de la collectivité" in text
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.nom == "PCAET Val 2030")) is None
    token = text.split('name="token" value="')[1].split('"')[0]
    assert client.post("/admin/import-plans/confirmer", data={"token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.nom == "PCAET Val 2030")) is not None
        from tet.comptes.journal import AuditLog

        assert db.session.scalar(select(AuditLog).where(AuditLog.context == "import du classeur plan.xlsx"))


def test_upload_with_errors_cannot_be_confirmed(app, login_as, tmp_path):
    path = tmp_path / "erreurs.xlsx"
    errors_workbook(path)
    client = login_as("admin_cc")
    with open(path, "rb") as fh:
        text = client.post("/admin/import-plans/", data={"fichier": (fh, "erreurs.xlsx")},
                           content_type="multipart/form-data").get_data(as_text=True)
    assert "rien ne sera importé" in text and "Confirmer" not in text
    assert client.post("/admin/import-plans/confirmer", data={"token": "x"}).status_code == 400


def test_lecture_cannot_import_and_non_xlsx_is_refused(app, login_as, tmp_path):
    assert login_as("lecture_cc").get("/admin/import-plans/").status_code == 403
    client = login_as("edition_cc")
    bad = client.post("/admin/import-plans/", follow_redirects=True, content_type="multipart/form-data",
                      data={"fichier": (open(__file__, "rb"), "plan.csv")})
    assert "Seuls les classeurs .xlsx" in bad.get_data(as_text=True)


def test_template_has_instructions_lists_and_header(app, login_as, tmp_path):
    response = login_as("edition_cc").get("/admin/import-plans/modele.xlsx")
    path = tmp_path / "modele.xlsx"
    path.write_bytes(response.data)
    response.close()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Mode d'emploi", "Listes", "Exemple de plan"]
    assert wb["Listes"].sheet_state == "hidden"
    ws = wb["Exemple de plan"]
    assert [c.value for c in ws[3]][:4] == HEADER[:4]
    assert ws.freeze_panes == "A4"
    assert any("Listes!" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    wb.close()
    lecture = plan_import.read(str(path))  # the template imports as is
    assert lecture.erreurs == [] and lecture.plans[0].type == "pcaet"
