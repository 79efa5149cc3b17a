"""Plans, axes and fiches of the load data set (see ``seeds/scale.py``): the 100,000-fiche
collectivité (two plans sharing fiches), the 2,000-axe plan (depth 4), and small plans
spread over the other collectivités; fiches filed in 1–3 axes, thématiques, audit trail."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from seeds import scale_data as words
from seeds.scale import NOW
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.plans.models import Axe, FicheAction, Plan, Thematique
from tet.plans.models import CIBLES, PARTICIPATION, PRIORITES, STATUTS, TEMPS, fiche_axe
from tet.plans.models import fiche_thematique

STATUT_CODES = [c for c, _l in STATUTS]
STATUT_WEIGHTS = [20, 35, 20, 5, 3, 4, 8, 5]


def load(ctx) -> None:
    bulk = ctx["bulk"]
    bulk.register(Plan.__table__, Axe.__table__, FicheAction.__table__, fiche_axe,
                  fiche_thematique, AuditLog.__table__)
    ctx["thematiques"] = list(db.session.scalars(select(Thematique.id).order_by(Thematique.id)))
    n, rng = ctx["n"], ctx["rng"]
    # The 100,000-fiche collectivité: a PCAET of 12 × 10 axes, a CRTE sharing 10 % of them.
    pcaet = _plan(ctx, ctx["grosse"], "PCAET de Grand-Charge", "pcaet", [12, 120])
    crte = _plan(ctx, ctx["grosse"], "CRTE de Grand-Charge", "crte", [12])
    _fiches(ctx, ctx["grosse"], n["grosse_fiches"], [pcaet], second=crte, share=0.1)
    # The 2,000-axe plan, depth 4.
    total = n["grand_plan_axes"]
    d1, d2 = max(2, total // 200), max(2, total // 20)
    d3 = max(2, total * 6 // 10)
    arbre = _plan(ctx, ctx["arbre"], "Projet de territoire des Mille-Axes", "projet_territoire",
                  [d1, d2, d3, max(total - d1 - d2 - d3, 1)])
    _fiches(ctx, ctx["arbre"], max(n["fiches"] // 20, 3), [arbre])
    # Everybody else: a plan of 4–8 axes (some with sous-axes), 5–30 fiches, sometimes a
    # second plan sharing a third of them, until the national number of fiches is reached.
    left = n["fiches"] - n["grosse_fiches"] - max(n["fiches"] // 20, 3)
    types = ["pcaet", "crte", "pat", "plpdma", "spaser", "cot", "snr", "autre"]
    for cid in ctx["free"]:
        if left <= 0:
            break
        count = min(rng.randint(5, 30), left)
        top = rng.randint(4, 8)
        shape = [top] if rng.random() < 0.5 else [top, top * 2]
        main = _plan(ctx, cid, f"Plan climat n°{cid}", rng.choice(types), shape)
        second = (_plan(ctx, cid, f"Contrat de relance n°{cid}", "crte", [rng.randint(2, 5)])
                  if rng.random() < 0.2 else None)
        _fiches(ctx, cid, count, [main], second=second, share=0.33)
        left -= count
    bulk.flush()


def _plan(ctx, cid: int, nom: str, type_: str, levels: list[int]) -> list[int]:
    """Insert a plan whose tree has ``levels[i]`` axes at depth i + 1 (parents taken in
    turn from the level above); returns the ids of the axes that get fiches (the deepest
    two levels)."""
    bulk, rng = ctx["bulk"], ctx["rng"]
    plan_id = bulk.ids(Plan.__table__, 1)[0]
    bulk.add(Plan.__table__, {"id": plan_id, "collectivite_id": cid, "nom": nom, "type": type_,
                              "description": None, "confidentiel": False, "created_at": NOW,
                              "created_by_id": ctx["users"].get(cid)})
    root = bulk.ids(Axe.__table__, 1)[0]  # the plan's root axe (domain.md, "Plan tree")
    bulk.add(Axe.__table__, {"id": root, "plan_id": plan_id, "parent_id": None, "nom": nom,
                             "position": 0})
    above: list[int] = [root]
    leaves: list[int] = []
    for depth, count in enumerate(levels):
        ids = list(bulk.ids(Axe.__table__, count))
        for i, axe_id in enumerate(ids):
            parent = above[i % len(above)]
            nom_axe = (f"{i + 1}. {words.AXES[i % len(words.AXES)]}" if depth == 0
                       else f"{rng.choice(words.VERBES)} {rng.choice(words.OBJETS)}")
            bulk.add(Axe.__table__, {"id": axe_id, "plan_id": plan_id, "parent_id": parent,
                                     "nom": nom_axe[:300], "position": i // len(above)})
        if depth >= len(levels) - 2:
            leaves.extend(ids)
        above = ids
    return leaves


def _fiches(ctx, cid: int, count: int, plans: list[list[int]], second=None,
            share: float = 0.0) -> None:
    bulk, rng, them = ctx["bulk"], ctx["rng"], ctx["thematiques"]
    user = ctx["users"].get(cid)
    leaves = plans[0]
    for fid in bulk.ids(FicheAction.__table__, count):
        titre = (f"{rng.choice(words.VERBES)} {rng.choice(words.OBJETS)} "
                 f"{rng.choice(words.LIEUX_ACTION)}")
        debut = date(2018, 1, 1) + timedelta(days=rng.randrange(4000))
        fin = debut + timedelta(days=rng.randrange(60, 2500)) if rng.random() < 0.8 else None
        bulk.add(FicheAction.__table__, {
            "id": fid, "collectivite_id": cid, "parent_id": None, "titre": titre,
            "description": f"{titre}, en lien avec les partenaires du territoire.",
            "objectifs": "Réduire les consommations et les émissions.", "ressources": None,
            "statut": rng.choices(STATUT_CODES, STATUT_WEIGHTS)[0],
            "priorite": rng.choice(PRIORITES + [(None, None)])[0],
            "date_debut": debut if rng.random() < 0.9 else None, "date_fin": fin,
            "amelioration_continue": rng.random() < 0.1,
            "temps_mise_en_oeuvre": rng.choice(TEMPS)[0],
            "cibles": [c for c, _l in rng.sample(CIBLES, rng.randint(0, 3))],
            "participation": rng.choice(PARTICIPATION)[0], "participation_detail": None,
            "financements": None, "confidentiel": rng.random() < 0.1, "deleted_at": None,
            "created_at": NOW, "created_by_id": user, "updated_by_id": None})
        for axe in rng.sample(leaves, min(rng.choice((1, 1, 1, 2, 3)), len(leaves))):
            bulk.add(fiche_axe, {"fiche_id": fid, "axe_id": axe})
        if second and rng.random() < share:
            bulk.add(fiche_axe, {"fiche_id": fid, "axe_id": rng.choice(second)})
        if them:
            for t in rng.sample(them, min(rng.choice((1, 1, 2)), len(them))):
                bulk.add(fiche_thematique, {"fiche_id": fid, "thematique_id": t})
        bulk.add(AuditLog.__table__, {
            "id": bulk.ids(AuditLog.__table__, 1)[0], "at": NOW, "user_id": user,
            "user_email": None, "action": "create", "object_type": "FicheAction",
            "object_id": fid, "object_repr": titre[:300], "collectivite_id": cid,
            "opsn_id": None, "changes": {}, "context": "seed --scale"})
