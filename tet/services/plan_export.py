"""Plans to xlsx: one row per fiche and place, one sheet per plan; re-imports to the same
plan. Rows are produced in chunks so that memory stays flat on large plans."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tet.extensions import db
from tet.models import Axe, FicheAction, Plan
from tet.models.plans import CIBLES, PARTICIPATION, PRIORITES, STATUTS, TEMPS, fiche_axe
from tet.services import xlsx
from tet.services.plan_format import COLUMNS, EXTRA, FIRST_ROW, TYPE_ROW, type_line

CHUNK = 500
LABELS = {"statut": dict(STATUTS), "priorite": dict(PRIORITES), "temps": dict(TEMPS),
          "participation": dict(PARTICIPATION), "cibles": dict(CIBLES)}
OPTIONS = (selectinload(FicheAction.tags), selectinload(FicheAction.pilotes),
           selectinload(FicheAction.financeurs), selectinload(FicheAction.budgets),
           selectinload(FicheAction.thematiques), selectinload(FicheAction.notes),
           selectinload(FicheAction.referentiel_actions), selectinload(FicheAction.indicateurs),
           selectinload(FicheAction.documents))


def _paths(plan: Plan) -> dict[int, list[str]]:
    """{axe id: names from the top-level axe down} (the root, i.e. the plan, is [])."""
    axes = {a.id: a for a in db.session.scalars(select(Axe).where(Axe.plan_id == plan.id))}
    paths = {}
    for axe in axes.values():
        names, node = [], axe
        while node is not None and node.parent_id is not None:
            names.insert(0, node.nom)
            node = axes.get(node.parent_id)
        paths[axe.id] = names
    return paths


def _tags(fiche: FicheAction, kind: str) -> str:
    return ", ".join(t.nom for t in fiche.tags if t.kind == kind)


def fiche_cells(fiche: FicheAction, parent: FicheAction | None) -> list:
    pilotes = [u.nom_complet for u in fiche.pilotes] + [
        t.nom for t in fiche.tags if t.kind == "personne"]
    financeurs = [(f.financeur.nom, f.montant) for f in fiche.financeurs][:3]
    financeurs += [(None, None)] * (3 - len(financeurs))
    total = next((b.prevu for b in fiche.budgets if b.annee is None
                  and b.unite == "eur_ht"), None)
    titre, sous = (parent.titre, fiche.titre) if parent else (fiche.titre, None)
    cells = [titre, sous, fiche.description, _tags(fiche, "instance"), fiche.objectifs,
             ", ".join(d.identifiant or d.nom for d in fiche.indicateurs),
             _tags(fiche, "structure"), fiche.ressources, _tags(fiche, "partenaire"),
             _tags(fiche, "service"), ", ".join(pilotes), _tags(fiche, "elu"),
             LABELS["participation"].get(fiche.participation), fiche.financements]
    for nom, montant in financeurs:
        cells += [nom, montant]
    cells += [total, LABELS["statut"].get(fiche.statut), LABELS["priorite"].get(fiche.priorite),
              fiche.date_debut, fiche.date_fin, "Oui" if fiche.amelioration_continue else None]
    return cells


def linked_titles(fiche_ids: set[int]) -> dict[int, list[str]]:
    """{fiche id: titles of its fiches liées} for a chunk of fiches, in one query."""
    from tet.models import FicheLien

    a, b = FicheLien.fiche_a_id, FicheLien.fiche_b_id
    rows = db.session.execute(
        select(a, b, FicheAction.id, FicheAction.titre).join(
            FicheAction, (FicheAction.id == a) | (FicheAction.id == b))
        .where((a.in_(fiche_ids)) | (b.in_(fiche_ids)), FicheAction.deleted_at.is_(None)))
    result: dict[int, list[str]] = {}
    for fa, fb, other_id, titre in rows:
        for mine in (fa, fb):
            if mine in fiche_ids and other_id != mine and other_id in (fa, fb):
                result.setdefault(mine, []).append(titre)
    return result


def extra_cells(fiche: FicheAction, liees: list[str]) -> list:
    return [", ".join(t.nom for t in fiche.thematiques), _tags(fiche, "libre"),
            fiche.confidentiel, LABELS["temps"].get(fiche.temps_mise_en_oeuvre),
            ", ".join(LABELS["cibles"].get(c, c) for c in fiche.cibles or []),
            "\n".join(f"{n.date:%d/%m/%Y} : {n.texte}" for n in fiche.notes),
            ", ".join(a.identifiant for a in fiche.referentiel_actions),
            ", ".join(sorted(liees)),
            ", ".join(d.nom for d in fiche.documents),
            fiche.created_at.date() if fiche.created_at else None,
            fiche.updated_at.date() if fiche.updated_at else None]


def plan_rows(plan: Plan) -> Iterator[list]:
    """One row per (fiche, place) of the plan, sous-actions after their action."""
    paths = _paths(plan)
    pairs = db.session.execute(
        select(fiche_axe.c.fiche_id, fiche_axe.c.axe_id)
        .join(FicheAction, FicheAction.id == fiche_axe.c.fiche_id)
        .where(fiche_axe.c.axe_id.in_(list(paths)), FicheAction.deleted_at.is_(None))
        .order_by(fiche_axe.c.axe_id, FicheAction.titre)).all()
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start:start + CHUNK]
        fiches = {f.id: f for f in db.session.scalars(
            select(FicheAction).where(FicheAction.id.in_({fid for fid, _ in chunk}))
            .options(*OPTIONS, selectinload(FicheAction.sous_actions)))}
        liees = linked_titles(set(fiches))
        for fiche_id, axe_id in chunk:
            fiche = fiches[fiche_id]
            names = paths[axe_id]
            axes = (names[:2] + [" > ".join(names[2:]) or None]) if len(names) > 2 \
                else names + [None] * (3 - len(names))
            yield axes + fiche_cells(fiche, fiche.parent if fiche.parent_id else None) + \
                extra_cells(fiche, liees.get(fiche_id, []))
        db.session.expunge_all()


def write_plans(wb, plans: list[Plan]) -> None:
    """One sheet per plan: its type line (read back by the import), then the table."""
    fmt = xlsx.Formats(wb)
    headers = [(h, w) for h, w, _ in COLUMNS] + EXTRA
    used = set()
    for plan in plans:
        ws = wb.add_worksheet(sheet_name(plan.nom, used))
        ws.write_string(TYPE_ROW, 0, type_line(plan.type))
        xlsx.write_table(ws, fmt, headers, plan_rows(plan), first_row=FIRST_ROW)


def sheet_name(nom: str, used: set) -> str:
    """Excel sheet names: ≤ 31 characters, no []:*?/\\, unique."""
    clean = "".join("-" if c in '[]:*?/\\' else c for c in nom).strip("'")[:31] or "Plan"
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
