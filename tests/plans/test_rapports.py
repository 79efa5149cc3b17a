"""A plan's bilan (PDF, Word, PowerPoint) and its fiches as PDF: read back, they hold the
plan's fiches and figures, respect the options, and nothing of another collectivité."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import flashes
from tests.rapports_lecture import docx_texte, pdf_infos, pdf_texte, pptx_diapos
from tests.sql_spy import sql_sent
from tet.extensions import db
from tet.plans import agregats
from tet.plans.models import Axe, FicheAction, Plan, fiche_axe
from tet.rapports.format import date_longue

PCAET = "PCAET 2024-2030"


def _plan(app, nom=PCAET) -> dict:
    """The plan's id, its live fiches' titles by statut, its top-level axes."""
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.nom == nom))
        racine = db.session.scalar(select(Axe.id).where(Axe.plan_id == plan.id,
                                                        Axe.parent_id.is_(None)))
        fiches = db.session.execute(
            select(FicheAction.titre, FicheAction.statut).join(
                fiche_axe, fiche_axe.c.fiche_id == FicheAction.id)
            .join(Axe, Axe.id == fiche_axe.c.axe_id)
            .where(Axe.plan_id == plan.id, FicheAction.deleted_at.is_(None),
                   FicheAction.collectivite_id == plan.collectivite_id).distinct()).all()
        axes = db.session.execute(select(Axe.id, Axe.nom).where(Axe.parent_id == racine)
                                  .order_by(Axe.position)).all()
        return {"id": plan.id, "coll": plan.collectivite_id, "fiches": fiches, "axes": axes}


@pytest.fixture
def etranger(app):
    """A confidential fiche of Ville d'Exemple filed (wrongly) under a PCAET axe: no report
    of the CC may show it."""
    info = _plan(app)
    with app.app_context():
        ville = db.session.scalar(select(Plan).where(Plan.nom == "Projet alimentaire territorial"))
        f = FicheAction(collectivite_id=ville.collectivite_id, titre="Secret de la Ville",
                        statut="en_cours", confidentiel=True)
        db.session.add(f)
        db.session.flush()
        db.session.execute(fiche_axe.insert().values(fiche_id=f.id, axe_id=info["axes"][0][0]))
        agregats.sync_plan(info["id"])
        db.session.commit()
    return "Secret de la Ville"


def test_bilan_pdf_reads_back_with_cover_figures_and_tree(app, login_as, etranger):
    info = _plan(app)
    client = login_as("lecture_cc")
    r = client.get(f"/admin/rapports/plan/{info['id']}")  # no format: the form
    form = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="bilans"' in form and "data-long" in form
    assert 'name="axe"' in form and 'value="pptx"' in form and 'name="statut"' in form
    r = client.get(f"/admin/rapports/plan/{info['id']}?format=pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    assert "no-store" in r.headers["Cache-Control"]
    texte = pdf_texte(r.data)
    assert PCAET in texte and "CC du Val Démo" in texte
    assert f"Au {date_longue(date.today())}" in texte
    assert "Chiffres clés" in texte and "Fiches par statut" in texte
    assert "Avancement par axe" in texte and "Fiches en retard" in texte
    assert f"{len(info['fiches'])} fiches action" in texte
    for titre, _statut in info["fiches"]:
        assert titre in texte
    assert etranger not in texte
    infos = pdf_infos(r.data)
    assert infos["Tagged"] == "yes" and infos["Title"] == f"Bilan — {PCAET}"
    assert infos["Author"] == "CC du Val Démo"


def test_html_of_the_pdf_is_french_and_titled(app):
    from tet.plans.rapports import donnees, pdf, selection
    from tet.comptes.permissions import Acteur

    info = _plan(app)
    with app.test_request_context():
        plan = db.session.get(Plan, info["id"])
        support = Acteur(None)
        support_user = type("U", (), {"is_support": True})()
        support.user = support_user
        b = donnees.bilan(plan, selection.selection(plan, support), selection.Options())
        html = pdf.html_bilan(b, {"statut": "", "axes": ["" for _ in b.chiffres.par_axe]})
    assert '<html lang="fr">' in html and f"<title>Bilan — {PCAET}</title>" in html


def test_statut_and_sections_options_in_word(app, login_as, etranger):
    info = _plan(app)
    realisees = {t for t, s in info["fiches"] if s == "realise"}
    autres = {t for t, s in info["fiches"] if s != "realise"}
    r = login_as("edition_cc").get(f"/admin/rapports/plan/{info['id']}?format=docx"
                                   f"&section=chiffres&section=arbre&statut=realise")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    doc, texte = docx_texte(r.data)
    assert doc.core_properties.title == f"Bilan — {PCAET}"
    assert doc.core_properties.language == "fr-FR"
    assert doc.styles["Normal"].element.rPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang") is not None
    assert "Chiffres clés" in texte and "Plan détaillé" in texte
    assert "Fiches en retard" not in texte  # section left out
    assert "statuts Réalisé" in texte
    assert realisees and all(t in texte for t in realisees)
    assert not any(t in texte for t in autres) and etranger not in texte
    assert doc.inline_shapes[0]._inline.docPr.get("descr").startswith("Fiches par statut")


def test_axe_option_and_powerpoint(app, login_as, etranger):
    info = _plan(app)
    (axe_id, axe_nom), *others = info["axes"]
    r = login_as("admin_cc").get(f"/admin/rapports/plan/{info['id']}?format=pptx")
    assert r.status_code == 200 and r.mimetype.endswith("presentationml.presentation")
    prs, diapos = pptx_diapos(r.data)
    assert len(diapos) == 2 + len(info["axes"])  # title, figures, one per axe
    assert PCAET in diapos[0] and "CC du Val Démo" in diapos[0]
    assert "Chiffres clés" in diapos[1] and f"{len(info['fiches'])}" in diapos[1]
    assert any(shape.has_chart for shape in prs.slides[1].shapes)
    assert [d.split(" ")[0] for d in diapos[2:]] == [n.split(" ")[0] for _i, n in info["axes"]]
    assert prs.core_properties.language == "fr-FR" and etranger not in " ".join(diapos)
    r = login_as("admin_cc").get(f"/admin/rapports/plan/{info['id']}?format=pptx&axe={axe_id}")
    _prs, diapos = pptx_diapos(r.data)
    assert len(diapos) == 3 and axe_nom in diapos[2] and f"« {axe_nom} »" in diapos[0]


def test_fiches_batch_and_single_fiche_pdf(app, login_as, etranger):
    info = _plan(app)
    en_cours = sorted(t for t, s in info["fiches"] if s == "en_cours")
    client = login_as("lecture_cc")
    r = client.get(f"/admin/rapports/plan/{info['id']}?format=fiches&statut=en_cours")
    assert r.status_code == 200
    texte = pdf_texte(r.data)
    assert all(t in texte for t in en_cours) and etranger not in texte
    assert int(pdf_infos(r.data)["Pages"]) >= len(en_cours)  # each fiche from a new page
    assert not any(t in texte for t, s in info["fiches"] if s == "realise")
    with app.app_context():
        fid = db.session.scalar(select(FicheAction.id).where(FicheAction.titre == en_cours[0]))
    r = client.get(f"/admin/rapports/fiche/{fid}")
    texte = pdf_texte(r.data)
    assert r.status_code == 200 and en_cours[0] in texte and PCAET in texte
    assert int(pdf_infos(r.data)["Pages"]) <= 2
    assert login_as("admin_ville").get(f"/admin/rapports/fiche/{fid}").status_code == 404


ROLES = {"support": 200, "admin_cc": 200, "edition_cc": 200, "lecture_cc": 200,
         "admin_ville": 404, "opsn_admin": 404}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_who_may_download(app, login_as, role):
    info = _plan(app)
    with app.app_context():
        fid = db.session.scalar(select(func.min(FicheAction.id)).where(
            FicheAction.collectivite_id == info["coll"]))
    client = login_as(role)
    for url in (f"/admin/rapports/plan/{info['id']}?format=pptx",
                f"/admin/rapports/plan/{info['id']}?format=fiches&statut=bloque",
                f"/admin/rapports/fiche/{fid}"):
        assert client.get(url).status_code == ROLES[role], url
    assert client.get("/admin/rapports/plan/2147483647").status_code == 404


def test_anonymous_is_sent_to_login(client, app):
    r = client.get(f"/admin/rapports/plan/{_plan(app)['id']}?format=pdf")
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]


def test_bad_options_and_too_many_fiches_say_so_in_french(app, login_as, monkeypatch):
    from tet.plans.rapports import selection

    info = _plan(app)
    ville_axe = _plan(app, "Projet alimentaire territorial")["axes"][0][0]
    client = login_as("admin_cc")
    base = f"/admin/rapports/plan/{info['id']}"
    for query, message in (("format=xls", "Format de rapport inconnu"),
                           ("format=pdf&statut=fini", "Statut inconnu"),
                           (f"format=docx&axe={ville_axe}", "Axe inconnu"),
                           ("format=pdf&axe=abc", "Axe inconnu"),
                           ("format=pdf&section=annexes", "Section inconnue")):
        r = client.get(f"{base}?{query}")
        assert r.status_code == 302 and r.headers["Location"].endswith(base), query
        assert any(message in m for m in flashes(client.get(r.headers["Location"]))), query
    monkeypatch.setitem(selection.SEUILS, "pdf", 5)
    r = client.get(f"{base}?format=pdf")
    assert r.status_code == 302
    messages = flashes(client.get(r.headers["Location"]))
    assert any(f"compterait {len(info['fiches'])} fiches" in m and "Choisissez des statuts"
               in m for m in messages)
    assert client.get(f"{base}?format=pdf&statut=abandonne").status_code == 200  # filtered


def test_plan_fiche_and_maturity_pages_offer_the_reports(app, login_as):
    info = _plan(app)
    client = login_as("lecture_cc")
    page = client.get(f"/admin/plan/{info['id']}/arbre").get_data(as_text=True)
    assert f'href="/admin/rapports/plan/{info["id"]}"' in page
    with app.app_context():
        fid = db.session.scalar(select(func.min(FicheAction.id)).where(
            FicheAction.collectivite_id == info["coll"]))
    assert f"/admin/rapports/fiche/{fid}" in client.get(f"/admin/fiche/{fid}").get_data(
        as_text=True)
    assert "/admin/rapport-maturite/?c=" in client.get("/admin/maturite/").get_data(
        as_text=True)


def test_bilan_data_costs_the_same_queries_whatever_the_plan(app):
    """One query per kind of data: the PCAET (38 fiches) and the CRTE cost alike."""
    from tet.comptes.permissions import Acteur
    from tet.plans.rapports import donnees, selection

    counts = []
    for nom in (PCAET, "CRTE du Val Démo"):
        pid = _plan(app, nom)["id"]
        with app.app_context():
            plan = db.session.get(Plan, pid)
            plan.collectivite.nom  # noqa: B018 - loaded before counting
            a = Acteur(type("U", (), {"is_support": True})())
            with sql_sent(app) as sent:
                b = donnees.bilan(plan, selection.selection(plan, a), selection.Options())
            assert b.details
            counts.append(len(sent))
    assert counts[0] == counts[1] and counts[0] <= 15
