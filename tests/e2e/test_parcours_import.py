"""Journey 4: an admin imports a plan workbook (built here from the import columns), sees
the preview with one error, fixes it, imports, then downloads the plan's export and finds the
imported fiches in it."""
from __future__ import annotations

import openpyxl

from tests.e2e.parcours import accessibilite, fin, flash, se_connecter, soumettre, texte
from tet.plans.format import COLUMNS, FIRST_ROW, type_line

PARCOURS = "4-import"
PLAN = "PCAET du parcours"
FICHES = [
    {"axe1": "1. Bâtiments", "axe2": "1.1 Écoles", "titre": "Isoler le groupe scolaire",
     "statut": "En cours", "priorite": "Élevé", "date_fin": "30/06/2027"},
    {"axe1": "1. Bâtiments", "axe2": "1.2 Mairie", "titre": "Passer la mairie en LED",
     "statut": "À venir", "budget": 12000},
    {"axe1": "2. Mobilité", "titre": "Créer une vélo-école", "statut": "Terminé"},  # wrong
]


def _classeur(path, fiches):
    """A workbook as the downloadable template lays it out: type line, header, rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PLAN
    ws.cell(row=1, column=1, value=type_line("pcaet"))
    keys = [key for _header, _width, key in COLUMNS]
    for col, (header, _width, _key) in enumerate(COLUMNS, start=1):
        ws.cell(row=FIRST_ROW + 1, column=col, value=header)
    for line, fiche in enumerate(fiches, start=FIRST_ROW + 2):
        for key, value in fiche.items():
            ws.cell(row=line, column=keys.index(key) + 1, value=value)
    wb.save(path)
    return str(path)


def _deposer(page, path):
    page.set_input_files("#fichier", path)
    soumettre(page, page.get_by_role("button", name="Vérifier (aperçu)"))


def test_importer_un_classeur_corrige_puis_l_exporter(server, browser, tmp_path):
    page = se_connecter(browser, server, "admin.cc@tet.test", path="/admin/import-plans/")
    accessibilite(page, PARCOURS, "import")

    # first upload: one error, nothing can be confirmed
    _deposer(page, _classeur(tmp_path / "plan.xlsx", FICHES))
    erreurs = page.locator("tr.table-danger")
    assert erreurs.count() == 1
    assert "Terminé" in texte(erreurs) and "Statut" in texte(erreurs)
    assert "rien ne sera importé" in texte(page)
    assert page.get_by_role("button", name="Confirmer l'import").count() == 0
    accessibilite(page, PARCOURS, "aperçu avec une erreur")

    # the fixed workbook: a clean preview, then the import
    corrige = [*FICHES[:2], {**FICHES[2], "statut": "Réalisé"}]
    _deposer(page, _classeur(tmp_path / "plan-corrige.xlsx", corrige))
    assert page.locator("tr.table-danger").count() == 0
    assert PLAN in texte(page)
    accessibilite(page, PARCOURS, "aperçu sans erreur")
    soumettre(page, page.get_by_role("button", name="Confirmer l'import"))
    assert "Import terminé" in flash(page)

    # the plan's tree, then its export
    soumettre(page, page.get_by_role("link", name=PLAN, exact=True).first)
    if not page.url.rstrip("/").endswith("/arbre"):
        page.goto(page.url.split("?")[0].rstrip("/") + "/arbre")
    for fiche in corrige:
        assert page.locator("li.tet-fiche", has_text=fiche["titre"]).count() == 1
    with page.expect_download() as attente:
        page.get_by_role("link", name="Exporter (Excel)").click()
    telecharge = tmp_path / attente.value.suggested_filename
    attente.value.save_as(telecharge)
    assert telecharge.suffix == ".xlsx"
    export = openpyxl.load_workbook(telecharge, read_only=True)
    cellules = {str(c) for ws in export.worksheets for r in ws.iter_rows(values_only=True)
                for c in r if c is not None}
    for fiche in corrige:
        assert fiche["titre"] in cellules, fiche["titre"]
    assert {"1. Bâtiments", "1.1 Écoles", "2. Mobilité", "Réalisé"} <= cellules
    fin(page, PARCOURS)
