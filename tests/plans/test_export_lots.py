"""The plan export reads the relations of a batch of fiches in ONE query, whatever the
relations hold, and leaves out the relations the plan does not use."""
from __future__ import annotations

from datetime import date

import openpyxl

from tests import builders
from tests.sql_spy import sql_sent
from tet.extensions import db
from tet.plans.models import Document, FicheAction, NoteSuivi, Plan, Tag
from tet.plans import export as plan_export, arbre
from tet import xlsx


def _plan(n_fiches: int, relations: int) -> int:
    """``n_fiches`` fiches with ``relations`` tags, notes and documents each (none: bare)."""
    coll = builders.collectivite(f"Commune {n_fiches} × {relations}")
    plan = arbre.create_plan(coll.id, f"Plan {n_fiches} × {relations}", "pcaet")
    axe = arbre.add_axe(plan, "Axe")
    tags = [Tag(collectivite_id=coll.id, kind="service", nom=f"Service {i}")
            for i in range(relations)]
    for i in range(n_fiches):
        fiche = FicheAction(collectivite_id=coll.id, titre=f"Fiche {i:03d}", cibles=[],
                            statut="en_cours")
        db.session.add(fiche)
        fiche.axes, fiche.tags = [axe], tags
        db.session.flush()
        db.session.add_all([NoteSuivi(fiche_id=fiche.id, date=date(2025, 1, 1 + j), texte="n")
                            for j in range(relations)])
        db.session.add_all([Document(fiche_id=fiche.id, nom=f"doc {j}", url="https://x.fr/d")
                            for j in range(relations)])
    db.session.commit()
    return plan.id


def _export(app, plan_id: int, tmp_path) -> tuple[list[str], list[tuple]]:
    with app.app_context(), sql_sent(app) as sent:
        plan = db.session.get(Plan, plan_id)
        path = tmp_path / f"{plan_id}.xlsx"
        xlsx.build_to_file(str(path), lambda wb: plan_export.write_plans(wb, [plan]))
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [tuple(c.value for c in r) for r in next(iter(wb.worksheets)).iter_rows(min_row=4)]
    wb.close()
    return [statement for statement, _parameters in sent], rows


def test_one_query_per_batch_whatever_the_relations_hold(app, tmp_path, monkeypatch):
    with app.app_context():
        empty, bare, light, heavy = _plan(0, 1), _plan(30, 0), _plan(30, 1), _plan(30, 4)
    monkeypatch.setattr(plan_export, "BATCH", 10)
    fixed = len(_export(app, empty, tmp_path)[0])
    sent = {p: _export(app, p, tmp_path) for p in (bare, light, heavy)}
    # three batches of ten: one query each for all their relations, never one per relation
    assert len(sent[light][0]) == len(sent[heavy][0]) == fixed + 3
    unions = [s for s in sent[heavy][0] if "UNION ALL" in s]
    assert len(unions) == 3 and all("document" in s and "note_suivi" in s for s in unions)
    # the relations the plan does not use are not read at all
    assert len(sent[bare][0]) == fixed and not any("UNION" in s for s in sent[bare][0])
    assert not any("fiche_financeur" in s or "fiche_lien" in s for s in unions)
    # …and the cells are those of every relation row
    first = sent[heavy][1][0]
    assert first[3] == "Fiche 000" and first[12] == "Service 0, Service 1, Service 2, Service 3"
    assert first[34].split("\n")[0] == "04/01/2025 : n" and first[37].count("doc") == 4
    monkeypatch.setattr(plan_export, "BATCH", 30)
    assert len(_export(app, heavy, tmp_path)[0]) == fixed + 1
