"""Load benchmark: build a national-scale data set, then time the main pages.

Usage: .venv/bin/python bench/run.py [--scale 100] [--db sqlite|postgres] [--repeat 5]
                                     [--only TEXTE] [--out] [--keep URL | --reuse URL]
Builds a throwaway database (SQLite file in a temp folder, or a PostgreSQL 15 started with
``.ci/pg start``): migrations, reference data, every collectivité of France (``seed
--france``), ``seeds.scale.generate(N / 100)``. Then each
page goes through the Flask test client, signed in as a suitable account: median and p95 of
the repeats, SQL queries of one request (``before_cursor_execute``), and the ratio to the
plain SQL returning the rows the page shows. The plan export is set beside a bare xlsxwriter
loop writing the same cells, the import of a 5,000-fiche workbook beside openpyxl's
read-only read of it. A request slower than 60 s is not repeated. ``--out`` appends the
tables to bench/RESULTS.md with the machine and the date.

Building the national data set takes minutes: ``--keep URL`` builds it into an empty database
that is kept (a SQLite URL, or a database on a PostgreSQL server you run) and stops;
``--reuse URL`` benchmarks a copy of such a database (file copy, or ``CREATE DATABASE …
TEMPLATE``) after ``flask db upgrade``, so later migrations run on the national data too.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from sqlalchemy import event, text  # noqa: E402

from app import create_app  # noqa: E402
from bench import cases as bench_cases  # noqa: E402
from bench import files  # noqa: E402
from bench.timing import SLOW, stats, timed  # noqa: E402
from tet.extensions import db  # noqa: E402

class Queries:
    """Counts the SQL statements sent to the database."""

    def __init__(self):
        self.n = 0

    def __call__(self, *_args, **_kwargs):
        self.n += 1


def copy_database(url: str, folder: str) -> tuple[str, object]:
    """A throwaway copy of a kept database; returns its URL and a function dropping it."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    source = make_url(url)
    if source.get_backend_name() == "sqlite":
        target = os.path.join(folder, "bench.sqlite3")
        shutil.copyfile(source.database, target)
        return f"sqlite:///{target}", lambda: None
    name = f"bench_copie_{os.getpid()}"
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return source.set(database=name).render_as_string(hide_password=False), drop


def build(url: str, scale: int) -> dict:
    """Schema, reference data, the load data set; returns the timings."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from seeds import scale as scale_seed
    from seeds.france import load_france
    from seeds.maturite import load_questionnaire
    from seeds.reference import load_reference
    from tet.config import DEMO_PASSWORD
    from tet.comptes.models import User

    done = {}
    began = time.perf_counter()
    upgrade(directory=os.path.join(ROOT, "migrations"))
    load_reference()
    load_questionnaire()
    load_france()
    db.session.add(User(email=bench_cases.SUPPORT, prenom="Support", nom="Banc",
                        is_support=True, active=True, email_verifie_le=scale_seed.NOW,
                        password_hash=generate_password_hash(DEMO_PASSWORD)))
    db.session.commit()
    done["schéma et référentiels"] = time.perf_counter() - began
    began = time.perf_counter()
    counts = scale_seed.generate(scale / 100)
    done[f"seed --scale {scale}"] = time.perf_counter() - began
    done["lignes"] = sum(counts.values())
    return done


class Bench:
    def __init__(self, app, engine, repeat: int, only: str | None):
        self.app, self.engine = app, engine
        self.repeat, self.only = repeat, (only or "").lower()
        self.clients: dict[str, object] = {}
        self.queries = Queries()
        self.pages: list[tuple] = []
        self.files: list[tuple] = []

    def wanted(self, name: str) -> bool:
        return self.only in name.lower()

    def client(self, email: str):
        if email not in self.clients:
            from tet.config import DEMO_PASSWORD

            c = self.app.test_client()
            r = c.post("/connexion", data={"email": email, "password": DEMO_PASSWORD})
            if r.status_code != 302:
                raise SystemExit(f"connexion refusée pour {email} ({r.status_code})")
            self.clients[email] = c
        return self.clients[email]

    def get(self, email: str, url: str):
        def once():
            r = self.client(email).get(url)
            r.get_data()
            return r
        return once

    def page(self, case) -> None:
        """A first request (warm-up, counted queries), then ``repeat`` timed ones unless the
        first took more than SLOW seconds."""
        once = self.get(case.who, case.url)
        self.client(case.who)
        self.queries.n = 0
        began = time.perf_counter()
        response = once()
        first = time.perf_counter() - began
        queries = self.queries.n
        times = [first]
        if first <= SLOW:
            times, response = timed(once, self.repeat)
        med, p95 = stats(times)
        raw_times, _ = timed(lambda: bench_cases.raw(self.engine, case.sql, case.params),
                             self.repeat)
        raw_med = statistics.median(raw_times) if case.sql else None
        note = "" if first <= SLOW else " (1 essai, > 60 s)"
        self.pages.append((case.name + note, response.status_code, med, p95, queries, raw_med))

    def run(self, k: dict, folder: str) -> None:
        event.listen(self.engine, "before_cursor_execute", self.queries)
        for case in bench_cases.cases(k):
            if self.wanted(case.name):
                print(f"… {case.name}", file=sys.stderr, flush=True)
                self.page(case)
        if self.wanted("export"):
            print("… export", file=sys.stderr, flush=True)
            self.files += files.export_rows(self, k, folder)
        if self.wanted("import"):
            print("… import", file=sys.stderr, flush=True)
            self.files += files.import_rows(self, folder)

    def markdown(self) -> str:
        lines = ["| page | HTTP | médiane (ms) | p95 (ms) | requêtes SQL | SQL brut (ms) "
                 "| ratio |",
                 "|---|---:|---:|---:|---:|---:|---:|"]
        for name, status, med, p95, nq, raw in self.pages:
            ratio = f"{med / raw:.0f}×" if raw else "—"
            lines.append(f"| {name} | {status} | {med * 1000:.0f} | {p95 * 1000:.0f} | "
                         f"{'—' if nq is None else nq} | "
                         f"{'—' if raw is None else f'{raw * 1000:.1f}'} | {ratio} |")
        if self.files:
            lines += ["", "| opération | durée (s) | pic mémoire (Mio) | requêtes SQL | "
                      "référence | durée réf. (s) | pic réf. (Mio) | ratio durée |",
                      "|---|---:|---:|---:|---|---:|---:|---:|"]
            for name, t, mem, nq, ref, rt, rmem in self.files:
                fmt = lambda v: "—" if v is None else f"{v:.1f}"  # noqa: E731
                ratio = f"{t / rt:.1f}×" if rt else "—"
                lines.append(f"| {name} | {t:.2f} | {fmt(mem)} | {'—' if nq is None else nq} "
                             f"| {ref} | {'—' if rt is None else f'{rt:.2f}'} | {fmt(rmem)} "
                             f"| {ratio} |")
        return "\n".join(lines)


def machine(url: str) -> str:
    with db.engine.connect() as conn:
        if url.startswith("sqlite"):
            version = "SQLite " + conn.execute(text("select sqlite_version()")).scalar()
        else:
            version = conn.execute(text("show server_version")).scalar()
            version = f"PostgreSQL {version}"
    ram = "?"
    try:
        with open("/proc/meminfo") as fh:
            ram = f"{int(fh.readline().split()[1]) / 1024 / 1024:.1f} Gio"
    except OSError:
        pass
    return (f"{os.cpu_count()} cœurs, {ram} de RAM, Python {platform.python_version()}, "
            f"{version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, choices=range(1, 101),
                        metavar="N (1-100)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", help="seulement les lignes dont le nom contient ce texte")
    parser.add_argument("--out", action="store_true", help="ajoute les tableaux à RESULTS.md")
    parser.add_argument("--label", default="avant", help="« avant » / « après » (titre)")
    parser.add_argument("--keep", metavar="URL", help="construit le jeu dans cette base vide, "
                        "la garde et s'arrête")
    parser.add_argument("--reuse", metavar="URL", help="mesure une copie de cette base "
                        "construite par --keep (après flask db upgrade)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tet-bench-")
    pg = os.path.join(folder, "pg")
    drop = None
    try:
        if args.reuse:
            url, drop = copy_database(args.reuse, folder)
            args.db = "sqlite" if url.startswith("sqlite") else "postgres"
        elif args.keep:
            url = args.keep
        elif args.db == "postgres":
            os.chmod(folder, 0o755)  # the server runs as the postgres user when we are root
            url = subprocess.run([os.path.join(ROOT, ".ci", "pg"), "start", pg], check=True,
                                 capture_output=True, text=True).stdout.strip()
        else:
            url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                          "SECRET_KEY": "bench-only-secret-key-0123456789abcdef"})
        with app.app_context():
            if args.reuse:
                from flask_migrate import upgrade

                began = time.perf_counter()
                upgrade(directory=os.path.join(ROOT, "migrations"))
                built = {"copie et flask db upgrade": time.perf_counter() - began}
            else:
                built = build(url, args.scale)
            if args.keep:
                db.session.remove()
                db.engine.dispose()
                print(f"jeu gardé dans {url}", file=sys.stderr)
                return
            print(" ; ".join(f"{k} : {v:.0f} s" if k != "lignes" else f"{v} lignes"
                             for k, v in built.items()), file=sys.stderr)
            k = bench_cases.ids()
            files.give_password(k["repondante_admin"])
            host = machine(url)
            engine = db.engine
            db.session.remove()
        # No application context held from here: each request gets its own, as in production.
        bench = Bench(app, engine, max(args.repeat, 1), args.only)
        bench.run(k, folder)
        report = (f"### {args.label} — {args.db}, --scale {args.scale}, --repeat "
                  f"{args.repeat} — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n\n"
                  f"Machine : {host}. Construction : "
                  + " ; ".join(f"{k_} {v:.0f} s" if k_ != "lignes" else f"{v} lignes"
                               for k_, v in built.items()) + ".\n\n" + bench.markdown())
        engine.dispose()
        print(report)
        if args.out:
            with open(os.path.join(HERE, "RESULTS.md"), "a", encoding="utf-8") as fh:
                fh.write("\n" + report + "\n")
    finally:
        if drop is not None:
            drop()
        if args.db == "postgres":
            subprocess.run([os.path.join(ROOT, ".ci", "pg"), "stop", pg], check=False)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
