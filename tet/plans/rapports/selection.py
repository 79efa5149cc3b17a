"""Which fiches a plan's report holds: the options of the plan page's form (sections,
statuts, top-level axes, format) and the SQL selection they make, inside the acteur's scope.

The selection is a subquery of fiche ids (never a list of ids): live fiches filed anywhere
in the plan (or under the chosen top-level axes) — the maintained ``sous_arbre_fiche`` rows
—, of the plan's collectivité, that the acteur may read (``FichePolicy``), with the chosen
statuts. Above ``SEUILS`` fiches a report is refused with a message naming the filters.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, true

from tet.comptes.permissions import Acteur, policy_for
from tet.extensions import db
from tet.plans.agregats_tables import sous_arbre_fiche as SAF
from tet.plans.models import STATUTS, Axe, FicheAction, Plan
from tet.plans.stats import racine_id
from tet.nombres import parse_id
from tet.rapports.format import nombre

SECTIONS = [("chiffres", "Chiffres clés et graphiques"), ("retard", "Fiches en retard"),
            ("arbre", "Plan détaillé (axes et fiches)")]
FORMATS = [("pdf", "Bilan PDF"), ("docx", "Bilan Word (.docx)"),
           ("pptx", "Bilan PowerPoint (.pptx)"), ("fiches", "Fiches action (PDF, une par page)")]
# the most fiches a report of each format holds: bench/rapports.py (bench/RESULTS.md) renders
# the bilan PDF of 500 fiches in about 15 s of CPU on a loaded machine, the fiches PDF (a page
# each) of 200 in about as much; twice that stays under a gunicorn worker's 60 s timeout
SEUILS = {"pdf": 1000, "docx": 1000, "pptx": 5000, "fiches": 200}
AXES_MAX = 100  # top-level axes a form may name (a plan page lists its own)


class OptionsInvalides(ValueError):
    """A refused choice (French message)."""


@dataclass(frozen=True)
class Options:
    format: str = "pdf"
    sections: tuple[str, ...] = tuple(code for code, _ in SECTIONS)
    statuts: tuple[str, ...] = ()   # none: every statut
    axes: tuple[int, ...] = ()      # top-level axes; none: the whole plan


def axes_de_premier_niveau(plan: Plan) -> list[Axe]:
    """The plan's top-level axes in tree order (one query)."""
    racine = select(Axe.id).where(Axe.plan_id == plan.id, Axe.parent_id.is_(None))
    return list(db.session.scalars(select(Axe).where(
        Axe.plan_id == plan.id, Axe.parent_id.in_(racine.scalar_subquery()))
        .order_by(Axe.position, Axe.id)))


def lire_options(args, plan: Plan) -> Options:
    """The options of a query string (``format``, ``section``, ``statut``, ``axe``, each
    repeatable); unknown codes and foreign axes are refused with a French message. A form
    sending no section at all gets every section."""
    fmt = args.get("format") or "pdf"
    if fmt not in dict(FORMATS):
        raise OptionsInvalides("Format de rapport inconnu : choisissez PDF, Word, PowerPoint "
                               "ou les fiches en PDF.")
    sections = _codes(args.getlist("section"), SECTIONS, "Section inconnue")
    statuts = _codes(args.getlist("statut"), STATUTS, "Statut inconnu")
    demandes = args.getlist("axe")
    if len(demandes) > AXES_MAX:
        raise OptionsInvalides(f"Choisissez au plus {AXES_MAX} axes.")
    axes = tuple(dict.fromkeys(parse_id(v) for v in demandes))
    if axes:
        connus = {a.id for a in axes_de_premier_niveau(plan)}
        if None in axes or not set(axes) <= connus:
            raise OptionsInvalides("Axe inconnu : choisissez parmi les axes de ce plan.")
    return Options(fmt, sections or Options.sections, statuts, axes)


def _codes(values, known, message) -> tuple[str, ...]:
    codes = dict(known)
    wrong = [v for v in values if v not in codes]
    if wrong:
        raise OptionsInvalides(f"{message} : « {wrong[0][:40]} ».")
    return tuple(code for code, _ in known if code in values)


def selection(plan: Plan, acteur: Acteur, options: Options = Options()):
    """The ids of the report's fiches, as a subquery (see the module's docstring)."""
    where = [SAF.c.vivante == true(), SAF.c.collectivite_id == plan.collectivite_id]
    if options.axes:
        where.append(SAF.c.axe_id.in_(options.axes))
    else:
        where.append(SAF.c.axe_id == racine_id(plan.id))
    if options.statuts:
        where.append(SAF.c.statut.in_(options.statuts))
    query = select(SAF.c.fiche_id).join(FicheAction, FicheAction.id == SAF.c.fiche_id).where(
        *where)
    scope = policy_for(FicheAction).condition(acteur)
    if scope is not None:
        query = query.where(scope)
    return query.distinct()


def selection_fiche(fiche_id: int):
    """The selection of one fiche (already checked by the caller's scoped query)."""
    return select(FicheAction.id.label("fiche_id")).where(FicheAction.id == fiche_id)


def compter(sel) -> int:
    return db.session.scalar(select(func.count()).select_from(sel.subquery())) or 0


def trop_de_fiches(n: int, options: Options) -> str | None:
    """The French refusal of a report above its format's threshold, else None."""
    seuil = SEUILS[options.format]
    if n <= seuil:
        return None
    return (f"Ce rapport compterait {nombre(n)} fiches : au-delà de {nombre(seuil)} fiches, "
            f"il serait trop long à produire. Choisissez des statuts ou des axes pour "
            f"n’en garder qu’une partie, ou faites plusieurs rapports.")
