"""The rules of the v2 content (``tet.maturite.contenu``) on small in-memory examples: a
well-formed version passes every rule, and each defect is caught by its rule."""
from __future__ import annotations

import copy

import pytest

from tet.maturite import contenu

AIDE = ("Cette question porte sur {sujet}. Un inventaire de {sujet} tenu à jour permet de "
        "connaître leur âge, de prolonger leur usage et de prévoir les achats. Répondez oui "
        "même si l'inventaire de {sujet} ne couvre encore qu'une partie des services.")


def _reco(code: str, sujet: str) -> dict:
    return {
        "code": code, "titre": f"Agir sur {sujet}", "niveau": "prioritaire",
        "niveau_questionnaire": 1, "detail": None,
        "corps": (f"Recensez {sujet} avec leur date d'achat et leur état, puis tenez ce relevé "
                  "à jour à chaque arrivée ou départ de matériel dans les services."),
        "pourquoi": (f"Connaître {sujet} évite des achats inutiles : selon l'ADEME, la "
                     "fabrication représente l'essentiel de l'empreinte d'un ordinateur, bien "
                     "avant son usage."),
        "etapes": [f"Désignez la personne qui tiendra le relevé de {sujet}.",
                   f"Relevez {sujet} service par service avec leur âge et leur état.",
                   f"Mettez à jour le relevé de {sujet} à chaque mouvement de matériel."],
        "effort": "Moyen : 3 à 5 jours du référent, puis une demi-journée par trimestre",
        "cout": "Nul : un tableur suffit",
        "acteurs": ["dsi", "referent"],
        "indicateurs_succes": [f"Part de {sujet} relevée (cible : 100 %)"],
        "ressources": [{"editeur": "ADEME", "titre": "Guide de l'achat numérique", "annee": 2022,
                        "url": "https://librairie.ademe.fr/guide"},
                       {"editeur": "DINUM", "titre": "Référentiel d'écoconception"}],
    }


def _question(code: str, niveau: int, priorite: str, reco: str, sujet: str) -> dict:
    poids = {"prioritaire": 3, "necessaire": 2, "facultatif": 1}[priorite]
    return {"code": code, "niveau": niveau, "categorie": "parc", "theme": "connaissance",
            "texte": "Disposez-vous d'un inventaire ?", "aide": AIDE.format(sujet=sujet),
            "fondements": ["Loi n° 2021-1485 du 15 novembre 2021 (REEN)"],
            "priorite": priorite, "type": "oui_non", "recommandation": reco,
            "definitions": ["parc"], "parent": None,
            "reponses": [{"code": "oui", "libelle": "Oui", "points": poids},
                         {"code": "non", "libelle": "Non", "points": 0},
                         {"code": "non_concerne", "libelle": "Non concerné", "points": poids},
                         {"code": "nsp", "libelle": "Je ne sais pas", "points": 0}]}


SUJETS = [f"les équipements de type {i}" for i in range(31)]


@pytest.fixture(scope="module")
def bonne() -> dict:
    """30 niveau 1 questions (weights 3/2/1) and one of niveau 2, each with its reco."""
    priorites = ["prioritaire", "necessaire", "facultatif"]
    questions = [_question(f"Q{i}", 1 if i < 30 else 2, priorites[i % 3], f"R{i}", s)
                 for i, s in enumerate(SUJETS)]
    return {"version": 2, "categories": [{"code": "parc", "nom": "Parc", "themes": [
        {"code": "connaissance", "nom": "Connaissance"}]}],
        "glossaire": [{"code": "parc", "terme": "Parc", "definition": "Les équipements."}],
        "questions": questions,
        "recommandations": [_reco(f"R{i}", s) for i, s in enumerate(SUJETS)]}


def test_a_well_formed_version_follows_every_rule(bonne):
    assert contenu.controles(bonne) == {regle: [] for regle in contenu.controles(bonne)}


def _q(d):
    return d["questions"][0]


def _r(d):
    return d["recommandations"][0]


DEFAUTS = {
    "aide trop courte": ("aides", lambda d: _q(d).update(aide="Trop court.")),
    "aide absente": ("aides", lambda d: _q(d).pop("aide")),
    "aide trop longue": ("aides", lambda d: _q(d).update(aide="x" * 601)),
    "adresse dans l'aide": ("aides", lambda d: _q(d).update(
        aide=_q(d)["aide"] + " Voir https://www.ademe.fr.")),
    "fondements absents": ("aides", lambda d: _q(d).pop("fondements")),
    "fondements non liste": ("aides", lambda d: _q(d).update(fondements="Loi REEN")),
    "corps trop court": ("recommandations", lambda d: _r(d).update(corps="Faites-le.")),
    "pourquoi absent": ("recommandations", lambda d: _r(d).update(pourquoi=None)),
    "deux étapes": ("recommandations", lambda d: _r(d).update(etapes=_r(d)["etapes"][:2])),
    "sept étapes": ("recommandations", lambda d: _r(d).update(etapes=[
        f"Étape numéro {i} à conduire avec soin par le référent du projet." for i in range(7)])),
    "étape trop courte": ("recommandations", lambda d: _r(d)["etapes"].__setitem__(0, "Agir.")),
    "detail gardé": ("recommandations", lambda d: _r(d).update(detail="Voir le détail.")),
    "effort sans niveau": ("recommandations", lambda d: _r(d).update(effort="Trois jours")),
    "effort inconnu": ("recommandations", lambda d: _r(d).update(effort="Modéré : 3 jours")),
    "effort sans détail": ("recommandations", lambda d: _r(d).update(effort="Moyen")),
    "coût inconnu": ("recommandations", lambda d: _r(d).update(cout="Gratuit : rien")),
    "acteur inconnu": ("recommandations", lambda d: _r(d).update(acteurs=["maire"])),
    "acteurs vides": ("recommandations", lambda d: _r(d).update(acteurs=[])),
    "acteur en double": ("recommandations", lambda d: _r(d).update(acteurs=["dsi", "dsi"])),
    "sans indicateur": ("recommandations", lambda d: _r(d).update(indicateurs_succes=[])),
    "sans ressource": ("recommandations", lambda d: _r(d).update(ressources=[])),
    "quatre ressources": ("recommandations", lambda d: _r(d).update(
        ressources=[{"editeur": "ADEME", "titre": f"Guide {i}"} for i in range(4)])),
    "ressource sans éditeur": ("recommandations", lambda d: _r(d)["ressources"][1].pop(
        "editeur")),
    "ressource clé inconnue": ("recommandations", lambda d: _r(d)["ressources"][1].update(
        lien="x")),
    "année invalide": ("recommandations", lambda d: _r(d)["ressources"][1].update(
        annee="2022")),
    "url http": ("urls", lambda d: _r(d)["ressources"][0].update(
        url="http://librairie.ademe.fr/guide")),
    "url d'un éditeur privé": ("urls", lambda d: _r(d)["ressources"][0].update(
        url="https://www.greenit.fr/guide")),
    "url déguisée": ("urls", lambda d: _r(d)["ressources"][0].update(
        url="https://ademe.fr.example.com/guide")),
    "url avec identifiant": ("urls", lambda d: _r(d)["ressources"][0].update(
        url="https://ademe.fr@example.com/guide")),
    "url javascript": ("urls", lambda d: _r(d)["ressources"][0].update(
        url="javascript:alert(1)")),
    "aide copiée": ("repetitions", lambda d: d["questions"][1].update(aide=_q(d)["aide"])),
    "aide copiée aux espaces et à la casse près": ("repetitions", lambda d: d["questions"][1]
                                                   .update(aide=_q(d)["aide"].upper() + " ")),
    "étape reprise d'une autre recommandation": ("repetitions", lambda d: d[
        "recommandations"][1]["etapes"].__setitem__(0, _r(d)["etapes"][1])),
    "corps égal au pourquoi": ("repetitions", lambda d: _r(d).update(
        pourquoi=_r(d)["corps"].replace(",", " ;"))),
    "longue phrase partagée": ("repetitions", lambda d: d["questions"][1].update(
        aide="Une tout autre entrée en matière pour cette question de niveau 1. "
             + _q(d)["aide"].split(". ", 1)[1])),
    "recommandation absente": ("questions", lambda d: _q(d).update(recommandation="R-X")),
    "non concerné sous-noté": ("questions", lambda d: _q(d)["reponses"][2].update(points=0)),
    "non concerné après je ne sais pas": ("questions", lambda d: _q(d)["reponses"].reverse()),
    "non concerné mal libellé": ("questions", lambda d: _q(d)["reponses"][2].update(
        libelle="Pas concerné")),
    "terme absent du glossaire": ("questions", lambda d: _q(d).update(definitions=["x"])),
    "parent inconnu": ("questions", lambda d: _q(d).update(
        parent={"question": "Q99", "reponse": "oui"})),
    "thème inconnu": ("questions", lambda d: _q(d).update(theme="autre")),
    "meilleure réponse hors poids": ("questions", lambda d: [
        o.update(points=2) for o in d["questions"][30]["reponses"] if o["points"]]),
    "niveau 1 à 29 questions": ("niveau1", lambda d: _q(d).update(niveau=2)),
    "niveau 1 sans points": ("niveau1", lambda d: [o.update(points=0)
                                                   for o in _q(d)["reponses"]]),
    "code de question en double": ("codes", lambda d: d["questions"][1].update(code="Q0")),
    "code de recommandation en double": ("codes", lambda d: d["recommandations"][1].update(
        code="R0")),
}


@pytest.mark.parametrize("defaut", list(DEFAUTS))
def test_each_defect_is_caught_by_its_rule(bonne, defaut):
    regle, casser = DEFAUTS[defaut]
    data = copy.deepcopy(bonne)
    casser(data)
    resultats = contenu.controles(data)
    assert resultats[regle], defaut


def test_normalised_texts_and_long_sentences():
    assert contenu.normaliser(" L’Inventaire,  du PARC ! ") == "l inventaire du parc"
    long_ = "Une phrase assez longue pour compter, qui parle du parc et de sa durée de vie réelle."
    assert contenu.phrases(f"Court. {long_} Fin.") == [contenu.normaliser(long_)]
    assert contenu.repetitions([("a", f"Début. {long_}"), ("b", f"{long_} Autre fin.")]) \
        == [f"b reprend une phrase de a : « {contenu.normaliser(long_)[:60]}… »"]
    assert contenu.repetitions([("a", "Texte un."), ("b", "Texte deux.")]) == []


@pytest.mark.parametrize("url,ok", [
    ("https://www.ademe.fr/x", True), ("https://ecoresponsable.numerique.gouv.fr/", True),
    ("https://cyber.gouv.fr/guide", True), ("https://eur-lex.europa.eu/a", True),
    ("https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000044327272", True),
    ("http://www.ademe.fr/x", False), ("https://fakegouv.fr/", False),
    ("https://www.ademe.fr:8443/x", False), ("https://www.ademe.fr/a b", False),
    ("ftp://www.ademe.fr/", False), (None, False), ("https://[::1/", False)])
def test_public_url(url, ok):
    assert contenu.url_publique(url) is ok
