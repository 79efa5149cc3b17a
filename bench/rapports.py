"""Benchmark: a plan's reports at N fiches (default 500) — time and peak memory per format.

Usage: .venv/bin/python bench/rapports.py [--fiches 500] [--repeat 1]
Builds a throwaway SQLite database (create_all) holding one plan of N fiches under 5 axes
and 15 sous-axes, each fiche with pilotes, a budget, a linked indicator with values and two
notes de suivi; then renders each report (bilan PDF, Word, PowerPoint, fiches PDF up to
their threshold) with the same code as the back-office, each in a fresh process, and prints
wall time, CPU time, peak resident memory (ru_maxrss), size, pages and SQL queries.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import event, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from tet.extensions import db  # noqa: E402
from tet.plans.rapports.selection import SEUILS  # noqa: E402

SECRET = "bench-only-secret-key-0123456789abcdef"
FORMATS = ["pdf", "docx", "pptx", "fiches"]


def _app(path: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": SECRET,
                       "SERVER_NAME": "bench.test"})


def build(path: str, n: int) -> None:
    from tet.comptes.models import Collectivite, User
    from tet.indicateurs.models import (IndicateurDefinition, IndicateurValeur,
                                        fiche_indicateur)
    from tet.plans import agregats, arbre
    from tet.plans.models import (STATUTS, BudgetLigne, FicheAction, NoteSuivi, fiche_axe,
                                  fiche_pilote_user)

    app = _app(path)
    with app.app_context():
        db.create_all()
        coll = Collectivite(nom="Communauté de communes du Banc d’essai", type="cc",
                            siren="200099901")
        db.session.add(coll)
        db.session.flush()
        users = [User(email=f"pilote{i}@bench.test", prenom="Pilote", nom=f"Numéro {i}")
                 for i in range(20)]
        db.session.add_all(users)
        plan = arbre.create_plan(coll.id, "Plan climat-air-énergie territorial 2024-2030",
                                 "pcaet")
        leaves = []
        for i in range(5):
            axe = arbre.add_axe(plan, f"Orientation stratégique numéro {i + 1}")
            leaves += [arbre.add_axe(plan, f"Sous-axe {i + 1}.{j + 1}", axe) for j in range(3)]
        ind = [IndicateurDefinition(nom=f"Indicateur de suivi {i}", unite="MWh",
                                    collectivite_id=coll.id) for i in range(30)]
        db.session.add_all(ind)
        db.session.commit()
        statuts = [code for code, _l in STATUTS]
        start = date(2024, 1, 1)
        db.session.execute(insert(FicheAction), [{
            "collectivite_id": coll.id, "titre": f"Action {i:04d} : rénover et sobriété du "
            f"patrimoine public, volet {i % 17}", "statut": statuts[i % len(statuts)],
            "priorite": ("eleve", "moyen", "bas")[i % 3],
            "description": "Description de l’action. " * 15, "objectifs": "Objectif. " * 10,
            "date_debut": start + timedelta(days=i), "date_fin": start + timedelta(days=400 + i),
            "cibles": [], "confidentiel": False, "amelioration_continue": False}
            for i in range(n)])
        ids = db.session.scalars(select(FicheAction.id).order_by(FicheAction.id)).all()
        db.session.execute(insert(fiche_axe), [{"fiche_id": f, "axe_id": leaves[i % 15].id}
                                               for i, f in enumerate(ids)])
        db.session.execute(insert(fiche_pilote_user), [
            {"fiche_id": f, "user_id": users[(i + k) % 20].id}
            for i, f in enumerate(ids) for k in range(2)])
        db.session.execute(insert(BudgetLigne), [
            {"fiche_id": f, "nature": "investissement", "unite": "eur_ht", "annee": None,
             "prevu": 10000 + i * 100, "reel": 5000 + i * 50} for i, f in enumerate(ids)])
        db.session.execute(insert(fiche_indicateur), [
            {"fiche_id": f, "definition_id": ind[i % 30].id} for i, f in enumerate(ids)])
        db.session.execute(insert(IndicateurValeur), [
            {"collectivite_id": coll.id, "definition_id": d.id, "annee": year, "type": t,
             "valeur": 1000 + year, "version": 1}
            for d in ind for year in range(2019, 2026) for t in ("resultat", "objectif")])
        db.session.execute(insert(NoteSuivi), [
            {"fiche_id": f, "date": start + timedelta(days=30 * k + i % 30),
             "texte": "Point d’étape : les travaux avancent, le marché est attribué. " * 3}
            for i, f in enumerate(ids) for k in range(2)])
        db.session.commit()
        agregats.rebuild()
        db.session.commit()


def measure(path: str, fmt: str) -> dict:
    """One report of the plan, in this process (run by ``main`` in a fresh one)."""
    from tet.comptes.models import User
    from tet.plans.models import Plan

    app = _app(path)
    with app.test_request_context("/"):
        support = db.session.scalar(select(User).where(User.email == "pilote0@bench.test"))
        support.is_support = True
        db.session.flush()
        queries = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        plan = db.session.scalar(select(Plan))
        wall, cpu = time.perf_counter(), time.process_time()
        data = render(plan, support, fmt)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = _pages(data) if fmt in ("pdf", "fiches") else None
    return {"format": fmt, "wall": wall, "cpu": cpu, "rss_mo": peak, "octets": len(data),
            "requetes": len(queries), "pages": pages}


def _pages(data: bytes) -> int | None:
    """The PDF's page count by pdfinfo (poppler-utils), None without it."""
    import shutil

    if shutil.which("pdfinfo") is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    return next((int(line.split()[-1]) for line in out.splitlines()
                 if line.startswith("Pages:")), None)


def render(plan, user, fmt: str) -> bytes:
    from admin_views import charts
    from admin_views.plans.rapports import graphiques_bilan
    from tet.comptes.permissions import Acteur
    from tet.plans.rapports import docx, donnees, pdf, pptx, selection
    from tet.plans.rapports import fiches as fiche_data
    from tet.rapports import images

    a = Acteur(user)
    options = selection.Options(format=fmt)
    sel = selection.selection(plan, a, options)
    n = selection.compter(sel)
    refus = selection.trop_de_fiches(n, options)
    if refus:  # the batch of fiches: its first SEUILS["fiches"], by statut
        sel = sel.limit(selection.SEUILS[fmt])
    if fmt == "fiches":
        details = list(fiche_data.charger(sel, plan.collectivite_id, 3, True).values())
        return pdf.fiches(details, plan.collectivite.nom, plan.nom)
    b = donnees.bilan(plan, sel, options)
    if fmt == "docx":
        return docx.bilan(b, images.barres([(label, v, charts.PALETTE[code])
                                            for code, label, v in b.chiffres.par_statut]))
    if fmt == "pptx":
        return pptx.bilan(b, charts.PALETTE)
    return pdf.bilan(b, graphiques_bilan(b.chiffres))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--mesure", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mesure:
        print(json.dumps(measure(args.base, args.mesure)))
        return
    folder = tempfile.mkdtemp(prefix="tet-bench-rapports-")
    path = os.path.join(folder, "bench.sqlite3")
    began = time.perf_counter()
    build(path, args.fiches)
    print(f"base de {args.fiches} fiches construite en {time.perf_counter() - began:.1f} s")
    print("| rapport | fiches | temps (s) | CPU (s) | mémoire max (Mo) | taille (Ko) | pages "
          "| requêtes SQL |")
    print("|---|---|---|---|---|---|---|---|")
    for fmt in FORMATS:
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, __file__, "--mesure", fmt, "--base", path],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            shown = min(args.fiches, SEUILS[fmt])
            print(f"| {fmt} | {shown} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['rss_mo']:.0f} | "
                  f"{r['octets'] / 1024:.0f} | {r['pages'] or '—'} | {r['requetes']} |")


if __name__ == "__main__":
    main()
