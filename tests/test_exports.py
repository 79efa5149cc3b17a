"""List exports (xlsx) go through the same scoped queries as the lists."""
from __future__ import annotations

import io

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
    from tet.models import FicheAction

    with app.app_context():
        ids = db.session.scalars(select(FicheAction.id)).all()
    response = login_as("admin_ville").post("/admin/fiche/action/", data={
        "action": "export_xlsx", "rowid": [str(i) for i in ids]})
    titles = [r[0] for r in _sheet_rows(response)[1:]]
    assert titles and not any("écoles communautaires" in t for t in titles)


def test_lecture_exports_but_formula_like_text_stays_text(app, login_as):
    from sqlalchemy import select

    from tet.extensions import db
    from tet.models import FicheAction

    with app.app_context():
        f = db.session.scalar(select(FicheAction).where(
            FicheAction.titre == "Créer un atlas de la biodiversité intercommunale"))
        f.titre = '=HYPERLINK("http://evil.example","clic")'
        db.session.commit()
    rows = _sheet_rows(login_as("lecture_cc").get("/admin/fiche/export/xlsx/"))
    assert '=HYPERLINK("http://evil.example","clic")' in [r[0] for r in rows]
