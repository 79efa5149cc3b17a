"""Plan import at national size: a fixed number of queries whatever the number of fiches,
a preview that writes nothing, all or nothing, one audit entry, the same plan as before."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter
from sqlalchemy import func, select

from tests import builders
from tests.sql_spy import sql_sent
from tests.plans.test_import import HEADER, row
from tests.test_query_counts import count_queries
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.plans.models import Axe, FicheAction, Plan, Tag
from tet.comptes.models import Collectivite
from tet.indicateurs.models import IndicateurDefinition
from tet.plans.models import BudgetLigne, FicheFinanceur, fiche_axe
from tet import classeur
from tet.plans import (
    fiches,
    import_lecture as plan_import,
    import_application as plan_import_apply,
    import_ecriture as plan_import_ecriture,
    arbre,
)


def write(path, sheets: dict[str, list[list]], above: dict[str, list] | None = None):
    wb = xlsxwriter.Workbook(str(path))
    for title, rows in sheets.items():
        ws = wb.add_worksheet(title)
        start = 0
        for cell in (above or {}).get(title, []):
            ws.write(start, 0, cell)
            start += 1
        ws.write_row(start, 0, HEADER)
        for i, cells in enumerate(rows, start=start + 1):
            for j, value in enumerate(cells):
                if value is not None:
                    ws.write(i, j, value)
    wb.close()


def national(n: int) -> list[list]:
    """``n`` fiches under 5 axes × 4 sous-axes, with pilotes, tags, funding and budgets."""
    return [row(axe1=f"Axe {i % 5}", axe2=f"Sous-axe {i % 4}", titre=f"Action {i}",
                description="Descriptif.", statut=("À venir", "En cours", "Réalisé")[i % 3],
                priorite=("Élevé", "Moyen", "Bas")[i % 3], date_debut="01/02/2025",
                personne=f"Pilote Membre, Externe {i % 3}", financeur1="ADEME",
                montant1=1000 + i, budget=500) for i in range(n)]


@pytest.fixture
def coll_id(app):
    """A fresh collectivité with one validated member, « Pilote Membre »."""
    with app.app_context():
        c = builders.collectivite("Ville des lots")
        u = builders.user("pilote.lots@tet.test", prenom="Pilote", nom="Membre")
        builders.member(u, c, "edition")
        db.session.commit()
        return c.id


def _apply(path, cid, filename="plan.xlsx"):
    lecture = plan_import.read(str(path))
    assert lecture.erreurs == []
    return plan_import_apply.apply(lecture, db.session.get(Collectivite, cid), None, filename)


def _count(app, path, cid, what):
    with app.app_context():
        lecture = plan_import.read(str(path))
        coll = db.session.get(Collectivite, cid)
        with count_queries(app) as counter:
            if what == "simulate":
                plan_import_apply.simulate(lecture, coll)
            else:
                plan_import_apply.apply(lecture, coll, None, "lots.xlsx")
        db.session.rollback()
    return counter["n"]


@pytest.mark.parametrize("what", ["simulate", "apply", "reapply"])
def test_queries_do_not_grow_with_the_number_of_fiches(app, tmp_path, what):
    counts = []
    for n in (50, 500):
        with app.app_context():
            c = builders.collectivite(f"Ville {n}")
            u = builders.user(f"pilote.{n}.{what}@tet.test", prenom="Pilote", nom="Membre")
            builders.member(u, c, "edition")
            db.session.commit()
            cid = c.id
        path = tmp_path / f"{n}.xlsx"
        write(path, {"Plan national": national(n)})
        if what == "reapply":
            with app.app_context():
                _apply(path, cid)
            write(path, {"Plan national": [r[:4] + ["Autre descriptif"] + r[5:]
                                           for r in national(n)]})
        counts.append(_count(app, path, cid, "simulate" if what == "simulate" else "apply"))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 40


def test_preview_writes_nothing(app, login_as, tmp_path, coll_id):
    path = tmp_path / "plan.xlsx"
    write(path, {"Plan national": national(20)})
    with app.app_context():
        lecture = plan_import.read(str(path))
        with sql_sent(app) as sent:
            bilan = plan_import_apply.simulate(lecture, db.session.get(Collectivite, coll_id))
        writes = [s for s, _p in sent
                  if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        assert bilan.fiches_creees == 20 and bilan.plans_crees == ["Plan national"]
        assert bilan.axes_crees == 5 + 20
        assert writes == []
        assert db.session.scalar(select(func.count()).select_from(FicheAction).where(
            FicheAction.collectivite_id == coll_id)) == 0


def test_a_failure_late_in_the_workbook_leaves_nothing(app, tmp_path, coll_id, monkeypatch):
    path = tmp_path / "plan.xlsx"
    write(path, {"Plan national": national(600)})

    def boom(*_args):
        raise RuntimeError("panne au moment des liens")

    monkeypatch.setattr(plan_import_ecriture, "_liens", boom)  # after plans, axes, fiches
    with app.app_context():
        audits = db.session.scalar(select(func.count()).select_from(AuditLog))
        with pytest.raises(RuntimeError):
            _apply(path, coll_id)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Plan).where(
            Plan.collectivite_id == coll_id)) == 0
        assert db.session.scalar(select(func.count()).select_from(FicheAction).where(
            FicheAction.collectivite_id == coll_id)) == 0
        assert db.session.scalar(select(func.count()).select_from(AuditLog)) == audits


def test_an_error_on_row_4001_is_reported_and_nothing_is_written(app, tmp_path, coll_id):
    rows = national(4000) + [row(axe1="Axe 1", titre="Action en trop",
                                 date_fin="31/02/2026")]
    path = tmp_path / "plan.xlsx"
    write(path, {"Plan national": rows})
    lecture = plan_import.read(str(path))
    assert [str(p) for p in lecture.erreurs] == [
        "feuille « Plan national », ligne 4002, colonne « Date de fin » : date invalide "
        "« 31/02/2026 » (attendu JJ/MM/AAAA)."]
    with app.app_context():
        with pytest.raises(ValueError, match="rien n'a été importé"):
            plan_import_apply.apply(lecture, db.session.get(Collectivite, coll_id), None, "x")
        assert db.session.scalar(select(func.count()).select_from(FicheAction).where(
            FicheAction.collectivite_id == coll_id)) == 0


def test_merged_rows_with_dates_in_the_wrong_order_are_an_error(app, tmp_path, coll_id):
    path = tmp_path / "plan.xlsx"
    write(path, {"PAT": [row(axe1="A", titre="Cantine", date_debut="01/06/2026"),
                         row(axe1="A", titre="Cantine", date_fin="01/01/2026")]})
    lecture = plan_import.read(str(path))
    assert lecture.erreurs == []
    with app.app_context():
        plan_import_apply.simulate(lecture, db.session.get(Collectivite, coll_id))
    assert [str(p) for p in lecture.erreurs] == [
        "feuille « PAT », ligne 2, colonne « Date de fin » : la date de fin précède la date "
        "de début (lignes fusionnées)."]


def test_one_audit_entry_per_import(app, tmp_path, coll_id):
    path = tmp_path / "plan.xlsx"
    write(path, {"Plan national": national(30)})
    with app.app_context():
        last = db.session.scalar(select(func.max(AuditLog.id))) or 0
        _apply(path, coll_id, "lots.xlsx")
        entries = db.session.scalars(select(AuditLog).where(AuditLog.id > last)).all()
        assert len(entries) == 1
        entry = entries[0]
        plan = db.session.scalar(select(Plan).where(Plan.collectivite_id == coll_id))
        assert (entry.action, entry.action_label, entry.object_type) == ("import", "Import",
                                                                         "Plan")
        assert entry.object_id == plan.id and entry.object_repr == "Plan national"
        assert entry.collectivite_id == coll_id and entry.context == "import du classeur lots.xlsx"
        assert ("fiches créées", None, 30) in entry.visible_changes
        assert ("axes créés", None, 25) in entry.visible_changes


def _existing(cid):
    """A plan « PCAET » with axe « 1. Bâtiments », a fiche « Isoler les écoles » filed there
    with a service tag and a budget, and a fiche elsewhere with a partenaire tag."""
    plan = arbre.create_plan(cid, "PCAET", "autre")
    batiments = arbre.add_axe(plan, "1. Bâtiments")
    isoler = fiches.save_fiche(FicheAction(collectivite_id=cid), {
        "titre": "Isoler les écoles", "statut": "a_venir", "service": "Patrimoine",
        "partenaire": "Région", "budgets": [fiches.BudgetRow("investissement", "eur_ht", None,
                                                             Decimal(1), None),
                                            fiches.BudgetRow("fonctionnement", "eur_ht", 2025,
                                                             Decimal(7), None)]}, None)
    arbre.ranger(isoler, {batiments.id})
    db.session.commit()
    return plan.id, batiments.id, isoler.id, isoler.version


def test_varied_workbook_gives_the_expected_plans(app, tmp_path, coll_id):
    with app.app_context():
        plan_id, batiments_id, isoler_id, version = _existing(coll_id)
        indicateur = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id.is_(None)).order_by(IndicateurDefinition.id))
    path = tmp_path / "plan.xlsx"
    write(path, {
        "PCAET": [
            row(titre="Sans axe", priorite="Bas"),  # first row: under the plan itself
            row(axe1="1. bâtiments ", axe2="1.1 Écoles", titre="Isoler les écoles",
                statut="En cours", priorite="élevé", date_fin="31/12/2027",
                personne="Pilote Membre, Jean Extérieur", financeur1="ADEME", montant1=12000,
                financeur2="Département", budget=300000, indicateurs=indicateur.nom),
            row(axe1="1. Bâtiments", axe2="1.1 Écoles", titre="Isoler les écoles",
                objectifs="-30 %"),
            row(axe1="2. Mobilité", titre="Vélo-école", sous_titre="Atelier réparation",
                statut="Réalisé", service="Sports, Jeunesse", **{"continue": "oui"}),
            row(axe1="2. Mobilité", titre="Vélo-école", sous_titre="Balades",
                date_debut="2025-03-01"),
        ],
        "Nouveau PAT": [row(axe1="Cantines", axe2="Bio", axe3="Légumerie",
                            titre="Isoler les écoles", partenaire="Chambre d'agriculture")],
    }, above={"PCAET": ["Type : PCAET"], "Nouveau PAT": ["Type : PAT"]})
    with app.app_context():
        bilan = _apply(path, coll_id)
        assert (bilan.plans_crees, bilan.plans_mis_a_jour) == (["Nouveau PAT"], ["PCAET"])
        assert (bilan.fiches_creees, bilan.fiches_mises_a_jour) == (4, 3)
        assert bilan.personnes_creees == ["Jean Extérieur"] and bilan.axes_crees == 5
        pcaet = db.session.get(Plan, plan_id)
        assert pcaet.type == "pcaet" and pcaet.version == 2
        root, plan_fiches = arbre.load_tree(pcaet)
        assert [n.axe.nom for n in root.children] == ["1. Bâtiments", "2. Mobilité"]
        assert [n.axe.position for n in root.children] == [0, 1]
        assert root.children[0].axe.id == batiments_id  # merged, not duplicated
        assert [n.axe.nom for n in root.children[0].children] == ["1.1 Écoles"]
        assert [f.titre for f in root.fiches] == ["Sans axe"]
        assert [f.titre for f in root.children[0].fiches] == ["Isoler les écoles"]
        assert [f.titre for f in root.children[0].children[0].fiches] == ["Isoler les écoles"]
        assert sorted(f.titre for f in root.children[1].fiches) == [
            "Atelier réparation", "Balades", "Vélo-école"]
        isoler = db.session.get(FicheAction, isoler_id)
        assert isoler.version == version + 1
        assert (isoler.statut, isoler.priorite, isoler.date_fin, isoler.objectifs) == (
            "en_cours", "eleve", date(2027, 12, 31), "-30 %")
        assert [u.email for u in isoler.pilotes] == ["pilote.lots@tet.test"]
        assert sorted((t.kind, t.nom) for t in isoler.tags) == [
            ("partenaire", "Chambre d'agriculture"), ("personne", "Jean Extérieur"),
            ("service", "Patrimoine")]
        assert sorted((f.financeur.nom, f.montant) for f in isoler.financeurs) == [
            ("ADEME", Decimal(12000)), ("Département", None)]
        assert sorted((b.nature, b.annee, b.prevu) for b in isoler.budgets) == [
            ("fonctionnement", 2025, Decimal(7)), ("investissement", None, Decimal(300000))]
        assert [d.id for d in isoler.indicateurs] == [indicateur.id]
        assert {a.plan.nom for a in isoler.axes} == {"PCAET", "Nouveau PAT"}
        atelier = next(f for f in plan_fiches if f.titre == "Atelier réparation")
        velo = next(f for f in plan_fiches if f.titre == "Vélo-école")
        assert atelier.parent_id == velo.id and atelier.statut == "realise"
        assert atelier.amelioration_continue is True and atelier.version == 1
        assert sorted(t.nom for t in atelier.tags) == ["Jeunesse", "Sports"]
        assert velo.statut == "a_venir" and velo.parent_id is None
        balades = next(f for f in plan_fiches if f.titre == "Balades")
        assert balades.parent_id == velo.id and balades.date_debut == date(2025, 3, 1)
        pat = db.session.scalar(select(Plan).where(Plan.collectivite_id == coll_id,
                                                   Plan.nom == "Nouveau PAT"))
        assert pat.type == "pat" and pat.version == 1
        root, pat_fiches = arbre.load_tree(pat)
        assert root.axe.nom == "Nouveau PAT"
        legumerie = root.children[0].children[0].children[0]
        assert legumerie.axe.nom == "Légumerie" and legumerie.fiches == [isoler]
        assert db.session.scalar(select(func.count()).select_from(Tag).where(
            Tag.collectivite_id == coll_id, Tag.nom == "ADEME")) == 1
        assert db.session.scalar(select(func.count()).select_from(FicheFinanceur)) >= 2
        assert db.session.scalar(select(func.count()).select_from(BudgetLigne).where(
            BudgetLigne.fiche_id == isoler_id)) == 2
        # a second import of the same workbook changes nothing and duplicates nothing
        counts = [db.session.scalar(select(func.count()).select_from(t))
                  for t in (FicheAction, Axe, fiche_axe, Tag, FicheFinanceur, BudgetLigne)]
        again = _apply(path, coll_id)
        assert (again.fiches_creees, again.plans_crees, again.axes_crees) == (0, [], 0)
        assert counts == [db.session.scalar(select(func.count()).select_from(t))
                          for t in (FicheAction, Axe, fiche_axe, Tag, FicheFinanceur,
                                    BudgetLigne)]
        db.session.expire_all()
        assert db.session.get(FicheAction, isoler_id).version == version + 1


def test_a_workbook_beyond_the_total_number_of_rows_is_refused(app, login_as, tmp_path,
                                                               monkeypatch):
    path = tmp_path / "gros.xlsx"
    write(path, {"Plan A": national(60), "Plan B": national(60)})  # 61 + 61 rows declared
    limites = classeur.Limites(lignes_classeur=100)
    message = ("Ce classeur dépasse 100 lignes : découpez-le en plusieurs classeurs, "
               "importés l'un après l'autre.")
    with pytest.raises(classeur.ClasseurRefuse) as refused:
        plan_import.read(str(path), limites)
    assert str(refused.value) == message
    rows = iter([("x",)] * 61)  # a sheet that does not declare its size: counted while read
    lues = [61]
    with pytest.raises(classeur.ClasseurRefuse, match="dépasse 100 lignes"):
        list(classeur.lignes_bornees("Plan B", rows, limites, lues))
    assert lues == [101]
    monkeypatch.setitem(app.config, "IMPORT_MAX_TOTAL_ROWS", 100)
    with open(path, "rb") as fh:
        page = login_as("edition_cc").post("/admin/import-plans/", follow_redirects=True,
                                           data={"fichier": (fh, "gros.xlsx")},
                                           content_type="multipart/form-data")
    assert page.status_code == 200
    assert "Ce classeur dépasse 100 lignes : découpez-le" in page.get_data(as_text=True)


def test_a_fiche_changed_during_the_import_refuses_it_all(app, tmp_path, coll_id, monkeypatch):
    with app.app_context():
        _existing(coll_id)
    path = tmp_path / "plan.xlsx"
    write(path, {"PCAET": [row(axe1="Neuf", titre="Isoler les écoles", statut="En cours"),
                           row(axe1="Neuf", titre="Nouvelle")]})
    real = plan_import_ecriture._executer

    def concurrent(stmt, rows, verifie=False):
        if verifie and rows:  # as if another editor had saved the fiche meanwhile
            rows = [{**r, "_v": r["_v"] + 1} for r in rows]
        return real(stmt, rows, verifie)

    monkeypatch.setattr(plan_import_ecriture, "_executer", concurrent)
    with app.app_context():
        with pytest.raises(ValueError, match="modifié pendant l'import : recommencez"):
            _apply(path, coll_id)
        assert db.session.scalar(select(FicheAction).where(
            FicheAction.titre == "Nouvelle", FicheAction.collectivite_id == coll_id)) is None
        assert db.session.scalar(select(Axe).where(Axe.nom == "Neuf")) is None


def test_the_journal_shows_one_import_line(app, login_as, tmp_path):
    path = tmp_path / "plan.xlsx"
    write(path, {"Plan du journal": national(12)})
    client = login_as("admin_cc")
    with open(path, "rb") as fh:
        text = client.post("/admin/import-plans/", data={"fichier": (fh, "journal.xlsx")},
                           content_type="multipart/form-data").get_data(as_text=True)
    token = text.split('name="token" value="')[1].split('"')[0]
    assert client.post("/admin/import-plans/confirmer", data={"token": token}).status_code == 302
    page = client.get("/admin/auditlog/?search=Plan+du+journal").get_data(as_text=True)
    assert page.count("Fiches créées</span>") == 1  # one line, not one per fiche
    assert 'Fiches créées</span> :' in page and '<strong class="tet-apres">12</strong>' in page
    assert "Import du classeur journal.xlsx" in page


def test_cli_dry_run_reports_errors_found_while_planning(app, tmp_path):
    path = tmp_path / "plan.xlsx"
    write(path, {"PAT": [row(axe1="A", titre="Cantine", date_debut="01/06/2026"),
                         row(axe1="A", titre="Cantine", date_fin="01/01/2026")]})
    out = app.test_cli_runner().invoke(args=["import-plans", str(path), "--collectivite",
                                             "216890103", "--dry-run"])
    assert out.exit_code == 1
    assert "ERREUR feuille « PAT », ligne 2" in out.output
    assert "rien n'a été importé" in out.output
