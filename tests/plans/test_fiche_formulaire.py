"""The fiche form: essentials first, folded sections opened by their errors, help and
errors tied to their fields, pickers that work without JavaScript (a plain multi-select
plus « autres » names), and the names endpoint of the Select2 boxes, scoped."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.formulaires import with_version
from tests.plan_helpers import fiche_id
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import FicheAction, Tag

CC, VILLE = "200099901", "216890103"
CYCLABLE = "Réaliser le schéma directeur cyclable"


def _sections(html: str) -> dict[str, bool]:
    """{section title: open?}"""
    found = re.findall(r'<details class="card mb-3 tet-section"[^>]*?( open)?>\s*'
                       r'<summary[^>]*>([^<]+)', html)
    return {title.strip(): bool(opened) for opened, title in found}


def _tag(app, siren, kind, nom):
    with app.app_context():
        cid = db.session.scalar(select(Collectivite.id).where(Collectivite.siren == siren))
        db.session.add(Tag(collectivite_id=cid, kind=kind, nom=nom))
        db.session.commit()


def test_essentials_first_and_other_sections_folded(app, login_as):
    html = login_as("edition_cc").get("/admin/fiche/new/").get_data(as_text=True)
    sections = _sections(html)
    assert list(sections)[0] == "L’essentiel" and sections["L’essentiel"]
    assert not any(opened for title, opened in sections.items() if title != "L’essentiel")
    essentiel = html.split('<details class="card mb-3 tet-section"')[1].split("</details>")[0]
    for name in ("titre", "statut", "pilote_ids", "date_debut", "date_fin"):
        assert f'id="{name}"' in essentiel
    # every field has its label
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        if field_id in ("csrf_token",) or "-" in field_id and field_id.split("-")[0] in (
                "financeurs", "budgets"):
            continue
        assert f'for="{field_id}"' in html, field_id


def test_error_opens_its_section_and_is_tied_to_its_field(app, login_as):
    response = login_as("edition_cc").post("/admin/fiche/new/", data={
        "titre": "Une fiche", "statut": "a_venir", "priorite": "", "parent_id": "",
        "temps_mise_en_oeuvre": "", "participation": "",
        "budgets-0-nature": "investissement", "budgets-0-unite": "eur_ht",
        "budgets-0-prevu": "-5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    sections = _sections(html)
    assert sections["Budget et financeurs"] and not sections["Acteurs"]
    assert "1 erreur" in html.split("Budget et financeurs")[1][:200]
    field = re.search(r'<input[^>]*id="budgets-0-prevu"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="budgets-0-prevu-erreur"' in field
    assert 'id="budgets-0-prevu-erreur"' in html and "positif" in html
    # a missing title: the essentials hold the error, tied to the field
    html = login_as("edition_cc").post("/admin/fiche/new/", data={
        "titre": "", "statut": "a_venir"}).get_data(as_text=True)
    titre = re.search(r'<input[^>]*id="titre"[^>]*>', html).group(0)
    assert 'aria-describedby="titre-erreur"' in titre
    assert re.search(r'id="titre-erreur"[^>]*>Ce champ est obligatoire', html)


def test_pickers_work_without_javascript(app, login_as):
    _tag(app, CC, "service", "Service des sports")
    client = login_as("edition_cc")
    fid = fiche_id(app, CYCLABLE)
    html = client.get(f"/admin/fiche/edit/?id={fid}").get_data(as_text=True)
    service = re.search(r'<select[^>]*id="service".*?</select>', html, re.S).group(0)
    assert "multiple" in service and ">Service des sports</option>" in service
    assert 'id="service-autres" name="service"' in html
    assert re.search(r'<select[^>]*id="pilote_ids"[^>]*multiple', html)
    with app.app_context():
        fiche = db.session.get(FicheAction, fid)
        data = {"titre": fiche.titre, "statut": fiche.statut, "priorite": "",
                "temps_mise_en_oeuvre": "", "participation": "", "parent_id": "",
                "pilote_ids": [str(u.id) for u in fiche.pilotes]}
    # chosen in the list, and typed in « autres » (comma-separated): both kept
    data["service"] = ["Service des sports", "Service jeunesse, Service culture "]
    assert client.post(f"/admin/fiche/edit/?id={fid}", data=with_version(
        app, FicheAction, fid, data)).status_code == 302
    with app.app_context():
        names = sorted(t.nom for t in db.session.get(FicheAction, fid).tags
                       if t.kind == "service")
    assert names == ["Service culture", "Service des sports", "Service jeunesse"]


def test_names_endpoint_is_scoped(app, login_as):
    _tag(app, CC, "partenaire", "ADEME Grand Est")
    _tag(app, VILLE, "partenaire", "ADEME de la Ville")
    cc = login_as("edition_cc").get("/admin/fiche/noms/partenaire?q=ademe").get_json()
    cc = [r["text"] for r in cc["results"]]
    assert "ADEME Grand Est" in cc and "ADEME de la Ville" not in cc
    ville = login_as("admin_ville").get("/admin/fiche/noms/partenaire?q=ademe").get_json()
    ville = [r["text"] for r in ville["results"]]
    assert "ADEME de la Ville" in ville and "ADEME Grand Est" not in ville
    fid = fiche_id(app, CYCLABLE)
    assert login_as("admin_ville").get(
        f"/admin/fiche/noms/partenaire?fiche={fid}").status_code == 404
    assert login_as("lecture_cc").get("/admin/fiche/noms/partenaire").status_code == 403
    assert login_as("edition_cc").get("/admin/fiche/noms/mot_de_passe").status_code == 404
    # pages of 20, « more » while there are
    with app.app_context():
        cid = db.session.scalar(select(Collectivite.id).where(Collectivite.siren == CC))
        db.session.add_all([Tag(collectivite_id=cid, kind="financeur", nom=f"Fonds test {i:02}")
                            for i in range(25)])
        db.session.commit()
    client = login_as("edition_cc")
    first = client.get("/admin/fiche/noms/financeur?q=fonds%20test%20").get_json()
    second = client.get("/admin/fiche/noms/financeur?q=fonds%20test&page=2").get_json()
    assert len(first["results"]) == 20 and first["more"]
    assert len(second["results"]) == 5 and not second["more"]
    assert client.get("/admin/fiche/noms/financeur?q=100%25").get_json()["results"] == []


def test_long_forms_are_marked(app, login_as):
    page = login_as("admin_cc").get("/admin/import-plans/").get_data(as_text=True)
    assert re.search(r"<form[^>]*data-long", page)
    page = login_as("support").get("/admin/exports-partenaires/").get_data(as_text=True)
    assert 'data-long="telechargement"' in page


def test_new_fiche_is_filed_from_the_essentials(app, login_as):
    from tet.plans.models import Axe, Plan, fiche_axe

    with app.app_context():
        axe = db.session.scalar(select(Axe).where(Axe.nom == "1.1 Bâtiments publics"))
        ville_axe = db.session.scalar(select(Axe.id).join(Plan).join(
            Collectivite, Collectivite.id == Plan.collectivite_id).where(
            Collectivite.siren == VILLE))
        axe_id = axe.id
    client = login_as("edition_cc")
    page = client.get("/admin/fiche/new/").get_data(as_text=True)
    essentiel = page.split('<details class="card mb-3 tet-section"')[1].split("</details>")[0]
    assert 'id="axe_id"' in essentiel and "1.1 Bâtiments publics" in essentiel
    base = {"titre": "Rangée dès sa création", "statut": "a_venir", "priorite": "",
            "temps_mise_en_oeuvre": "", "participation": "", "parent_id": ""}
    assert client.post("/admin/fiche/new/", data={**base, "axe_id": str(axe_id)}
                       ).status_code == 302
    refused = client.post("/admin/fiche/new/", data={**base, "titre": "Ailleurs",
                                                      "axe_id": str(ville_axe)})
    assert refused.status_code == 200 and 'aria-describedby="axe_id-aide axe_id-erreur"' in \
        refused.get_data(as_text=True)
    with app.app_context():
        fid = fiche_id(app, "Rangée dès sa création")
        assert db.session.scalar(select(fiche_axe.c.axe_id).where(
            fiche_axe.c.fiche_id == fid)) == axe_id
        assert fiche_id(app, "Ailleurs") is None
    edit = client.get(f"/admin/fiche/edit/?id={fid}").get_data(as_text=True)
    assert 'id="axe_id"' not in edit and "Ranger la fiche dans les plans" in edit
