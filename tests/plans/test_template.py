"""The import template's drop-down lists, and the plan type through export → import."""
from __future__ import annotations

import re

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, range_boundaries
from sqlalchemy import select

from tests import builders
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import Plan
from tet.plans.models import PARTICIPATION, PLAN_TYPES, PRIORITES, STATUTS
from tet.plans import (
    export as plan_export,
    import_lecture as plan_import,
    import_application as plan_import_apply,
    arbre,
)
from tet import xlsx
from tet.plans.format import COLUMNS

HEADER_ROW = 3  # 1-based, under « Type : … » and a blank row
EXPECTED = {  # plan-sheet column (or A1) → the labels its drop-down must offer
    "statut": [label for _c, label in STATUTS],
    "priorite": [label for _c, label in PRIORITES],
    "participation": [label for _c, label in PARTICIPATION],
    "type": [f"Type : {label}" for _c, label in PLAN_TYPES],
}


def resolve(wb, formula: str) -> list:
    """The values a list validation offers: an inline list or a range of another sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, cells = formula.lstrip("=").rsplit("!", 1)
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    ws = wb[sheet.strip("'")]
    return [ws.cell(row, col).value for row in range(min_row, max_row + 1)
            for col in range(min_col, max_col + 1)]


@pytest.fixture
def template(login_as, tmp_path):
    response = login_as("edition_cc").get("/admin/import-plans/modele.xlsx")
    assert response.status_code == 200
    path = tmp_path / "modele.xlsx"
    path.write_bytes(response.data)
    response.close()
    wb = openpyxl.load_workbook(path)
    yield wb, path
    wb.close()


def test_every_drop_down_offers_its_whole_list(template):
    wb, _path = template
    ws = wb["Exemple de plan"]
    keys = {i + 1: key for i, (_h, _w, key) in enumerate(COLUMNS)}
    found = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list":
            continue
        values = resolve(wb, dv.formula1)
        assert values and all(isinstance(v, str) and v for v in values), dv.sqref
        for cells in str(dv.sqref).split():
            first = cells.split(":")[0]
            col = column_index_from_string(re.match(r"[A-Z]+", first).group())
            row = int(re.search(r"\d+", first).group())
            key = "type" if (row, col) == (1, 1) else keys[col]
            assert row in (1, HEADER_ROW + 1), cells  # from the first data row
            found[key] = values
    assert found == EXPECTED
    assert any(len(label) >= 30 for label in found["type"])  # long labels are kept


def test_hidden_sheet_holds_each_list_in_full(template):
    wb, _path = template
    lists = wb["Listes"]
    assert lists.sheet_state == "hidden"
    columns = [[c for c in col if c is not None] for col in lists.iter_cols(values_only=True)]
    assert [col[1:] for col in columns] == list(EXPECTED.values())


def test_template_values_import_as_typed(template):
    _wb, path = template
    lecture = plan_import.read(str(path))
    assert lecture.erreurs == [] and lecture.avertissements == []
    assert lecture.plans[0].type == "pcaet"
    priorities = {f.data.get("priorite") for f in lecture.plans[0].fiches}
    assert priorities == {"eleve", "moyen", "bas"}


@pytest.mark.parametrize("code", [code for code, _label in PLAN_TYPES])
def test_export_then_import_keeps_the_plan_type(app, tmp_path, code):
    path = tmp_path / "plan.xlsx"
    with app.app_context():
        source = builders.collectivite("Commune source")
        plan = arbre.create_plan(source.id, f"Plan {code}", code)
        arbre.add_axe(plan, "Axe 1")
        db.session.commit()
        xlsx.build_to_file(str(path), lambda wb: plan_export.write_plans(wb, [plan]))
        lecture = plan_import.read(str(path))
        assert lecture.erreurs == [] and lecture.plans[0].type == code
        target = builders.collectivite("Commune cible")
        db.session.commit()
        plan_import_apply.apply(lecture, target, None, "plan.xlsx")
        copy = db.session.scalar(select(Plan).where(Plan.collectivite_id == target.id))
        assert (copy.nom, copy.type) == (f"Plan {code}", code)


def test_reimport_restores_a_changed_type_and_an_untyped_sheet_keeps_it(app, tmp_path):
    path = tmp_path / "plans.xlsx"
    with app.app_context():
        cc = db.session.scalar(select(Collectivite).where(Collectivite.siren == "200099901"))
        pcaet = db.session.scalar(select(Plan).where(Plan.collectivite_id == cc.id,
                                                     Plan.type == "pcaet"))
        xlsx.build_to_file(str(path), lambda wb: plan_export.write_plans(wb, [pcaet]))
        pcaet.type = "autre"
        db.session.commit()
        plan_import_apply.apply(plan_import.read(str(path)), cc, None, "plans.xlsx")
        assert db.session.get(Plan, pcaet.id).type == "pcaet"
    untyped = tmp_path / "sans-type.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "PCAET 2024-2030"
    book.active.append([h for h, _w, _k in COLUMNS])
    book.active.append(["Nouvel axe", None, None, "Nouvelle fiche"])
    book.save(untyped)
    lecture = plan_import.read(str(untyped))
    assert lecture.plans[0].type is None
    with app.app_context():
        cc = db.session.scalar(select(Collectivite).where(Collectivite.siren == "200099901"))
        plan_import_apply.apply(lecture, cc, None, "sans-type.xlsx")
        assert db.session.scalar(select(Plan.type).where(
            Plan.nom == "PCAET 2024-2030", Plan.collectivite_id == cc.id)) == "pcaet"
