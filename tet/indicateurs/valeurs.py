"""Indicator values: parsing French input, one value per (collectivité, indicateur, année,
type), series for tables and charts, and the catalogue visible to a collectivité."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import or_, select

from tet.extensions import db
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur
from tet.comptes.models import User
from tet.indicateurs.models import ANNEE_MAX, ANNEE_MIN, VALEUR_TYPES
from tet import nombres
from tet import verrous
from tet.formats import VIDE, nombre

TYPES = dict(VALEUR_TYPES)


class ValeurError(ValueError):
    """A refused value (French message)."""


def parse_valeur(text) -> Decimal | None:
    """``"1 234,5"`` → Decimal("1234.5"); empty → None; NaN, infinite or absurd refused."""
    try:
        return nombres.parse_nombre(text, nombres.VALEUR_MAX)
    except nombres.NombreInvalide as exc:
        raise ValeurError(str(exc)) from None


def check_annee(annee) -> int:
    try:
        year = int(annee)
    except (TypeError, ValueError):
        raise ValeurError("L'année doit être un nombre entier.")
    if not ANNEE_MIN <= year <= ANNEE_MAX:
        raise ValeurError(f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.")
    return year


def visible_condition(collectivite_id: int | None):
    """Catalogue definitions plus the collectivité's own personnalisés."""
    national = IndicateurDefinition.collectivite_id.is_(None)
    if collectivite_id is None:
        return national
    return or_(national, IndicateurDefinition.collectivite_id == collectivite_id)


def set_valeur(collectivite_id: int, definition: IndicateurDefinition, annee, type_: str,
               valeur, source: str | None = None, commentaire: str | None = None,
               by: User | None = None, version=verrous.LIBRE,
               garder_valeur: bool = False) -> IndicateurValeur | None:
    """Create, update or (empty value) delete the one value of that key. ``version``: the
    one the form showed (0: no value), checked before anything changes (``Perime``);
    ``garder_valeur``: only its source and commentaire change (a merge kept the number)."""
    if type_ not in TYPES:
        raise ValeurError("Type de valeur inconnu (objectif ou résultat).")
    if definition.collectivite_id not in (None, collectivite_id):
        raise ValeurError("Cet indicateur personnalisé appartient à une autre collectivité.")
    year = check_annee(annee)
    value = parse_valeur(valeur)
    existing = db.session.scalar(select(IndicateurValeur).where(
        IndicateurValeur.collectivite_id == collectivite_id,
        IndicateurValeur.definition_id == definition.id,
        IndicateurValeur.annee == year, IndicateurValeur.type == type_))
    verrous.verifier(existing, version)
    if garder_valeur:
        if existing is None:
            return None
        value = Decimal(existing.valeur)
    if value is None:
        if existing is not None:
            db.session.delete(existing)
        return None
    if existing is None:
        existing = IndicateurValeur(collectivite_id=collectivite_id,
                                    definition_id=definition.id, annee=year, type=type_)
        db.session.add(existing)
    if existing.valeur is None or Decimal(existing.valeur) != value:
        existing.valeur = value
    if source is not None:
        existing.source = source.strip()[:300] or None
    if commentaire is not None:
        existing.commentaire = commentaire.strip() or None
    return existing


def cellules(collectivite_id: int, definition_ids, annees=None
             ) -> dict[tuple[int, int, str], IndicateurValeur]:
    """{(definition id, année, type): value} in one query (every year, or ``annees``)."""
    ids = list(definition_ids)
    if not ids:
        return {}
    query = select(IndicateurValeur).where(IndicateurValeur.collectivite_id == collectivite_id,
                                           IndicateurValeur.definition_id.in_(ids))
    if annees is not None:
        query = query.where(IndicateurValeur.annee.in_(list(annees)))
    return {(v.definition_id, v.annee, v.type): v for v in db.session.scalars(query)}


def values_of(collectivite_id: int, definition_ids) -> dict[int, list[IndicateurValeur]]:
    """{definition id: [values]} for several indicators, in one query."""
    result: dict[int, list[IndicateurValeur]] = defaultdict(list)
    ids = list(definition_ids)
    if ids:
        for v in db.session.scalars(select(IndicateurValeur).where(
                IndicateurValeur.collectivite_id == collectivite_id,
                IndicateurValeur.definition_id.in_(ids)).order_by(IndicateurValeur.annee)):
            result[v.definition_id].append(v)
    return result


def format_valeur(value, unite: str = "") -> str:
    """French display: ``1234.5`` → ``1 234,5 GWh`` (narrow no-break spaces)."""
    text = nombre(value, max_decimales=4)
    return f"{text}\u00a0{unite}" if unite and text != VIDE else text
