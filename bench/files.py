"""The file rows of the benchmark: plan export vs a bare xlsxwriter loop, import of a
5,000-fiche workbook (preview, confirm) vs openpyxl's read-only read."""
from __future__ import annotations

import os
import re
import time
import tracemalloc
from datetime import date

import xlsxwriter
from openpyxl import load_workbook
from sqlalchemy import update

from bench.timing import stats, timed
from tet.extensions import db
from tet.plans.format import COLUMNS

IMPORT_FICHES = int(os.environ.get("BENCH_IMPORT_FICHES", "5000"))  # 5,000 unless asked
XLSX_OPTIONS = {"constant_memory": True, "strings_to_formulas": False,
                "strings_to_urls": False}


def give_password(email: str | None) -> None:
    """The benchmark signs in as generated accounts: give this one the demo password."""
    from werkzeug.security import generate_password_hash

    from tet.config import DEMO_PASSWORD
    from tet.comptes.models import User

    if email:
        db.session.execute(update(User).where(User.email == email).values(
            password_hash=generate_password_hash(DEMO_PASSWORD)))
        db.session.commit()


def peak(fn) -> float:
    """Peak Python memory (Mio) of one call, by tracemalloc."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def export_rows(bench, k: dict, folder: str) -> list[tuple]:
    url = f"/admin/plan/{k['gros_plan']}/export.xlsx"
    who = "admin@grosse.charge.tet.test"
    out = os.path.join(folder, "export.xlsx")

    def download():
        r = bench.client(who).get(url)
        if r.status_code != 200:
            raise SystemExit(f"export : HTTP {r.status_code} {r.get_data(as_text=True)[:300]}")
        with open(out, "wb") as fh:
            for chunk in r.iter_encoded():
                fh.write(chunk)
        r.close()
        return r

    bench.queries.n = 0
    times, _ = timed(download, bench.repeat)
    nq = bench.queries.n // len(times)
    med = stats(times)[0]
    mem = peak(download) if med < 60 else None
    sheets = _read(out)
    copy = os.path.join(folder, "copie.xlsx")
    ref_times, _ = timed(lambda: _write(copy, sheets), bench.repeat)
    ref_mem = peak(lambda: _write(copy, sheets))
    n = sum(len(rows) for rows in sheets.values()) - len(sheets)
    note = " (1 essai, > 60 s)" if len(times) < bench.repeat else ""
    return [(f"export du plan ({n} lignes){note}", med, mem, nq, "xlsxwriter seul",
             stats(ref_times)[0], ref_mem)]


def _read(path: str) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


def _write(path: str, sheets: dict[str, list[tuple]]) -> None:
    wb = xlsxwriter.Workbook(path, XLSX_OPTIONS)
    for title, rows in sheets.items():
        ws = wb.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    wb.close()


def workbook(path: str, n: int = IMPORT_FICHES) -> None:
    """A workbook in the app's import format: 10 axes × 10 sous-axes, ``n`` fiches."""
    keys = [key for _h, _w, key in COLUMNS]
    wb = xlsxwriter.Workbook(path, XLSX_OPTIONS)
    ws = wb.add_worksheet("Plan importé")
    dates = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, [h for h, _w, _k in COLUMNS])
    for i in range(n):
        values = {"axe1": f"Axe {i % 10 + 1}", "axe2": f"Sous-axe {i % 10 + 1}.{i // 10 % 10 + 1}",
                  "titre": f"Action importée n°{i + 1}", "description": "Descriptif de l'action.",
                  "statut": ("À venir", "En cours", "Réalisé")[i % 3],
                  "priorite": ("Élevé", "Moyen", "Bas")[i % 3]}
        for c, key in enumerate(keys):
            if key in values:
                ws.write(i + 1, c, values[key])
            elif key == "date_debut":
                ws.write_datetime(i + 1, c, date(2025, 1 + i % 12, 1), dates)
    wb.close()


def workbook_tet(path: str, n: int = IMPORT_FICHES) -> None:
    """The same plan in Territoires en Transitions' template: title row, header on row 2,
    hint row, ``n`` actions and one sous-action for every fifth, dates as serial numbers,
    amounts as French text."""
    keys = [key for _h, _w, key in COLUMNS[:28]]
    wb = xlsxwriter.Workbook(path, XLSX_OPTIONS)
    ws = wb.add_worksheet("Fichier d'import")
    ws.write_row(0, 0, ["Plan importé (modèle TeT)"])
    ws.write_row(1, 0, [h if k != "axe3" else "Sous-sous axe (x.x.x)"
                        for h, _w, k in COLUMNS[:28]])
    ws.write_row(2, 0, ["Champ texte"] * 28)
    r = 3
    for i in range(n):
        values = {"axe1": f"Axe {i % 10 + 1}", "axe2": f"Sous-axe {i % 10 + 1}.{i // 10 % 10 + 1}",
                  "titre": f"Action importée n°{i + 1}", "description": "Descriptif de l'action.",
                  "statut": ("À venir", "En cours", "Réalisé")[i % 3],
                  "priorite": ("Élevé", "Moyen", "Bas")[i % 3], "date_debut": 45658 + i % 365,
                  "financeur1": "ADEME", "montant1": "12 500,50", "budget": "120 000 €"}
        ws.write_row(r, 0, [values.get(k) for k in keys])
        r += 1
        if i % 5 == 0:
            sous = {**values, "sous_titre": f"Sous-action de n°{i + 1}",
                    "date_debut": "01/02/2025"}
            ws.write_row(r, 0, [sous.get(k) for k in keys])
            r += 1
    wb.close()


def import_rows(bench, folder: str) -> list[tuple]:
    rows = _import_rows(bench, folder, workbook, "")
    return rows + _import_rows(bench, folder, workbook_tet, " (modèle TeT)")


def _import_rows(bench, folder: str, build, label: str) -> list[tuple]:
    path = os.path.join(folder, "import.xlsx")
    build(path)
    who = "admin@arbre.charge.tet.test"

    def preview():
        with open(path, "rb") as fh:
            r = bench.client(who).post("/admin/import-plans/", data={
                "fichier": (fh, "import.xlsx")}, content_type="multipart/form-data")
        return r.get_data(as_text=True)

    bench.queries.n = 0
    times, html = timed(preview, bench.repeat)
    nq = bench.queries.n // len(times)
    ref_times, _ = timed(lambda: _read(path), bench.repeat)
    ref = stats(ref_times)[0]
    ref_mem = peak(lambda: _read(path))
    note = " (1 essai, > 60 s)" if len(times) < bench.repeat else ""
    rows = [(f"import {IMPORT_FICHES} fiches{label} : aperçu{note}", stats(times)[0], None, nq,
             "openpyxl read_only", ref, ref_mem)]
    token = re.search(r'name="token"[^>]*value="([^"]+)"', html or "")
    if token is None:
        return rows + [(f"import{label} : confirmation (aperçu refusé)", 0.0, None, None, "—",
                        None, None)]
    bench.queries.n = 0
    began = time.perf_counter()
    bench.client(who).post("/admin/import-plans/confirmer", data={"token": token.group(1)})
    elapsed = time.perf_counter() - began
    return rows + [(f"import {IMPORT_FICHES} fiches{label} : confirmation (1 essai)", elapsed, None,
                    bench.queries.n, "openpyxl read_only", ref, ref_mem)]
