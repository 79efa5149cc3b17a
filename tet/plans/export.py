"""Plans to xlsx: one row per fiche and place, one sheet per plan; re-imports to the same
plan. The (fiche, place) rows are read as Core rows from one streamed query, in batches whose
relationships take one query (``plan_export_lots``): memory stays flat and the number of
queries grows with the batches only. Cells are made plain once, written a row at a time."""
from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import aliased

from tet.extensions import db
from tet.plans.models import Axe, FicheAction, Plan
from tet.plans.models import CIBLES, PARTICIPATION, PRIORITES, STATUTS, TEMPS, fiche_axe
from tet import xlsx
from tet.plans.export_lots import (
    BUDGET,
    DOCUMENT,
    FINANCEUR,
    INDICATEUR,
    LIEE,
    NOTE,
    PILOTE,
    REFERENTIEL,
    THEME,
    VIDE,
    Lecteur,
    relations_of,
)
from tet.plans.format import COLUMNS, EXTRA, FIRST_ROW, TYPE_ROW, type_line

BATCH = 1000
LABELS = {"statut": dict(STATUTS), "priorite": dict(PRIORITES), "temps": dict(TEMPS),
          "participation": dict(PARTICIPATION), "cibles": dict(CIBLES)}


def axe_cells(plan_id: int) -> dict[int, list]:
    """{axe id: its three axe cells} (axe, sous-axe, deeper levels joined by « > »), each
    path computed once from one query (the root axe, i.e. the plan, has none)."""
    axes = {i: (parent, nom) for i, parent, nom in db.session.execute(
        select(Axe.id, Axe.parent_id, Axe.nom).where(Axe.plan_id == plan_id))}
    paths: dict[int, list[str]] = {}
    for start in axes:
        chain, node = [], start
        while node in axes and node not in paths and axes[node][0] is not None:
            chain.append(node)
            node = axes[node][0]
            if len(chain) > len(axes):  # a cycle: never loop forever
                break
        base = paths.get(node, [])
        for i in reversed(chain):
            base = paths[i] = base + [axes[i][1]]
        paths.setdefault(start, [])
    return {i: (names[:2] + [" > ".join(names[2:]) or None]) if len(names) > 2
            else names + [None] * (3 - len(names)) for i, names in paths.items()}


def _rows_query(plan_id: int):
    parent = aliased(FicheAction)
    f = FicheAction
    return (select(fiche_axe.c.axe_id, f.id, f.titre, parent.titre, f.description,
                   f.objectifs, f.ressources, f.participation, f.financements, f.statut,
                   f.priorite, f.date_debut, f.date_fin, f.amelioration_continue,
                   f.confidentiel, f.temps_mise_en_oeuvre, cast(f.cibles, Text), f.created_at,
                   f.updated_at)
            .join(fiche_axe, fiche_axe.c.fiche_id == f.id)
            .join(Axe, Axe.id == fiche_axe.c.axe_id)
            .outerjoin(parent, parent.id == f.parent_id)
            .where(Axe.plan_id == plan_id, f.deleted_at.is_(None))
            .order_by(fiche_axe.c.axe_id, f.titre, f.id))


def _joined(values) -> str | None:
    return ", ".join(values) if values else None


def _cells(axes: list, row, liens: dict) -> list:
    """The row's cells, already plain (text, date, float or None: ``xlsx.write_rows``)."""
    (_axe, _id, titre, parent_titre, description, objectifs, ressources, participation,
     financements, statut, priorite, debut, fin, continue_, confidentiel, temps, cibles,
     created, updated) = row
    get = liens.get
    pilotes = get(PILOTE, []) + get("personne", []) if liens else None
    if parent_titre is not None:
        titre, sous = parent_titre, titre
    else:
        sous = None
    cells = axes + [
        titre, sous, description, _joined(get("instance")), objectifs,
        _joined(get(INDICATEUR)), _joined(get("structure")), ressources,
        _joined(get("partenaire")), _joined(get("service")), _joined(pilotes),
        _joined(get("elu")), LABELS["participation"].get(participation), financements]
    financeurs = get(FINANCEUR, ())
    for i in range(3):
        nom, montant = financeurs[i] if i < len(financeurs) else (None, None)
        cells += [nom, xlsx.plain_number(montant)]
    if cibles and cibles not in ("[]", "null"):  # the JSON text: most fiches have none
        labels = LABELS["cibles"]
        cibles = ", ".join(labels.get(c, c) for c in json.loads(cibles) or ()) or None
    else:
        cibles = None
    notes = get(NOTE)
    cells += [
        xlsx.plain_number(get(BUDGET)), LABELS["statut"].get(statut),
        LABELS["priorite"].get(priorite), debut, fin, "Oui" if continue_ else None,
        _joined(get(THEME)), _joined(get("libre")), "Oui" if confidentiel else "Non",
        LABELS["temps"].get(temps), cibles, "\n".join(notes) if notes else None,
        _joined(get(REFERENTIEL)), _joined(get(LIEE)), _joined(get(DOCUMENT)),
        created.date() if created else None, updated.date() if updated else None]
    return cells


def plan_rows(plan: Plan) -> Iterator[list]:
    """One row per (fiche, place) of the plan, by axe then title."""
    axes = axe_cells(plan.id)
    lecteur = Lecteur(relations_of(plan.id))
    result = db.session.execute(_rows_query(plan.id),
                                execution_options={"yield_per": BATCH})
    for batch in result.partitions():
        liens = lecteur.charger(list({row[1] for row in batch}))
        for row in batch:
            yield _cells(axes[row[0]], row, liens.get(row[1], VIDE))


def write_plans(wb, plans: list[Plan]) -> None:
    """One sheet per plan: its type line (read back by the import), then the table."""
    fmt = xlsx.Formats(wb)
    headers = [(h, w) for h, w, _ in COLUMNS] + EXTRA
    used = set()
    for plan in plans:
        ws = wb.add_worksheet(sheet_name(plan.nom, used))
        ws.write_string(TYPE_ROW, 0, type_line(plan.type))
        xlsx.write_rows(ws, fmt, headers, plan_rows(plan), first_row=FIRST_ROW)


def sheet_name(nom: str, used: set) -> str:
    """Excel sheet names: ≤ 31 characters, no []:*?/\\, unique."""
    clean = "".join("-" if c in '[]:*?/\\' else c for c in nom).strip("'")[:31] or "Plan"
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
