"""Benchmark: ``seed --france`` (first load, re-run) and the collectivités list at 36 000 rows.

Usage: .venv/bin/python bench/france.py [DATABASE_URL]
Without a URL, a throwaway SQLite file. The database named is emptied first (``drop_all``):
never point it at a real one. Prints the seconds of each step (best of 3 for the pages).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402
from tet.extensions import db  # noqa: E402

PAGES = {
    "liste, page 1": "/admin/collectivite/",
    "liste, dernière page": "/admin/collectivite/?page={last}",
    "tri par population, dernière page": "/admin/collectivite/?sort=5&page={last}",
    "recherche « saint »": "/admin/collectivite/?search=saint",
    "recherche d'un SIREN": "/admin/collectivite/?search=217500016",
    "filtre type = commune, dép. = 67": "/admin/collectivite/?flt1_0=commune&flt2_9=67",
    "ajax membres « mont »": "/admin/collectivite/ajax/lookup/?name=membres&query=mont",
    "accueil du support": "/admin/",
    "maturité nationale": "/admin/maturite-nationale/",
    "exports partenaires": "/admin/exports-partenaires/",
}


def _timed(step, *args):
    start = time.perf_counter()
    result = step(*args)
    return time.perf_counter() - start, result


def main(url: str | None) -> None:
    from seeds.demo import load_demo
    from seeds.france import load_france

    url = url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench-only-secret-key-0123456789abcdef"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo()
        db.session.commit()
        for label in ("premier chargement", "relance"):
            seconds, counts = _timed(load_france)
            print(f"seed --france, {label} : {seconds:.2f} s {counts}")
        total = db.session.scalar(db.select(db.func.count()).select_from(
            db.metadata.tables["collectivite"]))
    client = app.test_client()
    client.post("/connexion", data={"email": "support@tet.test", "password": "tet-demo"})
    last = (total - 1) // 50
    for label, path in PAGES.items():
        path = path.format(last=last)
        best = min(_timed(client.get, path)[0] for _ in range(3))
        status = client.get(path).status_code
        print(f"{label} ({path}) : {best * 1000:.0f} ms, HTTP {status}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
