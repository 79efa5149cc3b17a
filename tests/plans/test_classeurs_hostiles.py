"""Hostile workbooks are refused, in French and naming the limit, before they cost memory or
CPU; import previews never pile up on disk and the workbook is read once."""
from __future__ import annotations

import os
import time
import tracemalloc
import zipfile

import pytest
import xlsxwriter
from sqlalchemy import select

from tet.extensions import db
from tet.plans.models import Plan
from tet.plans import import_apercus, import_lecture as plan_import
from tet.classeur import Limites
from tet.plans.format import COLUMNS

HEADER = [h for h, _w, _k in COLUMNS]
MO = 1024 * 1024


def base_workbook(path, rows=1) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("PAT")
    ws.write_row(0, 0, HEADER)
    for n in range(1, rows + 1):
        ws.write_row(n, 0, ["Cantines", None, None, f"Action {n}"])
    wb.close()


def rebuild(src, dst, parts: dict) -> None:
    """Copy the archive, replacing or adding parts (bytes, or a callable writing to a
    stream, for the large ones)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in parts:
                zout.writestr(info, zin.read(info.filename))
        for name, content in parts.items():
            if callable(content):
                with zout.open(name, "w", force_zip64=True) as fh:
                    content(fh)
            else:
                zout.writestr(name, content)


def sheet_xml(body: bytes, dimension: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main">' + dimension
            + b"<sheetData>" + body + b"</sheetData></worksheet>")


def inline_row(n: int, text: bytes, col: bytes = b"A") -> bytes:
    return (b'<row r="%d"><c r="%s%d" t="inlineStr"><is><t>%s</t></is></c></row>'
            % (n, col, n, text))


def refused(path, message: str, limites: Limites | None = None) -> int:
    """Read ``path``: refused with ``message``; returns the peak of memory allocated."""
    tracemalloc.start()
    try:
        with pytest.raises(plan_import.ClasseurRefuse, match=message):
            plan_import.read(str(path), limites)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_zip_bomb_with_a_huge_shared_string_is_refused_unread(tmp_path):
    src, bomb = tmp_path / "base.xlsx", tmp_path / "bombe.xlsx"
    base_workbook(src)

    def huge_string(fh):
        fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                 b'count="1" uniqueCount="1"><si><t>')
        chunk = b"a" * MO
        for _ in range(256):
            fh.write(chunk)
        fh.write(b"</t></si></sst>")

    rebuild(src, bomb, {"xl/sharedStrings.xml": huge_string})
    assert os.path.getsize(bomb) < 1 * MO
    peak = refused(bomb, "compressée plus de 100 fois")
    assert peak < 5 * MO
    peak = refused(bomb, r"décompressé \(256,\d Mo\) : 30,0 Mo au plus",
                   Limites(taux=10**6))
    assert peak < 5 * MO


def test_500000_rows_are_refused_before_or_while_reading(tmp_path):
    src = tmp_path / "base.xlsx"
    base_workbook(src)
    header = b'<row r="1"><c t="inlineStr"><is><t>Titre de l\'action</t></is></c></row>'
    rows = b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (n, n) for n in range(2, 500_001))
    # no <dimension>: openpyxl would parse the whole sheet just to size it
    undeclared = tmp_path / "lignes.xlsx"
    rebuild(src, undeclared, {"xl/worksheets/sheet1.xml": sheet_xml(header + rows)})
    assert os.path.getsize(undeclared) < 3 * MO
    assert refused(undeclared, "n'indique pas sa taille") < 5 * MO
    # declared: refused from the declaration
    declared = tmp_path / "declare.xlsx"
    rebuild(src, declared, {"xl/worksheets/sheet1.xml": sheet_xml(
        header + rows, b'<dimension ref="A1:AN500000"/>')})
    assert refused(declared, r"trop de lignes \(500000 ou plus\), 10000 au plus") < 5 * MO
    # a tiny sheet with one cell on row 500 000: openpyxl fills the rows above, the read stops
    gap = tmp_path / "trou.xlsx"
    rebuild(src, gap, {"xl/worksheets/sheet1.xml": sheet_xml(
        header + inline_row(500_000, b"x"))})
    assert os.path.getsize(gap) < 10_000
    assert refused(gap, r"trop de lignes \(10001 ou plus\), 10000 au plus") < 20 * MO


def test_too_many_columns_sheets_or_parts(tmp_path):
    src = tmp_path / "base.xlsx"
    base_workbook(src)
    wide = tmp_path / "large.xlsx"
    rebuild(src, wide, {"xl/worksheets/sheet1.xml": sheet_xml(inline_row(1, b"x", b"XFD"))})
    refused(wide, r"trop de colonnes \(16384\), 200 au plus")
    declared = tmp_path / "declare.xlsx"
    rebuild(src, declared, {"xl/worksheets/sheet1.xml": sheet_xml(
        inline_row(1, b"x"), b'<dimension ref="A1:XFD1"/>')})
    refused(declared, r"trop de colonnes \(16384\), 200 au plus")
    sheets = tmp_path / "feuilles.xlsx"
    with zipfile.ZipFile(src) as zf:
        workbook = zf.read("xl/workbook.xml")
    many = b"".join(b'<sheet name="F%d" sheetId="%d" r:id="rId1"/>' % (n, n)
                    for n in range(2, 62))
    rebuild(src, sheets, {"xl/workbook.xml": workbook.replace(b"</sheets>", many + b"</sheets>")})
    refused(sheets, "61 feuilles, 50 au plus")
    parts = tmp_path / "parties.xlsx"
    rebuild(src, parts, {f"xl/media/p{n}.bin": b"" for n in range(600)})
    refused(parts, r"\d+ parties dans l'archive, 500 au plus")


def test_a_huge_cell_macros_and_encryption_are_refused(tmp_path):
    src = tmp_path / "base.xlsx"
    base_workbook(src)
    cell = tmp_path / "cellule.xlsx"
    rebuild(src, cell, {"xl/worksheets/sheet1.xml": sheet_xml(inline_row(1, b"a" * 40_000))})
    refused(cell, r"ligne 1, colonne 1 : cellule de 40000 caractères, 32767 au plus")
    macros = tmp_path / "macros.xlsx"
    rebuild(src, macros, {"xl/vbaProject.bin": b"\x00" * 10})
    refused(macros, "macros")
    encrypted = tmp_path / "chiffre.xlsx"
    rebuild(src, encrypted, {"xl/secret.bin": b"x"})
    data = bytearray(encrypted.read_bytes())
    central = data.rindex(b"xl/secret.bin") - 46
    data[central + 8] |= 0x1  # the "encrypted" bit of the central directory entry
    encrypted.write_bytes(bytes(data))
    refused(encrypted, "chiffré")


def test_a_normal_workbook_still_reads(tmp_path):
    path = tmp_path / "plan.xlsx"
    base_workbook(path, rows=300)
    lecture = plan_import.read(str(path))
    assert not lecture.erreurs and len(lecture.plans[0].fiches) == 300


# --- previews ---------------------------------------------------------------------------

def _upload(client, path, name="plan.xlsx", **kwargs):
    with open(path, "rb") as fh:
        return client.post("/admin/import-plans/", data={"fichier": (fh, name)},
                           content_type="multipart/form-data", **kwargs)


def _token(response) -> str:
    return response.get_data(as_text=True).split('name="token" value="')[1].split('"')[0]


def _folder(app) -> str:
    return os.path.join(app.instance_path, "imports")


@pytest.fixture
def empty_previews(app):
    os.makedirs(_folder(app), exist_ok=True)
    for name in os.listdir(_folder(app)):
        os.unlink(os.path.join(_folder(app), name))
    yield
    for name in os.listdir(_folder(app)):
        os.unlink(os.path.join(_folder(app), name))


def test_the_workbook_is_read_once_and_never_kept(app, login_as, tmp_path, monkeypatch,
                                                  empty_previews):
    path = tmp_path / "plan.xlsx"
    base_workbook(path, rows=3)
    calls = []
    real = plan_import.read
    monkeypatch.setattr(plan_import, "read", lambda *a, **k: calls.append(a) or real(*a, **k))
    client = login_as("admin_ville")
    token = _token(_upload(client, path))
    assert os.listdir(_folder(app)) == [f"{_user_id(app, 'admin.ville@tet.test')}-{token}.json"]
    assert client.post("/admin/import-plans/confirmer", data={"token": token}).status_code == 302
    assert len(calls) == 1 and os.listdir(_folder(app)) == []
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.nom == "PAT",
                                                    Plan.collectivite_id.isnot(None)))


def _user_id(app, email) -> int:
    from tet.comptes.models import User

    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_previews_expire_and_are_capped_per_user(app, login_as, tmp_path, empty_previews):
    path = tmp_path / "plan.xlsx"
    base_workbook(path)
    client = login_as("admin_ville")
    tokens = [_token(_upload(client, path)) for _ in range(7)]
    assert len(os.listdir(_folder(app))) == app.config["IMPORT_PREVIEW_MAX_PER_USER"] == 5
    old = client.post("/admin/import-plans/confirmer", data={"token": tokens[0]},
                      follow_redirects=True)
    assert "Cet aperçu a expiré" in old.get_data(as_text=True)
    # another user can neither confirm nor push out someone else's previews
    other = login_as("admin_cc")
    other.post("/admin/import-plans/confirmer", data={"token": tokens[-1]})
    _upload(other, path)
    assert len(os.listdir(_folder(app))) == 6
    # an hour later, every preview is gone at the next upload or confirmation
    past = time.time() - app.config["IMPORT_PREVIEW_TTL"] - 1
    for name in os.listdir(_folder(app)):
        os.utime(os.path.join(_folder(app), name), (past, past))
    late = client.post("/admin/import-plans/confirmer", data={"token": tokens[-1]},
                       follow_redirects=True)
    assert "Cet aperçu a expiré" in late.get_data(as_text=True)
    assert os.listdir(_folder(app)) == []
    with app.app_context():
        assert import_apercus.purge() == 0


def test_hostile_upload_gets_a_french_refusal_page(app, login_as, tmp_path, empty_previews):
    src, cell = tmp_path / "base.xlsx", tmp_path / "cellule.xlsx"
    base_workbook(src)
    rebuild(src, cell, {"xl/worksheets/sheet1.xml": sheet_xml(inline_row(1, b"a" * 40_000))})
    page = _upload(login_as("admin_ville"), cell, follow_redirects=True)
    assert page.status_code == 200
    assert "cellule de 40000 caractères, 32767 au plus" in page.get_data(as_text=True)
    assert os.listdir(_folder(app)) == []
