"""Benchmark: exporting a plan of N fiches keeps peak memory flat (streamed, chunked).

Usage: .venv/bin/python bench/export_memory.py [2000 20000]
Builds a throwaway SQLite database, fills one plan with N fiches (bulk inserts), exports it
with the same code as the back-office, and prints time and peak Python memory (tracemalloc).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import insert, select  # noqa: E402

from app import create_app  # noqa: E402
from tet.extensions import db  # noqa: E402


def run(n: int) -> tuple[float, float, int]:
    from tet.comptes.models import Collectivite
    from tet.plans.models import FicheAction, Plan
    from tet.plans.models import fiche_axe
    from tet.plans import export as plan_export, arbre
    from tet import xlsx

    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "SECRET_KEY": "bench-only-secret-key-0123456789abcdef"})
    with app.app_context():
        db.create_all()
        coll = Collectivite(nom="Bench", type="cc", siren="200099901")
        db.session.add(coll)
        db.session.flush()
        plan = arbre.create_plan(coll.id, "Plan de test", "pcaet")
        axes = [arbre.add_axe(plan, f"Axe {i}") for i in range(40)]
        db.session.commit()
        for start in range(0, n, 5000):
            rows = [{"collectivite_id": coll.id, "titre": f"Fiche {i:06d}", "statut": "en_cours",
                     "description": "Description " * 20, "date_debut": date(2024, 1, 1),
                     "cibles": [], "confidentiel": False, "amelioration_continue": False}
                    for i in range(start, min(n, start + 5000))]
            db.session.execute(insert(FicheAction), rows)
        ids = db.session.scalars(select(FicheAction.id)).all()
        db.session.execute(insert(fiche_axe), [{"fiche_id": f, "axe_id": axes[i % 40].id}
                                               for i, f in enumerate(ids)])
        db.session.commit()
        db.session.remove()
        out = os.path.join(folder, "export.xlsx")
        tracemalloc.start()
        began = time.perf_counter()
        plan = db.session.scalar(select(Plan))
        xlsx.build_to_file(out, lambda wb: plan_export.write_plans(wb, [plan]))
        elapsed = time.perf_counter() - began
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = os.path.getsize(out)
        db.session.remove()
        db.engine.dispose()
    return elapsed, peak / 2**20, size


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [2000, 20000]
    print("| fiches | durée (s) | pic mémoire Python (Mio) | fichier (Kio) |")
    print("|---:|---:|---:|---:|")
    for n in sizes:
        elapsed, peak, size = run(n)
        print(f"| {n} | {elapsed:.1f} | {peak:.1f} | {size // 1024} |")
