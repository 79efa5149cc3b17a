"""Load run: N simulated users against gunicorn (4 workers) on a copy of the national data.

Usage: .venv/bin/python bench/charge.py [--users 50] [--duration 120] [--workers 4]
           [--reuse postgresql+psycopg://postgres@127.0.0.1:55432/bench10] [--pause 2]
Copies the kept data set (``bench/run.py --keep``), runs ``flask db upgrade`` on the copy,
starts gunicorn with the project's ``gunicorn.conf.py`` on a free port of 127.0.0.1
(production settings), signs the users in, then lets them work for ``--duration`` seconds:
readers (home, plan tree, dashboard, fiche list pages, fiche page, inspiration search,
maturity), editors (fiche form → change → post with version and CSRF token; 409 on the
shared fiche is an expected conflict), one importer (preview + confirm of a 50-fiche
workbook), one exporter (plan export); each waits a think time between two actions,
drawn between ½ and 1½ × ``--pause`` (default 2 s: 1 to 3 s, a person reading a page; 0 =
back to back, a stress test). Then it checks that the last value each editor saved
on its own fiche is in the database (« écritures perdues »), stops gunicorn, drops the copy
and prints Markdown tables for bench/RESULTS.md: per request kind, and where the server's
CPU went per route (``bench/gunicorn_charge.py``). Loopback only; stops by itself.
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench import charge_clients as clients  # noqa: E402
from bench import charge_cpu  # noqa: E402
from bench.files import workbook  # noqa: E402
from bench import serveur  # noqa: E402
from bench.run import copy_database  # noqa: E402
from seeds.scale import EMAIL_DOMAIN, GROSSE_SIREN  # noqa: E402

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:55432/bench10"
HOST = "charge.tet.test"
MAX_DURATION = 3600
GROSSE = f"grosse.{EMAIL_DOMAIN}"


def server_env(url: str, port: int, workers: int, folder: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN", "MAIL_"))}
    env.update(TET_ENV="production", SECRET_KEY=secrets.token_hex(32),
               PUBLIC_URL=f"https://{HOST}", TET_PROXY_COUNT="0", DATABASE_URL=url,
               GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers),
               GUNICORN_ACCESSLOG=os.path.join(folder, "access.log"),
               CHARGE_CPU_LOG=os.path.join(folder, "cpu"))
    return env


def plan_of_run(engine, editors: int) -> clients.Plan:
    """Ids the users work on: the 100,000-fiche collectivité's plan, a sample of its fiches,
    one own fiche per editor and one shared fiche."""
    with engine.connect() as conn:
        grosse = conn.scalar(text("SELECT id FROM collectivite WHERE siren = :s"),
                             {"s": GROSSE_SIREN})
        plan = conn.scalar(text("SELECT id FROM plan WHERE collectivite_id = :c AND type = "
                                "'pcaet' AND deleted_at IS NULL ORDER BY id LIMIT 1"),
                           {"c": grosse})
        count = conn.scalar(text("SELECT count(*) FROM fiche_action WHERE collectivite_id = :c "
                                 "AND deleted_at IS NULL"), {"c": grosse})
        sample = list(conn.scalars(text(
            "SELECT id FROM fiche_action WHERE collectivite_id = :c AND deleted_at IS NULL "
            "ORDER BY id LIMIT :n"), {"c": grosse, "n": 500 + editors + 1}))
    if plan is None or len(sample) < editors + 1:
        raise SystemExit("jeu de données sans la collectivité de 100 000 fiches "
                         "(bench/run.py --keep d'abord)")
    own = {i: sample[-(i + 2)] for i in range(editors)}
    return clients.Plan(plan=plan, fiches=sample[:500], last_page=max((count - 1) // 50, 0),
                        own=own, shared=sample[-1])


def lost_writes(engine, written: dict[int, str]) -> list[int]:
    """The editors' own fiches whose description is not the last value they saved."""
    if not written:
        return []
    with engine.connect() as conn:
        rows = dict(conn.execute(text(
            "SELECT id, description FROM fiche_action WHERE id IN "
            f"({', '.join(str(int(i)) for i in written)})")).all())  # ≤ editors ids
    return sorted(i for i, value in written.items() if rows.get(i) != value)


def warm_up(s: clients.Session, k: clients.Plan) -> None:
    """Each reader page once, not timed (the copy's caches are cold)."""
    for path in ("/admin/", f"/admin/plan/{k.plan}/arbre",
                 f"/admin/plan/{k.plan}/tableau-de-bord", "/admin/fiche/", f"/admin/fiche/{k.fiches[0]}", "/admin/inspiration/?q=eau",
                 "/admin/maturite/"):
        s.get("échauffement", path, record=False)


def run_users(port: int, k: clients.Plan, users: int, duration: float, pause: float,
              folder: str) -> tuple[clients.Journal, float]:
    journal = clients.Journal()
    path = os.path.join(folder, "charge.xlsx")
    workbook(path, 50)
    editors = len(k.own)
    roles = [("importer", f"admin@arbre.{EMAIL_DOMAIN}"), ("exporter", f"admin@{GROSSE}")]
    roles += [("editor", f"{'admin' if i % 2 else 'edition'}@{GROSSE}") for i in range(editors)]
    roles += [("reader", f"lecture@{GROSSE}")] * (users - len(roles))
    sessions = []
    for _role, email in roles:  # sign in first (not timed with the run)
        s = clients.Session(port, HOST, journal)
        s.login(email)
        sessions.append(s)
    warm_up(sessions[-1], k)
    start = threading.Barrier(len(roles) + 1)

    def work(number: int, role: str, s: clients.Session) -> None:
        rng = random.Random(number)
        start.wait()
        editor_no = number - 2
        while time.monotonic() < k.stop:
            if role == "reader":
                clients.reader(s, k, rng)
            elif role == "editor":
                clients.editor(s, k, rng, editor_no, journal)
            elif role == "importer":
                clients.importer(s, path)
            else:
                clients.exporter(s, k)
            if pause:
                time.sleep(rng.uniform(pause / 2, 3 * pause / 2))

    threads = [threading.Thread(target=work, args=(i, role, s), daemon=True)
               for i, ((role, _e), s) in enumerate(zip(roles, sessions))]
    for t in threads:
        t.start()
    journal.records.clear()  # the sign-ins are not part of the run
    charge_cpu.reset(os.path.join(folder, "cpu"))
    k.stop = time.monotonic() + duration
    began = time.monotonic()
    start.wait()
    for t in threads:
        t.join(timeout=max(0.0, k.stop - time.monotonic()) + clients.TIMEOUT + 5)
    return journal, time.monotonic() - began


def percentile(ordered: list[float], p: int) -> float:
    return ordered[max(0, -(-p * len(ordered) // 100) - 1)]


def report(journal: clients.Journal, elapsed: float, args, lost: list[int],
           written: int, server: str) -> str:
    by_kind: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for kind, seconds, status in journal.records:
        by_kind[kind].append((seconds, status))
    lines = [f"Banc de charge — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {server}, "
             f"gunicorn × {args.workers}, {args.users} utilisateurs, {elapsed:.0f} s, "
             f"pause {args.pause} s, charge de la machine au départ "
             f"{args.loadavg:.1f} (2 cœurs partagés)", "",
             "| requête | nombre | req/s | p50 (ms) | p95 (ms) | p99 (ms) | erreurs (5xx, "
             "connexion) | autres 4xx | conflits 409 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def row(name: str, items: list[tuple[float, int]]) -> str:
        ordered = sorted(s for s, _ in items)
        status = Counter(st for _, st in items)
        errors = sum(n for st, n in status.items() if st == 0 or st >= 500)
        others = sum(n for st, n in status.items() if 400 <= st < 500 and st != 409)
        return (f"| {name} | {len(items)} | {len(items) / elapsed:.1f} | "
                f"{statistics.median(ordered) * 1000:.0f} | {percentile(ordered, 95) * 1000:.0f} "
                f"| {percentile(ordered, 99) * 1000:.0f} | {errors} | {others} | "
                f"{status.get(409, 0)} |")

    for kind in sorted(by_kind):
        lines.append(row(kind, by_kind[kind]))
    everything = [item for items in by_kind.values() for item in items]
    if everything:
        lines.append(row("**ensemble**", everything))
    lines += ["", f"Écritures vérifiées après coup : {written} fiches modifiées par leur "
              f"éditeur, {len(lost)} perdue(s){' : ' + str(lost) if lost else ''}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="secondes")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pause", type=float, default=2.0,
                        help="temps de réflexion moyen entre deux actions (s), tiré entre "
                             "½ et 1½ fois cette valeur ; 0 : sans pause")
    parser.add_argument("--reuse", default=DEFAULT_DB,
                        help="base gardée par bench/run.py --keep (copiée, jamais modifiée)")
    args = parser.parse_args()
    if not 3 <= args.users <= 500 or not 0 < args.duration <= MAX_DURATION \
            or not 0 <= args.pause <= 60:
        raise SystemExit(f"--users entre 3 et 500, --duration entre 1 et {MAX_DURATION} s, "
                         "--pause entre 0 et 60 s")
    editors = max(1, (args.users - 2) // 5)
    with tempfile.TemporaryDirectory(prefix="tet-charge-") as folder:
        url, drop = copy_database(args.reuse, folder)
        proc = None
        engine = create_engine(url)
        try:
            k = plan_of_run(engine, editors)
            with engine.connect() as conn:
                version = conn.scalar(select(func.version())) if \
                    engine.dialect.name == "postgresql" else "SQLite"
            port = serveur.free_port()
            proc = serveur.start(server_env(url, port, args.workers, folder),
                                 os.path.join(folder, "gunicorn.log"), HOST,
                                 config="bench/gunicorn_charge.py")
            args.loadavg = os.getloadavg()[0]
            print(f"… {args.users} utilisateurs pendant {args.duration:.0f} s", file=sys.stderr)
            journal, elapsed = run_users(port, k, args.users, args.duration, args.pause,
                                         folder)
            lost = lost_writes(engine, journal.written)
            server = f"{version.split(' on ')[0]} ({args.reuse.rsplit('/', 1)[-1]})"
            print(report(journal, elapsed, args, lost, len(journal.written), server))
            serveur.stop(proc)  # the workers' files are complete once they have exited
            proc = None
            print("\n" + charge_cpu.table(charge_cpu.read(os.path.join(folder, "cpu")),
                                           elapsed))
        finally:
            if proc is not None:
                serveur.stop(proc)
            engine.dispose()
            drop()


if __name__ == "__main__":
    main()
