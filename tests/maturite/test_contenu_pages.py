"""The v2 content where people read it: a question's help and legal basis, « Non concerné »
as an ordinary answer, a recommendation as a DSI reads it (v1 ones still render), the
plan d'action's cost bounded, the PDF report, and the copy made by a new version."""
from __future__ import annotations

import html

from sqlalchemy import select

from tests.maturite.test_questionnaire import _answer
from tests.rapports_lecture import pdf_texte
from tests.sql_spy import sql_sent
from tet.comptes.models import Collectivite
from tet.extensions import db
from tet.maturite import questionnaire as maturite
from tet.maturite import versions
from tet.maturite.models import Question, Recommandation, echelle


def _text(r) -> str:
    return html.unescape(r.get_data(as_text=True))


def _reco_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Recommandation.id).where(Recommandation.code == code))


def test_question_shows_its_help_and_legal_basis(login_as):
    page = _text(login_as("lecture_cc").get("/admin/maturite/categorie/sensibilisation"))
    aide = page.split("Les agents sont-ils formés ?", 1)[1]
    assert "Aide et fondements" in aide and "Aide S1." in aide
    assert aide.index("Fondements") < aide.index("Loi n° 2021-1485 du 15 novembre 2021")
    assert "<li>Label Numérique Responsable (INR), niveau 1</li>" in aide


def test_non_concerne_is_an_ordinary_answer_scoring_the_best_points(app, login_as, ids):
    admin = login_as("admin_cc")
    page = _text(admin.get("/admin/maturite/categorie/usages"))
    radios = page.split("Le télétravail est-il en place ?", 1)[1].split("Enregistrer")[0]
    assert [x.split('"')[0] for x in radios.split('value="')[1:]] == [
        "oui", "non", "non_concerne", "nsp"]
    assert "Non concerné</label>" in radios
    assert _answer(admin, app, "U1", "non_concerne").status_code == 302
    with app.app_context():
        s = maturite.load(db.session.get(Collectivite, ids["cc"])).score
        assert (s.categories["usages"].points, s.categories["usages"].best) == (1, 1)
    lecture = _text(login_as("lecture_cc").get("/admin/maturite/categorie/usages"))
    assert "Réponse : Non concerné" in lecture


def test_recommendation_reads_as_a_fiche(app, login_as):
    admin = login_as("admin_cc")
    _answer(admin, app, "S1", "non")
    r = admin.get(f"/admin/maturite/recommandation/{_reco_id(app, 'R-S1')}")
    page = _text(r)
    order = ["Former les agents", "Corps R-S1.", "Pourquoi", "Des agents formés",
             "Étapes", "<ol><li>Recensez les besoins", "Faites le point un an après.</li></ol>",
             "Effort", "Moyen</span> 3 à 5 jours", "Coût", "Faible</span> moins de 2 000 €",
             "Qui agit", "Ressources humaines (pilote), avec : Référent numérique "
             "responsable, Agents", "Indicateur de réussite", "Part des agents formés",
             "Pour aller plus loin"]
    positions = [page.index(x) for x in order]
    assert positions == sorted(positions)
    assert ('MiNumEco — <a href="https://ecoresponsable.numerique.gouv.fr/publications/" '
            'rel="noopener noreferrer" target="_blank">Guide de sensibilisation'
            '<span class="sr-only"> (nouvelle fenêtre)</span></a> (2023)') in page
    # no URL: the title, no link
    assert "ADEME — <cite>La face cachée du numérique</cite> (2021)" in page
    assert "Sensibilisation et formation · niveau nécessaire" in page
    # the plan d'action says effort, cost and who leads in one line
    assert "Effort moyen · coût faible · pilote : Ressources humaines" in _text(
        admin.get("/admin/maturite/"))


def test_a_v1_recommendation_without_the_new_fields_still_renders(app, login_as, ids):
    opsn = login_as("opsn_admin")
    r = opsn.get(f"/admin/maturite/recommandation/{_reco_id(app, 'R-N2a')}?c={ids['cc']}")
    page = _text(r)
    assert r.status_code == 200 and "Corps R-N2a." in page and "Détail N2a." in page
    assert "Pourquoi" not in page and "Étapes" not in page and "Qui agit" not in page
    assert ('<cite>' not in page and '>Loi REEN<span class="sr-only">' in page
            and 'rel="noopener noreferrer"' in page)


def test_resources_link_only_web_addresses():
    reco = Recommandation(ressources=[
        {"editeur": "X", "titre": "Piège", "url": "javascript:alert(1)"},
        {"titre": "Sans éditeur", "url": "https://www.cnil.fr/"}, "n'importe quoi", {}])
    assert reco.sources == [
        {"editeur": "X", "titre": "Piège", "annee": None, "url": None},
        {"editeur": None, "titre": "Sans éditeur", "annee": None, "url": "https://www.cnil.fr/"}]
    assert echelle("Important : un an") == ("Important", "un an")
    assert echelle("Sans niveau") == (None, "Sans niveau") and echelle(None) == (None, None)
    assert Recommandation(effort="Faible : 1 jour", acteurs=["dsi"]).moyens == \
        "Effort faible · pilote : DSI / service informatique"
    assert Recommandation(acteurs=[]).moyens == ""


def test_plan_d_action_queries_do_not_grow_with_the_recommendations(app, login_as, ids):
    admin = login_as("admin_cc")

    def count() -> int:
        with sql_sent(app) as sent:
            assert admin.get("/admin/maturite/").status_code == 200
        return len(sent)

    def add(n: int) -> None:
        with app.app_context():
            coll = db.session.get(Collectivite, ids["cc"])
            for i in range(n):
                reco = maturite.add_free(coll, None, f"Libre {i}", "Texte.", "recommande")
                reco.etapes, reco.acteurs, reco.effort = ["Une étape."], ["dsi"], "Faible : 1 j"
            db.session.commit()

    add(1)
    count()  # warm-up (caches)
    one = count()
    add(8)
    assert count() == one


def test_pdf_report_details_each_recommendation(app, login_as):
    admin = login_as("admin_cc")
    _answer(admin, app, "S1", "non")
    texte = pdf_texte(admin.get("/admin/rapport-maturite/").data)
    detail = texte.split("Les recommandations en détail", 1)[1]
    for attendu in ("Former les agents", "Pourquoi", "Étapes", "Recensez les besoins",
                    "Effort", "Moyen : 3 à 5 jours", "Coût", "Qui agit",
                    "Ressources humaines (pilote)", "Indicateur de réussite",
                    "Pour aller plus loin", "MiNumEco — Guide de sensibilisation (2023)",
                    "ADEME — La face cachée du numérique (2021)"):
        assert attendu in detail, attendu


def test_a_new_version_copies_the_v2_fields(app):
    with app.app_context():
        source = maturite.active_version()
        s1 = db.session.scalar(select(Question).where(Question.code == "S1",
                                                      Question.version_id == source.id))
        before = s1.recommandation
        new = versions.new_version(source, s1.id, {"aide": "Aide S1 revue."})
        copy = db.session.scalar(select(Question).where(Question.code == "S1",
                                                        Question.version_id == new.id))
        assert copy.fondements == s1.fondements and len(copy.fondements) == 2
        reco = copy.recommandation
        assert reco.id != before.id
        for field in ("pourquoi", "etapes", "effort", "cout", "acteurs", "ressources",
                      "indicateurs_succes"):
            assert getattr(reco, field) == getattr(before, field) and getattr(reco, field)
        assert new.reference is None
        db.session.rollback()


def test_recommendation_page_follows_up_its_status(app, login_as):
    from tests.conftest import flashes

    admin = login_as("admin_cc")
    _answer(admin, app, "S1", "non")
    url = f"/admin/maturite/recommandation/{_reco_id(app, 'R-S1')}"
    page = _text(admin.get(url))
    assert '<label class="mr-2 font-weight-bold" for="reco-statut">Statut</label>' in page
    r = admin.post(url + "/statut", data={"statut": "en_cours", "retour": "recommandation"})
    assert r.status_code == 302 and r.headers["Location"].endswith(url)
    assert "Statut enregistré." in " ".join(flashes(admin.get(url)))
    assert '<option value="en_cours" selected>' in _text(admin.get(url))
    lecture = _text(login_as("lecture_cc").get(url))
    assert "<strong>Statut</strong> : En cours" in lecture and 'id="reco-statut"' not in lecture
