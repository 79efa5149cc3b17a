"""What a fiche was after each save: its fields, links and places (``FicheVersion``), for its
history and its restore (``tet.plans.restauration``).

Written at commit time by a session hook, once per fiche the transaction changed (fields,
many-to-many links, fiches liées, financeurs, budgets; places filed by ``arbre.ranger`` are
reported through ``marquer``), in the same changeset (``lot``) as the audit rows. The state is
read for every touched fiche at once (one query per kind of link, whatever their number).
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    String,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from tet.colonnes import utcnow
from tet.comptes import audit
from tet.comptes.models import User
from tet.extensions import db
from tet.indicateurs.models import (
    IndicateurDefinition,
    ReferentielAction,
    fiche_indicateur,
    fiche_referentiel,
)
from tet.plans.models import (
    Axe,
    BudgetLigne,
    FicheAction,
    FicheFinanceur,
    FicheLien,
    Plan,
    Tag,
    Thematique,
    fiche_axe,
    fiche_pilote_user,
    fiche_tag,
    fiche_thematique,
)

CHAMPS = ("titre", "description", "objectifs", "ressources", "statut", "priorite",
          "date_debut", "date_fin", "amelioration_continue", "temps_mise_en_oeuvre", "cibles",
          "participation", "participation_detail", "financements", "confidentiel", "parent_id")
# the links of a fiche, each a sorted list in the state
LIENS = ("pilotes", "thematiques", "tags", "financeurs", "budgets", "indicateurs",
         "referentiel", "liens", "emplacements")
RELATIONS = {"pilotes": "pilotes", "thematiques": "thematiques", "tags": "tags",
             "indicateurs": "indicateurs", "referentiel_actions": "referentiel",
             "axes": "emplacements"}
LOT_MAX = 500  # fiches read per batch of queries


class FicheVersion(db.Model):
    __tablename__ = "fiche_version"
    __table_args__ = (Index("ix_fiche_version_fiche_id", "fiche_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche_action.id", ondelete="CASCADE"))
    collectivite_id: Mapped[int] = mapped_column(index=True)
    lot: Mapped[str | None] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column()
    user_email: Mapped[str | None] = mapped_column(String(254))
    context: Mapped[str | None] = mapped_column(String(300))
    etat: Mapped[dict] = mapped_column(JSON)
    # {key: [before, after]} of what this save changed (None: unknown, the first version
    # of a fiche older than the history)
    changes: Mapped[dict | None] = mapped_column(JSON)


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    return value


def _nom(prenom, nom, email) -> str:
    return f"{prenom or ''} {nom or ''}".strip() or email


def etats(fiche_ids) -> dict[int, dict]:
    """{fiche id: state} of these fiches (missing ids: no such fiche)."""
    ids = sorted(set(fiche_ids))
    result: dict[int, dict] = {}
    for start in range(0, len(ids), LOT_MAX):
        result.update(_etats(ids[start:start + LOT_MAX]))
    return result


def _etats(ids: list[int]) -> dict[int, dict]:
    cols = [getattr(FicheAction, c) for c in CHAMPS]
    states: dict[int, dict] = {}
    parents: dict[int, int] = {}
    for row in db.session.execute(select(FicheAction.id, FicheAction.collectivite_id, *cols)
                                  .where(FicheAction.id.in_(ids))):
        champs = {c: _plain(v) for c, v in zip(CHAMPS, row[2:])}
        champs["cibles"] = sorted(champs["cibles"] or [])
        if champs["parent_id"]:
            parents[row.id] = champs["parent_id"]
        states[row.id] = {"collectivite_id": row.collectivite_id, "champs": champs,
                          **{k: [] for k in LIENS}}
    if not states:
        return {}
    titres = dict(db.session.execute(select(FicheAction.id, FicheAction.titre).where(
        FicheAction.id.in_(sorted(set(parents.values()))))).all()) if parents else {}
    for fid, pid in parents.items():
        states[fid]["champs"]["parent_id"] = [pid, titres.get(pid, f"n° {pid}")]

    def add(key, query):
        for fid, *item in db.session.execute(query):
            states[fid][key].append([_plain(v) for v in item])

    add("pilotes", select(fiche_pilote_user.c.fiche_id, User.id, User.prenom, User.nom,
                          User.email).join(User, User.id == fiche_pilote_user.c.user_id)
        .where(fiche_pilote_user.c.fiche_id.in_(ids)))
    for state in states.values():
        state["pilotes"] = [[i, _nom(p, n, e)] for i, p, n, e in state["pilotes"]]
    add("thematiques", select(fiche_thematique.c.fiche_id, Thematique.id, Thematique.nom)
        .join(Thematique).where(fiche_thematique.c.fiche_id.in_(ids)))
    add("tags", select(fiche_tag.c.fiche_id, Tag.kind, Tag.nom).join(Tag)
        .where(fiche_tag.c.fiche_id.in_(ids)))
    add("financeurs", select(FicheFinanceur.fiche_id, Tag.nom, FicheFinanceur.montant)
        .join(Tag, Tag.id == FicheFinanceur.tag_id).where(FicheFinanceur.fiche_id.in_(ids)))
    add("budgets", select(BudgetLigne.fiche_id, BudgetLigne.nature, BudgetLigne.unite,
                          BudgetLigne.annee, BudgetLigne.prevu, BudgetLigne.reel)
        .where(BudgetLigne.fiche_id.in_(ids)))
    add("indicateurs", select(fiche_indicateur.c.fiche_id, IndicateurDefinition.id,
                              IndicateurDefinition.nom).join(IndicateurDefinition)
        .where(fiche_indicateur.c.fiche_id.in_(ids)))
    add("referentiel", select(fiche_referentiel.c.fiche_id, ReferentielAction.id,
                              ReferentielAction.identifiant, ReferentielAction.nom)
        .join(ReferentielAction).where(fiche_referentiel.c.fiche_id.in_(ids)))
    for state in states.values():
        state["referentiel"] = [[i, f"{ident} {nom}"] for i, ident, nom in state["referentiel"]]
    other = FicheAction.__table__.alias("autre")
    for a_col, b_col in ((FicheLien.fiche_a_id, FicheLien.fiche_b_id),
                         (FicheLien.fiche_b_id, FicheLien.fiche_a_id)):
        add("liens", select(a_col, other.c.id, other.c.titre).join(other, other.c.id == b_col)
            .where(a_col.in_(ids)))
    add("emplacements", select(fiche_axe.c.fiche_id, Axe.id, Plan.nom, Axe.nom, Axe.parent_id)
        .join(Axe, Axe.id == fiche_axe.c.axe_id).join(Plan, Plan.id == Axe.plan_id)
        .where(fiche_axe.c.fiche_id.in_(ids), Plan.deleted_at.is_(None)))
    for state in states.values():
        state["emplacements"] = [[i, plan if parent is None else f"{plan} › {axe}"]
                                 for i, plan, axe, parent in state["emplacements"]]
        for key in LIENS:
            state[key].sort(key=lambda item: [str(v) for v in item])
    # as stored (JSON), comparable with a stored state
    return {fid: json.loads(json.dumps(state)) for fid, state in states.items()}


def differences(avant: dict | None, apres: dict, cles=None) -> dict:
    """{key: [before, after]} between two states (``cles``: only these keys); field keys are
    the column names, link keys those of ``LIENS``."""
    avant = avant or {"champs": {}}
    changes = {}
    for c in CHAMPS:
        old, new = avant["champs"].get(c), apres["champs"].get(c)
        if old in ("", []):
            old = None
        if new in ("", []):
            new = None
        if old != new and (cles is None or c in cles):
            changes[c] = [old, new]
    for key in LIENS:
        old, new = avant.get(key) or [], apres.get(key) or []
        if old != new and (cles is None or key in cles):
            changes[key] = [old, new]
    return changes


# --- the session hook ----------------------------------------------------------------------

def marquer(fiche_ids, cle: str = "emplacements", session: Session | None = None) -> None:
    """Report a change written without the ORM (places, links) for the fiches' next version."""
    session = session or db.session()
    touched = session.info.setdefault("fiches_touchees", {})
    for fid in fiche_ids:
        _touch(session, touched, fid, cle)


def _touch(session: Session, touched: dict, fid: int | None, cle: str, orm=False) -> None:
    """Note that ``cle`` of fiche ``fid`` changed (``orm``: through an audited relation)."""
    if fid is None:
        return
    entry = touched.get(fid)
    if entry is None:
        actor = audit.current_actor()
        entry = touched[fid] = {"cles": set(), "lot": audit.current_lot(session),
                                "user_id": getattr(actor, "id", None),
                                "user_email": getattr(actor, "email", None),
                                "context": audit.current_context(), "at": utcnow(),
                                "orm": set()}
    entry["cles"].add(cle)
    if orm:
        entry["orm"].add(cle)


def _after_flush(session: Session, _flush_context) -> None:
    touched = session.info.setdefault("fiches_touchees", {})
    for obj in session.new:
        if isinstance(obj, FicheAction):
            _touch(session, touched, obj.id, "*")
    for obj in list(session.dirty) + list(session.new) + list(session.deleted):
        if isinstance(obj, FicheAction) and obj not in session.new:
            state = inspect(obj)
            for attr in state.mapper.column_attrs:
                if attr.key in CHAMPS and state.attrs[attr.key].history.has_changes():
                    _touch(session, touched, obj.id, attr.key)
            for rel, cle in RELATIONS.items():
                if state.attrs[rel].history.has_changes():
                    _touch(session, touched, obj.id, cle, orm=True)
        elif isinstance(obj, FicheLien):
            _touch(session, touched, obj.fiche_a_id, "liens")
            _touch(session, touched, obj.fiche_b_id, "liens")
        elif isinstance(obj, FicheFinanceur):
            _touch(session, touched, obj.fiche_id, "financeurs")
        elif isinstance(obj, BudgetLigne):
            _touch(session, touched, obj.fiche_id, "budgets")


def _before_commit(session: Session) -> None:
    if not session.info.get("fiches_touchees"):
        return
    session.flush()
    touched = session.info.pop("fiches_touchees", {})
    if touched:
        enregistrer(touched)


def enregistrer(touched: dict) -> None:
    """Write the new version of each touched fiche whose state changed."""
    ids = sorted(touched)
    for start in range(0, len(ids), LOT_MAX):
        chunk = ids[start:start + LOT_MAX]
        last = select(func.max(FicheVersion.id)).where(
            FicheVersion.fiche_id.in_(chunk)).group_by(FicheVersion.fiche_id)
        previous = {fid: etat for fid, etat in db.session.execute(
            select(FicheVersion.fiche_id, FicheVersion.etat).where(FicheVersion.id.in_(last)))}
        rows = []
        for fid, etat in _etats(chunk).items():
            info, avant = touched[fid], previous.get(fid)
            if avant == etat:
                continue
            cles = info["cles"]
            if "*" in cles:
                changes = differences(None, etat)
            elif avant is None:
                changes = None
            else:
                changes = differences(avant, etat, cles) or differences(avant, etat)
            rows.append({"fiche_id": fid, "collectivite_id": etat["collectivite_id"],
                         "lot": info["lot"], "at": info["at"], "user_id": info["user_id"],
                         "user_email": info["user_email"], "context": info["context"],
                         "etat": etat, "changes": changes})
        if rows:
            db.session.execute(insert(FicheVersion.__table__), rows)
            _journal(rows, touched)


NON_AUDITES = ("liens", "emplacements", "financeurs", "budgets")  # not ORM rows of the fiche


def _journal(versions: list[dict], touched: dict) -> None:
    """Links and places written without audited rows: one audit row per fiche says what
    they became, in the save's changeset (the audit log page, the conflict page). Places
    changed through ``fiche.axes`` are already in the fiche's own audit row."""
    from tet.comptes.journal import AuditLog

    rows = []
    for v in versions:
        changes = {k: [[i[-1] if k in ("liens", "emplacements") else str(i) for i in side
                        if i not in other] for side, other in ((old, new), (new, old))]
                   for k, (old, new) in (v["changes"] or {}).items()
                   if k in NON_AUDITES and k not in touched[v["fiche_id"]]["orm"]}
        if changes:
            rows.append({"at": v["at"], "user_id": v["user_id"], "user_email": v["user_email"],
                         "action": "update", "object_type": "FicheAction",
                         "object_id": v["fiche_id"], "object_repr": v["etat"]["champs"]["titre"],
                         "collectivite_id": v["collectivite_id"], "opsn_id": None,
                         "changes": changes, "context": v["context"], "lot": v["lot"]})
    if rows:
        db.session.execute(insert(AuditLog.__table__), rows)


def _forget(session: Session, *_args) -> None:
    session.info.pop("fiches_touchees", None)


def register(session_class=Session) -> None:
    """Listen on every session (idempotent)."""
    for name, listener in (("after_flush", _after_flush), ("before_commit", _before_commit),
                           ("after_rollback", _forget)):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
