"""The rows of the benchmark (``bench/run.py``): for each main page, who asks, which URL,
and the plain SQL returning the rows the page shows (the baseline of the ratio)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text

from seeds.scale import ARBRE_SIREN, EMAIL_DOMAIN, GROSSE_SIREN, OPSN_SIREN
from tet.extensions import db
from tet.comptes.models import Collectivite, Membership, User
from tet.plans.models import FicheAction, Plan
from tet.maturite.models import Snapshot

SUPPORT = f"support@{EMAIL_DOMAIN}"
PAGE = 50  # the back-office list page size


@dataclass
class Case:
    name: str
    who: str
    url: str
    sql: str = ""
    params: dict | None = None


def ids() -> dict:
    """The rows the benchmark talks about, found by query."""
    def coll(siren):
        return db.session.scalar(select(Collectivite.id).where(Collectivite.siren == siren))

    grosse, arbre = coll(GROSSE_SIREN), coll(ARBRE_SIREN)
    plan = lambda cid, typ: db.session.scalar(select(Plan.id).where(  # noqa: E731
        Plan.collectivite_id == cid, Plan.type == typ))
    repondante = db.session.scalar(select(Snapshot.collectivite_id).where(
        Snapshot.officiel.is_(True)).order_by(Snapshot.id.desc()).limit(1))
    fiches = db.session.scalar(select(func.count(FicheAction.id)).where(
        FicheAction.collectivite_id == grosse, FicheAction.deleted_at.is_(None)))
    return {
        "grosse": grosse, "arbre": arbre, "gros_plan": plan(grosse, "pcaet"),
        "grand_arbre": plan(arbre, "projet_territoire"), "repondante": repondante,
        "fiche": db.session.scalar(select(func.min(FicheAction.id)).where(
            FicheAction.collectivite_id == grosse)),
        "fiches": fiches, "collectivites": db.session.scalar(select(func.count(Collectivite.id))),
        "opsn_siren": OPSN_SIREN,
        "repondante_admin": db.session.scalar(select(User.email).join(Membership).where(
            Membership.collectivite_id == repondante, Membership.niveau == "admin").limit(1)),
    }


TREE_SQL = ("SELECT a.id, a.parent_id, a.nom, f.id, f.titre, f.statut FROM axe a "
            "LEFT JOIN fiche_axe fa ON fa.axe_id = a.id "
            "LEFT JOIN fiche_action f ON f.id = fa.fiche_id AND f.deleted_at IS NULL "
            "WHERE a.plan_id = :plan ORDER BY a.position, a.id")
STATS_SQL = ("SELECT f.statut, COUNT(DISTINCT f.id) FROM fiche_action f "
             "JOIN fiche_axe fa ON fa.fiche_id = f.id JOIN axe a ON a.id = fa.axe_id "
             "WHERE a.plan_id = :plan AND f.deleted_at IS NULL GROUP BY f.statut")
FICHE_LIST_SQL = ("SELECT id, titre, statut, priorite, date_debut, date_fin, confidentiel "
                  "FROM fiche_action WHERE collectivite_id = :c AND deleted_at IS NULL "
                  "ORDER BY titre LIMIT 50 OFFSET :o")


def cases(k: dict) -> list[Case]:
    big = f"@grosse.{EMAIL_DOMAIN}"
    last_fiche = max((k["fiches"] - 1) // PAGE, 0)
    last_coll = max((k["collectivites"] - 1) // PAGE, 0)
    return [
        Case("arbre 2 000 axes (admin)", f"admin@arbre.{EMAIL_DOMAIN}",
             f"/admin/plan/{k['grand_arbre']}/arbre", TREE_SQL, {"plan": k["grand_arbre"]}),
        Case("arbre 2 000 axes (lecture)", f"lecture@arbre.{EMAIL_DOMAIN}",
             f"/admin/plan/{k['grand_arbre']}/arbre", TREE_SQL, {"plan": k["grand_arbre"]}),
        Case("arbre du plan de 100 000 fiches", "admin" + big,
             f"/admin/plan/{k['gros_plan']}/arbre", TREE_SQL, {"plan": k["gros_plan"]}),
        Case("tableau de bord du plan", "admin" + big,
             f"/admin/plan/{k['gros_plan']}/tableau-de-bord", STATS_SQL,
             {"plan": k["gros_plan"]}),
        Case("calendrier du plan", "admin" + big, f"/admin/plan/{k['gros_plan']}/calendrier",
             "SELECT DISTINCT f.id, f.titre, f.date_debut, f.date_fin FROM fiche_action f "
             "JOIN fiche_axe fa ON fa.fiche_id = f.id JOIN axe a ON a.id = fa.axe_id "
             "WHERE a.plan_id = :plan AND f.deleted_at IS NULL", {"plan": k["gros_plan"]}),
        Case("tableau de bord des plans (collectivité)", "admin" + big,
             "/admin/plan/tableau-de-bord",
             "SELECT a.plan_id, f.statut, COUNT(DISTINCT f.id) FROM fiche_action f "
             "JOIN fiche_axe fa ON fa.fiche_id = f.id JOIN axe a ON a.id = fa.axe_id "
             "WHERE f.collectivite_id = :c AND f.deleted_at IS NULL GROUP BY a.plan_id, f.statut",
             {"c": k["grosse"]}),
        Case("maturité nationale", SUPPORT, "/admin/maturite-nationale/",
             "SELECT s.lettre, COUNT(*) FROM mat_snapshot s JOIN (SELECT collectivite_id, "
             "MAX(id) AS sid FROM mat_snapshot GROUP BY collectivite_id) l ON l.sid = s.id "
             "GROUP BY s.lettre"),
        Case("inspiration « énergie »", "admin" + big, "/admin/inspiration/?q=énergie",
             "SELECT f.id, f.titre, c.nom FROM fiche_action f JOIN collectivite c "
             "ON c.id = f.collectivite_id WHERE NOT f.confidentiel AND f.deleted_at IS NULL "
             "AND (f.titre LIKE :q OR f.description LIKE :q) ORDER BY f.titre, f.id LIMIT 30",
             {"q": "%énergie%"}),
        Case("journal d'audit, recherche", SUPPORT, "/admin/auditlog/?search=éclairage",
             "SELECT id, at, user_email, action, object_type, object_repr FROM audit_log "
             "WHERE object_repr LIKE :q ORDER BY at DESC LIMIT 50", {"q": "%éclairage%"}),
        Case("fiches, page 1", "admin" + big, "/admin/fiche/", FICHE_LIST_SQL,
             {"c": k["grosse"], "o": 0}),
        Case("fiches, page 5 000", "admin" + big, f"/admin/fiche/?page={min(4999, last_fiche)}",
             FICHE_LIST_SQL, {"c": k["grosse"], "o": min(4999, last_fiche) * PAGE}),
        Case("fiches, dernière page", "admin" + big, f"/admin/fiche/?page={last_fiche}",
             FICHE_LIST_SQL, {"c": k["grosse"], "o": last_fiche * PAGE}),
        Case("collectivités, page 1", SUPPORT, "/admin/collectivite/",
             "SELECT id, nom, type, siren, departement, region, population FROM collectivite "
             "ORDER BY nom LIMIT 50"),
        Case("collectivités, dernière page", SUPPORT, f"/admin/collectivite/?page={last_coll}",
             "SELECT id, nom, type, siren, departement, region, population FROM collectivite "
             "ORDER BY nom LIMIT 50 OFFSET :o", {"o": last_coll * PAGE}),
        Case("utilisateurs", SUPPORT, "/admin/user/",
             "SELECT id, email, prenom, nom, is_support, active, last_login_at "
             "FROM user_account ORDER BY email LIMIT 50"),
        Case("page fiche", "admin" + big, f"/admin/fiche/{k['fiche']}",
             "SELECT f.*, a.nom FROM fiche_action f LEFT JOIN fiche_axe fa ON fa.fiche_id = f.id "
             "LEFT JOIN axe a ON a.id = fa.axe_id WHERE f.id = :f", {"f": k["fiche"]}),
        Case("maturité + benchmark", k["repondante_admin"] or SUPPORT, "/admin/maturite/",
             "SELECT q.id, q.texte, r.option_code FROM mat_question q LEFT JOIN mat_reponse r "
             "ON r.question_id = q.id AND r.collectivite_id = :c", {"c": k["repondante"]}),
        Case("espace OPSN (2 000 rattachées)", f"opsn.admin@{EMAIL_DOMAIN}", "/admin/opsn-espace/",
             "SELECT c.id, c.nom, s.lettre, s.indice FROM rattachement r JOIN collectivite c "
             "ON c.id = r.collectivite_id JOIN opsn o ON o.id = r.opsn_id LEFT JOIN "
             "(SELECT collectivite_id, MAX(id) AS sid FROM mat_snapshot GROUP BY collectivite_id)"
             " l ON l.collectivite_id = c.id LEFT JOIN mat_snapshot s ON s.id = l.sid "
             "WHERE o.siren = :o AND r.statut = 'acceptee'", {"o": k["opsn_siren"]}),
        Case("rattachements de l'OPSN", f"opsn.admin@{EMAIL_DOMAIN}", "/admin/rattachement/",
             "SELECT r.id, c.nom, r.statut FROM rattachement r JOIN collectivite c "
             "ON c.id = r.collectivite_id JOIN opsn o ON o.id = r.opsn_id WHERE o.siren = :o "
             "ORDER BY r.created_at DESC LIMIT 50", {"o": k["opsn_siren"]}),
        Case("accueil du support", SUPPORT, "/admin/",
             "SELECT COUNT(*) FROM collectivite UNION ALL SELECT COUNT(*) FROM fiche_action"),
        Case("fiches en retard du plan (50 premières)", "admin" + big,
             f"/admin/plan/{k['gros_plan']}/en-retard",
             "SELECT DISTINCT f.id, f.titre, f.statut, f.date_fin FROM fiche_action f "
             "JOIN fiche_axe fa ON fa.fiche_id = f.id JOIN axe a ON a.id = fa.axe_id "
             "WHERE a.plan_id = :plan AND f.deleted_at IS NULL AND f.date_fin < CURRENT_DATE "
             "AND f.statut NOT IN ('realise', 'abandonne') ORDER BY f.date_fin, f.id LIMIT 50",
             {"plan": k["gros_plan"]}),
        Case("collectivités, recherche « saint-etienne »", SUPPORT,
             "/admin/collectivite/?search=saint-etienne",
             "SELECT id, nom, type, siren, departement, region, population FROM collectivite "
             "WHERE nom LIKE :q ORDER BY nom LIMIT 50", {"q": "%Saint-Étienne%"}),
    ]


def raw(engine, sql: str, params: dict | None) -> int:
    with engine.connect() as conn:
        return len(conn.execute(text(sql), params or {}).fetchall())
