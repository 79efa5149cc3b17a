"""Plans and fiches through the back-office, as their users work with them."""
from __future__ import annotations

import io

from sqlalchemy import select

from tests.formulaires import with_version
from tests.plan_helpers import axe_id, fiche, fiche_id, plan_id
from tet.extensions import db
from tet.plans.models import Document, FicheAction
from tet.plans import arbre

PCAET, CRTE = "PCAET 2024-2030", "CRTE du Val Démo"
ECOLES = "Rénover l'isolation des écoles communautaires"


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_tree_page_shows_axes_fiches_statuts_and_pilotes(app, login_as):
    page = _text(login_as("lecture_cc").get(f"/admin/plan/{plan_id(app, PCAET)}/arbre"))
    assert "1.1 Bâtiments publics" in page and ECOLES.replace("'", "&#39;") in page
    assert "En cours" in page and "échéance" in page
    assert "Ajouter un axe" not in page  # lecture: no editing tools


def test_fiche_rangee_twice_is_edited_once(app, login_as):
    client = login_as("edition_cc")
    fid = fiche_id(app, "Créer un atlas de la biodiversité intercommunale")
    client.post(f"/admin/fiche/{fid}/ranger", data=with_version(app, FicheAction, fid, {
        "axe_ids": [axe_id(app, "4.2 Biodiversité et agriculture"),
                    axe_id(app, "Transition énergétique")]}))
    data = {"titre": "Atlas de la biodiversité (ABC)", "statut": "realise", "priorite": "",
            "temps_mise_en_oeuvre": "", "participation": "", "parent_id": ""}
    assert client.post(f"/admin/fiche/edit/?id={fid}", data=with_version(
        app, FicheAction, fid, data)).status_code == 302
    for plan in (PCAET, CRTE):
        assert "Atlas de la biodiversité (ABC)" in _text(
            client.get(f"/admin/plan/{plan_id(app, plan)}/arbre"))
    page = _text(client.get(f"/admin/fiche/{fid}"))
    assert "CRTE du Val Démo" in page and "PCAET 2024-2030" in page


def test_delete_axe_keeps_fiches(app, login_as):
    client = login_as("admin_cc")
    pid = plan_id(app, PCAET)
    fid = fiche_id(app, ECOLES)
    client.post(f"/admin/plan/{pid}/axe", data={"op": "supprimer",
                                               "axe_id": axe_id(app, "1. Sobriété et efficacité énergétique")})
    assert "1.1 Bâtiments publics" not in _text(client.get(f"/admin/plan/{pid}/arbre"))
    assert fiche(app, fid).deleted_at is None
    assert "CRTE du Val Démo" in _text(client.get(f"/admin/fiche/{fid}"))  # other place kept


def test_axe_operations_through_forms(app, login_as):
    client = login_as("edition_cc")
    pid = plan_id(app, PCAET)
    mob = axe_id(app, "2. Mobilités durables")
    client.post(f"/admin/plan/{pid}/axe", data={"op": "monter", "axe_id": mob})
    client.post(f"/admin/plan/{pid}/axe", data={"op": "ajouter", "nom": "5. Gouvernance"})
    cycle = client.post(f"/admin/plan/{pid}/axe", follow_redirects=True, data={
        "op": "deplacer", "axe_id": mob, "cible": axe_id(app, "2.1 Modes actifs")})
    assert "sous lui-même" in _text(cycle)
    with app.app_context():
        plan = db.session.get(arbre.Plan, pid)
        names = [a.nom for a in arbre.siblings(pid, arbre.root_of(plan).id)]
    assert names == ["2. Mobilités durables", "1. Sobriété et efficacité énergétique",
                     "3. Énergies renouvelables", "4. Adaptation et ressources",
                     "5. Gouvernance"]


def test_lecture_cannot_change_anything(app, login_as):
    client = login_as("lecture_cc")
    pid, fid = plan_id(app, PCAET), fiche_id(app, ECOLES)
    refused = [
        client.post(f"/admin/plan/{pid}/axe", data={"op": "ajouter", "nom": "X"}),
        client.get(f"/admin/fiche/edit/?id={fid}"),
        client.post(f"/admin/fiche/edit/?id={fid}", data={"titre": "X", "statut": "realise"}),
        client.post(f"/admin/fiche/{fid}/ranger", data={"axe_ids": []}),
        client.post(f"/admin/fiche/{fid}/notes", data={"texte": "X"}),
        client.post(f"/admin/fiche/{fid}/documents", data={"nom": "x", "url": "https://x.fr"}),
        client.post("/admin/fiche/delete/", data={"id": fid}),
        client.get("/admin/fiche/new/"),
        client.get("/admin/corbeille/"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    f = fiche(app, fid)
    assert f.titre == ECOLES and f.deleted_at is None


def test_confidential_fiche_is_invisible_to_other_collectivites(app, login_as):
    secret = "Étudier la méthanisation des effluents agricoles"
    fid = fiche_id(app, secret)
    client = login_as("admin_ville")
    pages = [client.get("/admin/inspiration/"),
             client.get("/admin/inspiration/?q=méthanisation"),
             client.get("/admin/fiche/"), client.get("/admin/fiche/?search=méthanisation"),
             client.get("/admin/fiche/export/csv/")]
    for response in pages:
        assert "effluents agricoles" not in _text(response)
    assert "0 fiche" in _text(pages[1])
    assert client.get(f"/admin/inspiration/{fid}").status_code == 404
    assert client.get(f"/admin/fiche/{fid}").status_code == 404
    # its own collectivité sees it
    assert "effluents agricoles" in _text(
        login_as("lecture_cc").get("/admin/fiche/?search=méthanisation"))


def test_inspiration_copies_into_own_plan(app, login_as):
    client = login_as("admin_ville")
    source = fiche_id(app, ECOLES)
    page = _text(client.get("/admin/inspiration/?q=isolation"))
    assert "CC du Val Démo" in page
    target = axe_id(app, "Restauration collective")
    response = client.post(f"/admin/inspiration/{source}/copier", data={"axe_id": target})
    assert response.status_code == 302
    with app.app_context():
        copies = db.session.scalars(select(FicheAction).where(
            FicheAction.titre == ECOLES)).all()
        assert len(copies) == 2
        copy = next(c for c in copies if c.id != source)
        assert copy.collectivite_id != fiche(app, source).collectivite_id
        assert copy.statut == "a_venir"
        assert [a.id for a in arbre.places(copy)] == [target]


def test_lecture_cannot_copy(app, login_as):
    response = login_as("lecture_cc").post(
        f"/admin/inspiration/{fiche_id(app, 'Créer une légumerie municipale')}/copier",
        data={"axe_id": axe_id(app, "Transition énergétique")})
    assert response.status_code == 403


def test_corbeille_soft_delete_and_restore(app, login_as):
    fid = fiche_id(app, ECOLES)
    login_as("edition_cc").post("/admin/fiche/delete/", data={"id": fid})
    assert fiche(app, fid).deleted_at is not None
    admin = login_as("admin_cc")
    assert ECOLES.replace("'", "&#39;") not in _text(
        admin.get(f"/admin/plan/{plan_id(app, PCAET)}/arbre"))
    assert ECOLES.replace("'", "&#39;") in _text(admin.get("/admin/corbeille/"))
    assert login_as("admin_ville").post(f"/admin/corbeille/restaurer/fiche/{fid}").status_code == 404
    admin.post(f"/admin/corbeille/restaurer/fiche/{fid}")
    assert fiche(app, fid).deleted_at is None
    assert ECOLES.replace("'", "&#39;") in _text(
        admin.get(f"/admin/plan/{plan_id(app, PCAET)}/arbre"))


def test_deleted_plan_goes_to_corbeille_and_keeps_fiches(app, login_as):
    pid = plan_id(app, CRTE)
    admin = login_as("admin_cc")
    admin.post("/admin/plan/delete/", data={"id": pid})
    assert admin.get(f"/admin/plan/{pid}/arbre").status_code == 404
    assert fiche(app, fiche_id(app, ECOLES)).deleted_at is None
    admin.post(f"/admin/corbeille/restaurer/plan/{pid}")
    assert admin.get(f"/admin/plan/{pid}/arbre").status_code == 200


def test_non_classees_lists_fiches_filed_nowhere(app, login_as):
    page = _text(login_as("lecture_cc").get("/admin/fiche/non-classees"))
    assert "tiers-lieu" in page and "Chaufferie" not in page
    assert "écoles communautaires" not in page


def test_upload_checks_size_and_type_and_leaves_nothing(app, login_as, tmp_path):
    app.config["DOCUMENTS_FOLDER"] = str(tmp_path)
    app.config["DOCUMENT_MAX_BYTES"] = 1024
    try:
        client = login_as("edition_cc")
        fid = fiche_id(app, ECOLES)
        cases = [("rapport.exe", b"MZ" + b"0" * 10, "Type de fichier refusé"),
                 ("gros.pdf", b"%PDF-" + b"0" * 2000, "trop volumineux"),
                 ("faux.pdf", b"<html>pas un pdf</html>", "ne correspond pas"),
                 ("../../evil.txt", b"bonjour", None)]
        for name, content, message in cases:
            response = client.post(f"/admin/fiche/{fid}/documents", follow_redirects=True,
                                   data={"fichier": (io.BytesIO(content), name)},
                                   content_type="multipart/form-data")
            if message:
                assert message in _text(response)
        with app.app_context():
            docs = db.session.scalars(select(Document)).all()
        assert [d.nom for d in docs] == ["evil.txt"]  # the path is stripped
        assert [p.name for p in tmp_path.iterdir()] == [docs[0].stored_name]
        download = client.get(f"/admin/fiche/{fid}/documents/{docs[0].id}")
        assert download.data == b"bonjour"
        download.close()
        assert login_as("admin_ville").get(
            f"/admin/fiche/{fid}/documents/{docs[0].id}").status_code == 404
    finally:
        app.config["DOCUMENTS_FOLDER"] = None
        app.config["DOCUMENT_MAX_BYTES"] = 10 * 1024 * 1024


def test_declinaison_rollup_and_permissions(app, login_as):
    supra = fiche_id(app, ECOLES)
    member = fiche_id(app, "Rénover l'isolation de l'école élémentaire de Valbourg")
    page = _text(login_as("lecture_cc").get(f"/admin/fiche/{supra}"))
    assert "Commune de Valbourg" in page and "Déclinaisons (1)" in page
    # the CC side sees the title but cannot open the member's fiche
    assert f'href="/admin/fiche/{member}"' not in page
    assert login_as("admin_cc").get(f"/admin/fiche/{member}").status_code == 404


def test_fiche_form_validates_in_french(app, login_as):
    client = login_as("edition_cc")
    response = client.post("/admin/fiche/new/", data={
        "titre": "x" * 301, "statut": "en_cours", "date_debut": "2025-05-01",
        "date_fin": "2025-01-01", "financeurs-0-nom": "ADEME", "financeurs-0-montant": "-5"})
    text = _text(response)
    assert "300 caractères" in text
    assert "La date de fin ne peut pas précéder la date de début." in text
    assert "Le montant doit être positif ou nul." in text
    with app.app_context():
        assert db.session.scalar(select(FicheAction).where(
            FicheAction.titre == "x" * 301)) is None


def test_create_fiche_under_an_axe_with_tags_created_on_the_fly(app, login_as):
    client = login_as("edition_cc")
    target = axe_id(app, "2.1 Modes actifs")
    response = client.post(f"/admin/fiche/new/?axe={target}", data={
        "titre": "Créer une vélo-école", "statut": "a_venir", "priorite": "moyen",
        "service": "Service sports, Service mobilités", "partenaire": "Association Vélo Val",
        "cibles": ["scolaire"], "financeurs-0-nom": "Région Grand Est",
        "financeurs-0-montant": "12000", "budgets-0-nature": "investissement",
        "budgets-0-unite": "eur_ht", "budgets-0-annee": "2025", "budgets-0-prevu": "15000"})
    assert response.status_code == 302
    with app.app_context():
        f = db.session.scalar(select(FicheAction).where(FicheAction.titre == "Créer une vélo-école"))
        assert [a.id for a in arbre.places(f)] == [target]
        assert sorted(t.nom for t in f.tags if t.kind == "service") == [
            "Service mobilités", "Service sports"]
        assert f.financeurs[0].financeur.nom == "Région Grand Est"
        assert float(f.financeurs[0].montant) == 12000
        assert f.budgets[0].annee == 2025 and f.cibles == ["scolaire"]


def test_an_upload_over_the_request_limit_gets_a_french_page(app, login_as):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    try:
        response = login_as("edition_cc").post(
            f"/admin/fiche/{fiche_id(app, ECOLES)}/documents",
            data={"fichier": (io.BytesIO(b"%PDF-" + b"0" * 5000), "gros.pdf")},
            content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 12 * 1024 * 1024
    assert response.status_code == 413
    assert "Fichier trop volumineux" in _text(response)
