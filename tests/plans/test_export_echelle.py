"""Exports at national size: the plan export reads its rows in batches (queries grow with
the batches, never with the fiches; no statement binds more than a batch), its cells are
those of the workbook format; partner extracts join their scope instead of listing ids."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from tests import builders
from tests.sql_spy import sql_sent
from tests.test_query_counts import _grow
from tet.extensions import db
from tet.plans.models import (
    BudgetLigne,
    Document,
    FicheAction,
    FicheFinanceur,
    FicheLien,
    NoteSuivi,
    Plan,
    Tag,
    Thematique,
)
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur
from tet.maturite.models import QuestionnaireVersion, Snapshot
from tet import exports, xlsx
from tet.plans import export as plan_export, arbre



def _bound(parameters) -> int:
    return len(parameters) if isinstance(parameters, (dict, list, tuple)) else 0


def _sheets(path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(c.value for c in r) for r in ws.iter_rows()]
                for ws in wb.worksheets}
    finally:
        wb.close()


def _tag(coll, kind, nom):
    tag = Tag(collectivite_id=coll.id, kind=kind, nom=nom)
    db.session.add(tag)
    db.session.flush()
    return tag


def _varied_plan() -> int:
    """A plan with a deep axe, a fiche in two axes with every kind of related value, its
    sous-action, an empty fiche, a deleted fiche and a fiche of another plan."""
    coll = builders.collectivite("Commune exportée")
    plan = arbre.create_plan(coll.id, "Plan varié", "pcaet")
    a1 = arbre.add_axe(plan, "Axe 1")
    a11 = arbre.add_axe(plan, "Axe 1.1", a1)
    a111 = arbre.add_axe(plan, "Axe 1.1.1", a11)
    deep = arbre.add_axe(plan, "Axe 1.1.1.1", a111)
    a2 = arbre.add_axe(plan, "Axe 2")
    other = arbre.create_plan(coll.id, "Autre plan")
    pilote = builders.user("pilote.export@tet.test", prenom="Ana", nom="Pilote")
    sans_nom = builders.user("sans.nom@tet.test", prenom="", nom="")
    main = FicheAction(
        collectivite_id=coll.id, titre='=HYPERLINK("http://x";"clic")', statut="en_cours",
        priorite="eleve", description="Descriptif", objectifs="Objectifs", ressources="2 ETP",
        participation="concertation", financements="Fonds vert", date_debut=date(2025, 1, 15),
        date_fin=date(2026, 6, 30), amelioration_continue=True, confidentiel=True,
        temps_mise_en_oeuvre="long", cibles=["scolaire", "inconnue"])
    db.session.add(main)
    main.pilotes = [pilote, sans_nom]
    main.tags = [_tag(coll, kind, nom) for kind, nom in [
        ("instance", "Conseil"), ("instance", "Bureau"), ("structure", "Syndicat"),
        ("partenaire", "ADEME"), ("service", "Service technique"), ("elu", "Maire"),
        ("personne", "Jean Externe"), ("libre", "Prioritaire")]]
    main.thematiques = [Thematique(nom="Thématique export A"),
                        Thematique(nom="Thématique export B")]
    main.axes = [deep, a2]
    db.session.add(main)
    db.session.flush()
    for i, montant in enumerate([Decimal("1500.50"), None, Decimal("20"), Decimal("30")]):
        db.session.add(FicheFinanceur(fiche_id=main.id, montant=montant,
                                      tag_id=_tag(coll, "financeur", f"Financeur {i}").id))
    db.session.add_all([
        BudgetLigne(fiche_id=main.id, nature="investissement", unite="eur_ht", annee=2025,
                    prevu=Decimal("1")),
        BudgetLigne(fiche_id=main.id, nature="investissement", unite="etp", annee=None,
                    prevu=Decimal("2")),
        BudgetLigne(fiche_id=main.id, nature="investissement", unite="eur_ht", annee=None,
                    prevu=Decimal("12000")),
        NoteSuivi(fiche_id=main.id, date=date(2025, 2, 1), texte="Première"),
        NoteSuivi(fiche_id=main.id, date=date(2025, 3, 1), texte="Seconde"),
        Document(fiche_id=main.id, nom="Cahier des charges.pdf", url="https://exemple.fr/cdc")])
    main.indicateurs = [IndicateurDefinition(nom="Zèbre", unite="u", collectivite_id=coll.id),
                        IndicateurDefinition(nom="Abeilles", unite="u",
                                             collectivite_id=coll.id, identifiant="exp_1")]
    sous = FicheAction(collectivite_id=coll.id, titre="Sous-action", statut="a_venir",
                       parent_id=main.id, cibles=[])
    empty = FicheAction(collectivite_id=coll.id, titre="Fiche vide", statut="a_venir",
                        cibles=[])
    deleted = FicheAction(collectivite_id=coll.id, titre="Supprimée", statut="a_venir",
                          cibles=[], deleted_at=datetime(2025, 1, 1))
    elsewhere = FicheAction(collectivite_id=coll.id, titre="Ailleurs", statut="a_venir",
                            cibles=[])
    db.session.add_all([sous, empty, deleted, elsewhere])
    sous.axes, empty.axes, deleted.axes = [a2], [a1], [a1]
    elsewhere.axes = [arbre.add_axe(other, "Axe autre")]
    db.session.flush()
    db.session.add_all([FicheLien(fiche_a_id=min(main.id, f.id), fiche_b_id=max(main.id, f.id))
                        for f in (empty, elsewhere, deleted)])
    db.session.commit()
    return plan.id


def test_plan_export_cells_of_a_varied_plan(app, tmp_path):
    path = tmp_path / "plan.xlsx"
    with app.app_context():
        plan = db.session.get(Plan, _varied_plan())
        xlsx.build_to_file(str(path), lambda wb: plan_export.write_plans(wb, [plan]))
        fiches = {f.titre: f for f in db.session.scalars(select(FicheAction).where(
            FicheAction.titre.in_(["Fiche vide", "Sous-action"])))}
        main = db.session.scalar(select(FicheAction).where(FicheAction.titre.like("=HYP%")))
        stamps = {t: (f.created_at, f.updated_at) for t, f in [*fiches.items(), ("main", main)]}
    rows = _sheets(path)["Plan varié"]
    assert rows[0][0] == "Type : Plan climat-air-énergie territorial (PCAET)"
    assert rows[2][:4] == ("Axe (x)", "Sous-axe (x.x)", "Sous-sous-axe (x.x.x)",
                           "Titre de l'action")
    assert len(rows[2]) == 40 and rows[2][-1] == "Modifiée le"
    body = [r for r in rows[3:] if any(v is not None for v in r)]
    assert len(body) == 4  # the deleted fiche and the other plan's fiche are not there
    as_date = lambda d: d and datetime(d.year, d.month, d.day)  # noqa: E731
    main_cells = (
        'Descriptif', "Conseil, Bureau", "Objectifs", "exp_1, Zèbre", "Syndicat", "2 ETP",
        "ADEME", "Service technique", "Ana Pilote, sans.nom@tet.test, Jean Externe", "Maire",
        "Concertation", "Fonds vert", "Financeur 0", 1500.5, "Financeur 1", None,
        "Financeur 2", 20, 12000, "En cours", "Élevé", datetime(2025, 1, 15),
        datetime(2026, 6, 30), "Oui", "Thématique export A, Thématique export B",
        "Prioritaire", "Oui", "Long terme", "Public scolaire, inconnue",
        "01/03/2025 : Seconde\n01/02/2025 : Première", None, "Ailleurs, Fiche vide",
        "Cahier des charges.pdf", as_date(stamps["main"][0]), as_date(stamps["main"][1]))
    titre = '=HYPERLINK("http://x";"clic")'
    def empty(stamp, liees=None):
        return (None,) * 19 + ("À venir",) + (None,) * 6 + ("Non",) + (None,) * 4 + (
            liees, None, as_date(stamp[0]), as_date(stamp[1]))

    assert body == [
        ("Axe 1", None, None, "Fiche vide", None) + empty(stamps["Fiche vide"], titre),
        ("Axe 1", "Axe 1.1", "Axe 1.1.1 > Axe 1.1.1.1", titre, None) + main_cells,
        ("Axe 2", None, None, titre, None) + main_cells,
        ("Axe 2", None, None, titre, "Sous-action") + empty(stamps["Sous-action"]),
    ]


def test_formula_like_titles_stay_text_in_the_plan_export(app, tmp_path):
    path = tmp_path / "plan.xlsx"
    with app.app_context():
        plan = db.session.get(Plan, _varied_plan())
        xlsx.build_to_file(str(path), lambda wb: plan_export.write_plans(wb, [plan]))
    wb = openpyxl.load_workbook(path)
    cell = wb["Plan varié"]["D5"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"  # never a formula


def _plan_of(n_fiches: int, n_axes: int = 3) -> int:
    coll = builders.collectivite(f"Commune de {n_fiches} fiches")
    plan = arbre.create_plan(coll.id, f"Plan de {n_fiches}", "pcaet")
    axes = [arbre.add_axe(plan, f"Axe {i}") for i in range(n_axes)]
    tag = _tag(coll, "service", "Service")
    pilote = builders.user(f"pilote{n_fiches}.{n_axes}@tet.test")
    theme = Thematique(nom=f"Thème {n_fiches}.{n_axes}")
    for i in range(n_fiches):
        fiche = FicheAction(collectivite_id=coll.id, titre=f"Fiche {i:04d}", cibles=[],
                            statut="en_cours")
        db.session.add(fiche)
        fiche.axes, fiche.tags = [axes[i % n_axes]], [tag]
        fiche.pilotes, fiche.thematiques = [pilote], [theme]
        db.session.flush()
        db.session.add_all([NoteSuivi(fiche_id=fiche.id, date=date(2025, 1, 1), texte="n"),
                            BudgetLigne(fiche_id=fiche.id, nature="investissement",
                                        prevu=Decimal("1"))])
    db.session.commit()
    return plan.id


def _export_statements(app, plan_id: int, tmp_path) -> list:
    with app.app_context(), sql_sent(app) as sent:
        plan = db.session.get(Plan, plan_id)
        xlsx.build_to_file(str(tmp_path / f"{plan_id}.xlsx"),
                           lambda wb: plan_export.write_plans(wb, [plan]))
    return [parameters for _statement, parameters in sent]


def test_plan_export_queries_grow_with_batches_not_fiches(app, tmp_path, monkeypatch):
    with app.app_context():
        plans = {n: _plan_of(n) for n in (0, 30, 300)}
    counts = {n: len(_export_statements(app, p, tmp_path)) for n, p in plans.items()}
    assert counts[30] == counts[300], counts
    monkeypatch.setattr(plan_export, "BATCH", 100, raising=False)
    counts = {n: len(_export_statements(app, p, tmp_path)) for n, p in plans.items()}
    per_batch = counts[30] - counts[0]
    assert counts[300] == counts[0] + 3 * per_batch, counts


def test_no_export_statement_binds_more_than_a_batch(app, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_export, "BATCH", 50, raising=False)
    with app.app_context():
        plan_id = _plan_of(120, n_axes=120)
    sent = _export_statements(app, plan_id, tmp_path)
    assert max(_bound(p) for p in sent) <= 2 * 50  # the fiches liées bind a batch twice


# --- partner extracts ----------------------------------------------------------------------

def _other_region(app) -> None:
    """Collectivités outside the Grand Est with fiches, values and a snapshot."""
    with app.app_context():
        definition = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id.is_(None)))
        version_id = db.session.scalar(select(QuestionnaireVersion.id))
        for i in range(25):
            c = builders.collectivite(f"Commune bretonne {i}", region="Bretagne",
                                      departement="29")
            db.session.add_all([
                FicheAction(collectivite_id=c.id, titre="Fiche bretonne", statut="realise",
                            cibles=[]),
                IndicateurValeur(collectivite_id=c.id, definition_id=definition.id,
                                 annee=2020, type="resultat", valeur=1),
                Snapshot(collectivite_id=c.id, version_id=version_id, indice=50,
                         lettre="C", officiel=True, par_categorie={})])
        db.session.commit()


def _extract(app, tmp_path, name, **filtres):
    path = tmp_path / f"{name}.xlsx"
    with app.app_context(), sql_sent(app) as sent:
        xlsx.build_to_file(str(path), lambda wb: exports.partenaires(
            wb, name, exports.Filtres(**filtres)))
    return list(_sheets(path).values())[0][1:], [parameters for _s, parameters in sent]


def test_partner_extracts_join_their_scope_and_never_leak(app, tmp_path):
    before = {name: _extract(app, tmp_path, name, region="Grand Est", nominatif=True)
              for name in exports.EXTRACTS}
    _other_region(app)
    for name in exports.EXTRACTS:
        rows, sent = _extract(app, tmp_path, name, region="Grand Est", nominatif=True)
        assert rows == before[name][0], name  # the Breton rows never appear
        assert len(sent) == len(before[name][1]) == 1  # one streamed query
        assert max(_bound(p) for p in sent) <= 12  # the filters and statuts, not ids
        everyone, sent = _extract(app, tmp_path, name, nominatif=True)
        assert any(r[4] == "Bretagne" for r in everyone), name
        assert max(_bound(p) for p in sent) <= 12  # 30 collectivités: no list of ids


def test_anonymous_numbers_follow_the_filtered_collectivites(app, tmp_path):
    _other_region(app)
    rows, _sent = _extract(app, tmp_path, "fiches", region="Bretagne")
    assert [r[0] for r in rows] == [f"Collectivité {i:05d}" for i in range(1, 26)]
    assert [r[6:] for r in rows] == [(0, 0, 1, 0, 0, 0, 0, 0)] * 25
    rows, _sent = _extract(app, tmp_path, "maturite", lettre="C", region="Bretagne")
    assert len(rows) == 25 and rows[-1][0] == "Collectivité 00025"


# --- list exports ---------------------------------------------------------------------------

@pytest.mark.parametrize("who,url", [
    ("admin_cc", "/admin/membership/export/csv/"),
    ("admin_cc", "/admin/user/export/xlsx/"),
    ("support", "/admin/collectivite/export/csv/"),
    ("support", "/admin/opsn/export/xlsx/"),
    ("opsn_admin", "/admin/opsnmembership/export/csv/"),
    ("opsn_admin", "/admin/rattachement/export/xlsx/"),
    ("support", "/admin/auditlog/export/csv/"),
    ("admin_cc", "/admin/demandeadhesion/export/csv/"),
    ("admin_cc", "/admin/fiche/export/xlsx/"),
])
def test_list_exports_run_no_query_per_row(app, login_as, ids, who, url):
    client = login_as(who)

    def download() -> int:
        with sql_sent(app) as sent:
            response = client.get(url)
            assert response.status_code == 200
            response.close()
        return len(sent)

    small = download()
    _grow(app, ids, 30)  # members, users, collectivités, OPSN, rattachements
    assert download() == small, url


def test_selection_export_runs_no_query_per_row(app, login_as, ids):
    from tet.comptes.demandes import Rattachement

    def export_all():
        with app.app_context():
            rowids = [str(i) for i in db.session.scalars(select(Rattachement.id))]
        with sql_sent(app) as sent:
            response = client.post("/admin/rattachement/action/", data={
                "action": "export_xlsx", "rowid": rowids})
            assert response.status_code == 200
            response.close()
        return len(sent)

    client = login_as("opsn_admin")
    small = export_all()
    _grow(app, ids, 30)
    assert export_all() == small
