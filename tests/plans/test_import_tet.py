"""Territoires en Transitions' own import workbook, built here from its column list: read,
checked, and imported through the same preview, confirmation and command as ours."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from tet.classeur import ClasseurRefuse, Limites
from tet.comptes.models import Collectivite
from tet.extensions import db
from tet.plans import arbre, import_application as plan_import_apply
from tet.plans import import_lecture as plan_import
from tet.plans.import_tet import lire_date
from tet.plans.models import FicheAction, Plan

# TeT's template, row 2, in its order (its spelling: « Sous-sous axe », trailing spaces)
TET = ["Axe (x)", "Sous-axe (x.x)", "Sous-sous axe (x.x.x)", "Titre de l'action",
       "Titre de la sous-action", "Descriptif", "Instances de gouvernance", "Objectifs",
       "Indicateurs liés", "Structure pilote", "Moyens humains et techniques", "Partenaires ",
       "Direction ou service pilote", "Personne pilote", "Élu·e référent·e ",
       "Participation Citoyenne", "Financements", "Financeur 1", "Montant € HT", "Financeur 2",
       "Montant € HT", "Financeur 3", "Montant € HT", "Budget prévisionnel total € HT",
       "Statut ", "Niveau de priorité", "Date de début", "Date de fin",
       "Action en amélioration continue", "Calendrier"]
KEYS = ["axe1", "axe2", "axe3", "titre", "sous", "descriptif", "instances", "objectifs",
        "indicateurs", "structure", "moyens", "partenaires", "service", "pilote", "elu",
        "participation", "financements", "f1", "m1", "f2", "m2", "f3", "m3", "budget",
        "statut", "priorite", "debut", "fin", "continue", "calendrier"]
HINTS = ["Champ texte"] * 17 + ["Champ texte\n(séparateur virgule)", "Champ numérique"] * 3 \
    + ["Champ numérique", "Champ liste déroulante", "Champ liste déroulante", "Champ date",
       "Champ date", "Champ binaire", "Champ texte libre"]
CC = "200099901"


def tet_row(**values):
    return [values.get(key) for key in KEYS]


def tet_workbook(path, rows, title=("Présentation de l’action",), sheet="Fichier d'import",
                 hints=True, header=TET, help_sheet=True):
    """TeT's layout: a help sheet, then the data sheet (title row, header, hints, data),
    then its lists sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Mode d'emploi"
    ws["B1"] = "Importer un plan d'action sur la plateforme Territoires en Transitions"
    if not help_sheet:
        wb.remove(ws)
    data = wb.create_sheet(sheet)
    data.append(list(title))
    data.append(list(header))
    if hints:
        data.append(HINTS)
    for values in rows:
        data.append(values)
    lists = wb.create_sheet("Listes déroulantes")
    lists.append(["Statut ", "Niveau de priorité"])
    lists.append(["À venir", "Élevé"])
    wb.save(path)
    return str(path)


def _messages(lecture, bloquant=True):
    return [str(p) for p in lecture.problemes if p.bloquant == bloquant]


def _valid_rows(indicateur="Émissions de gaz à effet de serre du territoire"):
    return [
        tet_row(axe1="1. Bâtiments", axe2="1.1 Écoles", titre="Isoler les écoles",
                descriptif="Combles et murs.", instances="Comité de pilotage",
                objectifs="-30 %", indicateurs=indicateur, structure="CC du Val",
                moyens="Deux agents", partenaires="ADEME, Région", service="Patrimoine",
                pilote="Alice Admin, Jean Extérieur", elu="Maire adjoint",
                participation="Concertation", financements="Fonds vert", f1="ADEME",
                m1="12 500,50", f2="Région", m2=3000, f3="Département", m3="1 000 € HT",
                budget="120 000 €", statut="En cours ", priorite="Haut",
                debut=datetime(2025, 1, 6), fin="31/12/2027", **{"continue": "FAUX"}),
        tet_row(axe1="1. Bâtiments", axe2="1.1 Écoles", titre="Isoler les écoles",
                sous="Audit énergétique", statut="Réalisé", fin=46022, pilote="Alice Admin"),
        tet_row(axe1="1. Bâtiments", axe2="1.1 Écoles", titre="Isoler les écoles",
                sous="Travaux", statut="A discuter", debut="46023",
                indicateurs="Indicateur inconnu"),
        tet_row(titre="Action sans axe", priorite="faible", calendrier="2024"),
        tet_row(axe1="2. Mobilité"),  # an axe without action yet
        tet_row(axe1="3. Eau", axe2="3.1 Captages", axe3="3.1.1 Périmètres",
                titre="Protéger les captages", **{"continue": True}),
    ]


def test_valid_workbook_with_sous_actions_imports_as_tet_has_it(app, tmp_path):
    path = tet_workbook(tmp_path / "tet.xlsx", _valid_rows(),
                        title=["PCAET du Val 2025", None, "Type : PCAET"])
    lecture = plan_import.read(path, nom_fichier="tet.xlsx")
    assert _messages(lecture) == [] and lecture.ignorees == ["Mode d'emploi",
                                                             "Listes déroulantes"]
    [plan] = lecture.plans
    assert (plan.nom, plan.type, plan.source) == ("PCAET du Val 2025", "pcaet", "tet")
    assert [p[-1] for p in plan.axes] == ["1. Bâtiments", "1.1 Écoles", "2. Mobilité", "3. Eau",
                                          "3.1 Captages", "3.1.1 Périmètres"]
    warnings = _messages(lecture, bloquant=False)
    assert any("ligne 4" in w and "« Haut » lu comme « Élevé »" in w for w in warnings)
    with app.app_context():
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == CC))
        bilan = plan_import_apply.apply(lecture, coll, None, "tet.xlsx")
        assert bilan.fiches_creees == 5 and bilan.personnes_creees == ["Jean Extérieur"]
        pcaet = db.session.scalar(select(Plan).where(Plan.nom == "PCAET du Val 2025"))
        assert pcaet.type == "pcaet"
        root, fiches = arbre.load_tree(pcaet)
        assert [n.axe.nom for n in root.children] == ["1. Bâtiments", "2. Mobilité", "3. Eau"]
        assert [f.titre for f in root.fiches] == ["Action sans axe"]
        assert root.children[1].fiches == [] and root.children[1].children == []
        isoler = next(f for f in fiches if f.titre == "Isoler les écoles")
        assert (isoler.statut, isoler.priorite, isoler.participation) == (
            "en_cours", "eleve", "concertation")
        assert (str(isoler.date_debut), str(isoler.date_fin)) == ("2025-01-06", "2027-12-31")
        assert isoler.amelioration_continue is False and isoler.ressources == "Deux agents"
        assert [u.email for u in isoler.pilotes] == ["admin.cc@tet.test"]
        assert [(f.financeur.nom, f.montant) for f in isoler.financeurs] == [
            ("ADEME", Decimal("12500.50")), ("Région", Decimal("3000")),
            ("Département", Decimal("1000"))]
        assert [b.prevu for b in isoler.budgets] == [Decimal("120000")]
        kinds = {(t.kind, t.nom) for t in isoler.tags}
        assert {("elu", "Maire adjoint"), ("structure", "CC du Val"), ("service", "Patrimoine"),
                ("instance", "Comité de pilotage"), ("personne", "Jean Extérieur"),
                ("partenaire", "Région")} <= kinds
        assert [d.nom for d in isoler.indicateurs] == [
            "Émissions de gaz à effet de serre du territoire"]
        sous = {f.titre: f for f in isoler.sous_actions}
        assert set(sous) == {"Audit énergétique", "Travaux"}
        assert sous["Audit énergétique"].statut == "realise"
        assert str(sous["Audit énergétique"].date_fin) == "2025-12-31"  # serial 46022
        assert sous["Travaux"].statut == "a_discuter"
        assert str(sous["Travaux"].date_debut) == "2026-01-01"  # serial in a text cell
        captages = next(f for f in fiches if f.titre == "Protéger les captages")
        assert captages.amelioration_continue is True


def test_without_axes_and_with_fiches_with_and_without_axe(tmp_path):
    rows = [tet_row(titre="Première"), tet_row(titre="Deuxième"),
            tet_row(axe1="Axe 1", titre="Rangée"), tet_row(titre="Après l'axe, sans axe")]
    lecture = plan_import.read(tet_workbook(tmp_path / "a.xlsx", rows[:2]))
    assert _messages(lecture) == [] and lecture.plans[0].axes == []
    assert [f.path for f in lecture.plans[0].fiches] == [(), ()]
    lecture = plan_import.read(tet_workbook(tmp_path / "b.xlsx", rows))
    assert _messages(lecture) == []
    # no carry-over from the row above: an empty axe cell means « no axe »
    assert [(f.titre, f.path) for f in lecture.plans[0].fiches] == [
        ("Première", ()), ("Deuxième", ()), ("Rangée", ("Axe 1",)),
        ("Après l'axe, sans axe", ())]


def test_hint_rows_are_skipped_and_a_data_row_3_is_read(tmp_path):
    two_hints = tet_workbook(tmp_path / "h.xlsx", [HINTS, tet_row(titre="Une action")])
    lecture = plan_import.read(two_hints)
    assert _messages(lecture) == [] and [f.ligne for f in lecture.plans[0].fiches] == [5]
    no_hint = tet_workbook(tmp_path / "n.xlsx", [tet_row(titre="Dès la ligne 3")], hints=False)
    lecture = plan_import.read(no_hint)
    assert [(f.titre, f.ligne) for f in lecture.plans[0].fiches] == [("Dès la ligne 3", 3)]


def test_a_budget_that_is_not_a_number_is_refused_naming_the_action(app, tmp_path):
    rows = [tet_row(axe1="Axe 1", titre="Caméras au parking vélo", budget="Entre 200 et 500"),
            tet_row(axe1="Axe 1", titre="Autre action", m1="12 000", budget="-5")]
    lecture = plan_import.read(tet_workbook(tmp_path / "b.xlsx", rows, sheet="Plan vélo"))
    errors = _messages(lecture)
    assert any("ligne 4" in m and "« Budget prévisionnel total € HT »" in m
               and "Caméras au parking vélo" in m and "Entre 200 et 500" in m for m in errors)
    assert any("ligne 5" in m and "montant sans financeur" in m for m in errors)
    assert any("ligne 5" in m and "montant négatif" in m for m in errors)
    _nothing_written(app, lecture, "Plan vélo")


def _nothing_written(app, lecture, nom):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(FicheAction))
        coll = db.session.scalar(select(Collectivite).where(Collectivite.siren == CC))
        with pytest.raises(ValueError):
            plan_import_apply.apply(lecture, coll, None, "x.xlsx")
        assert db.session.scalar(select(func.count()).select_from(FicheAction)) == before
        assert db.session.scalar(select(Plan).where(Plan.nom == nom)) is None


def test_orphan_sous_actions_are_refused_naming_them(app, tmp_path):
    rows = [tet_row(axe1="Axe 1", titre="Action 1"),
            tet_row(axe1="Axe 1", titre="Action 1", sous="Bien rangée"),
            tet_row(axe1="Axe 2", titre="Action 1", sous="Sous un autre axe"),
            tet_row(axe1="Axe 1", titre="Action absente", sous="Orpheline"),
            tet_row(sous="Sans action du tout")]
    lecture = plan_import.read(tet_workbook(tmp_path / "o.xlsx", rows, sheet="Orphelines"))
    errors = _messages(lecture)
    assert len(errors) == 3
    assert any("ligne 6" in m and "« Sous un autre axe »" in m and "« Action 1 »" in m
               and "« Axe 2 »" in m for m in errors)
    assert any("ligne 7" in m and "« Orpheline »" in m and "« Action absente »" in m
               for m in errors)
    assert any("ligne 8" in m and "« Sans action du tout »" in m for m in errors)
    _nothing_written(app, lecture, "Orphelines")


def test_two_actions_with_one_title_under_one_axe_are_reported(app, tmp_path):
    rows = [tet_row(axe1="Axe 1", titre="Action dupliquée", descriptif="Une"),
            tet_row(axe1="Axe 1", titre="action dupliquée ", descriptif="Deux"),
            tet_row(axe1="Axe 2", titre="Action dupliquée", descriptif="Ailleurs")]
    lecture = plan_import.read(tet_workbook(tmp_path / "d.xlsx", rows, sheet="Doublons"))
    [error] = _messages(lecture)
    assert "ligne 5" in error and "deux actions « action dupliquée » sous l'axe « Axe 1 » " \
        "(lignes 4 et 5)" in error
    assert any("ligne 6" in w and "figure aussi sous l'axe « Axe 1 »" in w
               for w in _messages(lecture, bloquant=False))
    _nothing_written(app, lecture, "Doublons")


@pytest.mark.parametrize("value, expected", [
    (datetime(2025, 3, 4, 0, 0), "2025-03-04"), (46022, "2025-12-31"),
    (46022.0, "2025-12-31"), ("46022", "2025-12-31"), ("04/03/2025", "2025-03-04"),
    ("4/3/2025", "2025-03-04"), ("04-03-2025", "2025-03-04"), ("2025-03-04", "2025-03-04"),
    ("04.03.2025 00:00:00", "2025-03-04"),
])
def test_dates_excel_serial_and_text(value, expected):
    assert str(lire_date(value)) == expected


@pytest.mark.parametrize("value, message", [
    ("03/04", "sans année"), ("01/02/25", "année sur 2 chiffres"),
    ("12/14/2020", "mois avant jour"), ("31/02/2025", "ce jour n'existe pas"),
    (2025, "une année seule"), ("2025", "une année seule"), (12, "est-ce bien une date"),
    ("début 2025", "date illisible"), (-3, "n'est pas une date"),
])
def test_ambiguous_or_impossible_dates_are_reported(value, message):
    with pytest.raises(ValueError, match=message):
        lire_date(value)


def test_dates_are_reported_by_sheet_row_and_column(tmp_path):
    rows = [tet_row(titre="A", debut="03/04", fin="12/14/20")]
    errors = _messages(plan_import.read(tet_workbook(tmp_path / "d.xlsx", rows, sheet="Dates")))
    assert errors == [
        "feuille « Dates », ligne 4, colonne « Date de début » : action « A » : "
        "date « 03/04 » sans année : écrivez-la JJ/MM/AAAA.",
        "feuille « Dates », ligne 4, colonne « Date de fin » : action « A » : "
        "date « 12/14/20 » ambiguë (année sur 2 chiffres) : écrivez-la JJ/MM/AAAA."]


def test_both_formats_are_recognised_by_their_header(tmp_path):
    tet = plan_import.read(tet_workbook(tmp_path / "t.xlsx", [tet_row(titre="A")]))
    assert [p.source for p in tet.plans] == ["tet"]
    # our header (« Sous-sous-axe »), even on row 2 under a type line: our rules
    ours = [h.replace("Sous-sous axe", "Sous-sous-axe") for h in TET]
    rows = [tet_row(axe1="Axe 1", titre="A"), tet_row(titre="A", descriptif="fusionnée")]
    lecture = plan_import.read(tet_workbook(tmp_path / "o.xlsx", rows, title=["Type : PAT"],
                                            header=ours, hints=False, sheet="PAT"))
    assert [(p.source, p.type) for p in lecture.plans] == [("", "pat")]
    assert _messages(lecture) == [] and [f.path for f in lecture.plans[0].fiches] == [("Axe 1",)]
    # TeT's header with a misplaced column: refused, column by column
    swapped = TET[:1] + [TET[2], TET[1]] + TET[3:]
    lecture = plan_import.read(tet_workbook(tmp_path / "s.xlsx", [tet_row(titre="A")],
                                            header=swapped))
    assert lecture.plans == [] and _messages(lecture)[0].startswith(
        "feuille « Fichier d'import », ligne 2, colonne « B » : la colonne B devrait être "
        "« Sous-axe (x.x) » et non « Sous-sous axe (x.x.x) »")


def test_plan_name_and_type_from_title_row_sheet_or_file(tmp_path):
    def plan(**kwargs):
        nom_fichier = kwargs.pop("nom_fichier", "")
        path = tet_workbook(tmp_path / "p.xlsx", [tet_row(titre="A")], **kwargs)
        return plan_import.read(path, nom_fichier=nom_fichier).plans[0]

    assert plan(nom_fichier="Mon plan.xlsx").nom == "Mon plan"  # template's sheet name
    assert plan(sheet="Plan Mobilité 2030").nom == "Plan Mobilité 2030"
    energies = plan(title=["Schéma énergie", "Type : Plan Energies"])
    assert (energies.nom, energies.type) == ("Schéma énergie", "energies")
    assert plan(title=["Type : Autre thématique"]).type == "autre_thematique"
    assert plan(title=["Plan CTE/CRTE du Val"]).type == "crte"
    assert plan().type is None


def test_cli_imports_a_tet_workbook(app, tmp_path):
    path = tet_workbook(tmp_path / "Plan climat.xlsx", _valid_rows())
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import-plans", path, "--collectivite", CC, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "fiches créées : 5" in dry.output and "lu comme « Élevé »" in dry.output
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.nom == "Plan climat")) is None
    assert runner.invoke(args=["import-plans", path, "--collectivite", CC]).exit_code == 0
    again = runner.invoke(args=["import-plans", path, "--collectivite", CC])
    assert "fiches créées : 0, mises à jour : 5" in again.output  # matched, not duplicated
    bad = tet_workbook(tmp_path / "bad.xlsx", [tet_row(titre="B", budget="Entre 200 et 500")])
    failed = runner.invoke(args=["import-plans", bad, "--collectivite", CC])
    assert failed.exit_code != 0 and "action « B »" in failed.output
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.nom == "Plan climat")) is not None
        assert db.session.scalar(select(Plan).where(Plan.nom == "bad")) is None


def test_page_preview_then_confirm_of_a_tet_workbook(app, login_as, tmp_path):
    path = tet_workbook(tmp_path / "tet.xlsx", _valid_rows(), title=["Plan du Val"])
    client = login_as("edition_cc")
    with open(path, "rb") as fh:
        preview = client.post("/admin/import-plans/", data={"fichier": (fh, "tet.xlsx")},
                              content_type="multipart/form-data")
    text = preview.get_data(as_text=True)
    assert "modèle Territoires en Transitions" in text and "5 fiches à créer" in text
    assert "sous-action de « Isoler les écoles »" in text
    assert "indicateur « Indicateur inconnu » introuvable" in text
    token = text.split('name="token" value="')[1].split('"')[0]
    assert client.post("/admin/import-plans/confirmer", data={"token": token}).status_code == 302
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.nom == "Plan du Val"))
        root, _fiches = arbre.load_tree(plan)
        assert [n.axe.nom for n in root.children] == ["1. Bâtiments", "2. Mobilité", "3. Eau"]
    orphan = tet_workbook(tmp_path / "o.xlsx", [tet_row(axe1="A", titre="Absente", sous="S")])
    with open(orphan, "rb") as fh:
        text = client.post("/admin/import-plans/", data={"fichier": (fh, "o.xlsx")},
                           content_type="multipart/form-data").get_data(as_text=True)
    assert "rien ne sera importé" in text and "Confirmer" not in text
    assert "sous-action « S » : son action « Absente »" in text


def test_plan_form_offers_the_types_in_two_families(app, login_as):
    html = login_as("edition_cc").get("/admin/plan/new/").get_data(as_text=True)
    transverses = html.index('<optgroup label="Plans transverses">')
    thematiques = html.index('<optgroup label="Plans thématiques">')
    assert transverses < html.index("Plan climat-air-énergie territorial (PCAET)") < thematiques
    assert thematiques < html.index("Plan énergies (dont TEPOS)")


def test_hostile_tet_workbooks_are_bounded_and_formulas_never_evaluated(tmp_path):
    rows = [tet_row(titre="Formule", budget="=1+1", descriptif="=HYPERLINK(\"http://x\")"),
            tet_row(titre="=A4", objectifs="texte"), tet_row(titre="Suite")]
    lecture = plan_import.read(tet_workbook(tmp_path / "f.xlsx", rows))
    formule = lecture.plans[0].fiches[0]
    assert formule.titre == "Formule" and "budget" not in formule.data
    assert "description" not in formule.data  # a formula's (absent) result, never its text
    assert [str(p) for p in lecture.erreurs] == [
        "feuille « Fichier d'import », ligne 5, colonne « Titre de l'action » : titre de "
        "l'action manquant : la ligne ne peut pas être importée."]
    many = tet_workbook(tmp_path / "m.xlsx", [tet_row(titre=f"A{i}") for i in range(10)])
    with pytest.raises(ClasseurRefuse, match="trop de lignes"):
        plan_import.read(many, Limites(lignes=8))
