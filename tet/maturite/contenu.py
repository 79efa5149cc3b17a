"""The rules a version's content (format v2, issue 14) must follow, as pure functions over
the dict ``seeds.maturite.read`` returns: each check gives French messages naming what
breaks it (empty: the rule holds). ``controles`` runs them all, by rule."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from tet.maturite.models import ACTEURS, NON_CONCERNE, POIDS, PRIORITES, QUESTION_TYPES
from tet.maturite.models import RECO_NIVEAUX

AIDE = (200, 600)
CORPS = (150, 400)
POURQUOI = (150, 500)
ETAPES = (3, 6)
ETAPE = (40, 250)
INDICATEURS = (1, 3)
RESSOURCES = (1, 3)
PHRASE_LONGUE = 80  # a sentence this long (normalised) may not appear in two texts
NIVEAU1 = 30
EFFORTS = ("Faible", "Moyen", "Important")
COUTS = ("Nul", "Faible", "Moyen", "Élevé")
# public publishers (a host is allowed when it is one of these or one of their subdomains)
DOMAINES = ("gouv.fr", "ademe.fr", "arcep.fr", "arcom.fr", "cnil.fr", "ssi.gouv.fr",
            "cyber.gouv.fr", "institutnr.org", "cerema.fr", "anct.gouv.fr",
            "legifrance.gouv.fr", "europa.eu", "amf.asso.fr", "franceurbaine.org", "ugap.fr",
            "banquedesterritoires.fr", "caissedesdepots.fr", "cnrs.fr", "inria.fr",
            "afnor.org", "label-nr.fr", "cnfpt.fr", "insee.fr", "ign.fr",
            "reseau-canope.fr")
RESSOURCE_CLES = {"editeur", "titre", "annee", "url"}
URL_DANS_TEXTE = re.compile(r"https?://|www\.", re.I)


def _etiquette(niveaux) -> re.Pattern:
    return re.compile(r"^(%s)\s?:\s+\S" % "|".join(niveaux))


EFFORT_RE, COUT_RE = _etiquette(EFFORTS), _etiquette(COUTS)


def normaliser(texte: str) -> str:
    """Lower case, without punctuation, spaces collapsed (accents kept)."""
    texte = unicodedata.normalize("NFC", texte or "").lower()
    texte = "".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in texte)
    return " ".join(texte.split())


def phrases(texte: str) -> list[str]:
    """The normalised sentences of ``texte`` at least ``PHRASE_LONGUE`` characters long."""
    morceaux = re.split(r"(?<=[.!?;…])\s+", texte or "")
    return [p for p in map(normaliser, morceaux) if len(p) >= PHRASE_LONGUE]


def _longueur(lieu: str, texte, bornes: tuple[int, int]) -> list[str]:
    if not isinstance(texte, str) or not texte.strip():
        return [f"{lieu} : absent"]
    n = len(texte.strip())
    if not bornes[0] <= n <= bornes[1]:
        return [f"{lieu} : {n} caractères (attendu {bornes[0]} à {bornes[1]})"]
    if URL_DANS_TEXTE.search(texte):
        return [f"{lieu} : pas d'adresse web dans le texte"]
    return []


def url_publique(url) -> bool:
    """An https address on a public publisher's domain (``DOMAINES``)."""
    if not isinstance(url, str) or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return False
    return (parts.scheme == "https" and not parts.username and port in (None, 443)
            and any(host == d or host.endswith("." + d) for d in DOMAINES))


def aide(q: dict) -> list[str]:
    """Help within ``AIDE`` characters, no URL; ``fondements`` a list of citations."""
    lieu = f"{q.get('code')}"
    erreurs = _longueur(f"{lieu} aide", q.get("aide"), AIDE)
    fondements = q.get("fondements")
    if not isinstance(fondements, list) or not all(
            isinstance(f, str) and f.strip() and not URL_DANS_TEXTE.search(f)
            for f in fondements):
        erreurs.append(f"{lieu} fondements : une liste de citations (sans adresse web)")
    return erreurs


def recommandation(r: dict) -> list[str]:
    """Every v2 field present and well-formed."""
    c = r.get("code")
    e = _longueur(f"{c} corps", r.get("corps"), CORPS)
    e += _longueur(f"{c} pourquoi", r.get("pourquoi"), POURQUOI)
    if not (r.get("titre") or "").strip() or len(r.get("titre") or "") > 300:
        e.append(f"{c} titre : absent ou trop long")
    if r.get("niveau") not in dict(RECO_NIVEAUX) or r.get("niveau_questionnaire", 1) not in (1, 2):
        e.append(f"{c} niveau : inconnu")
    if r.get("detail"):
        e.append(f"{c} detail : à remplacer par les étapes")
    etapes = r.get("etapes")
    if not isinstance(etapes, list) or not ETAPES[0] <= len(etapes) <= ETAPES[1]:
        e.append(f"{c} etapes : {ETAPES[0]} à {ETAPES[1]} étapes attendues")
    else:
        for i, etape in enumerate(etapes, 1):
            e += _longueur(f"{c} étape {i}", etape, ETAPE)
    for cle, motif, niveaux in (("effort", EFFORT_RE, EFFORTS), ("cout", COUT_RE, COUTS)):
        if not isinstance(r.get(cle), str) or not motif.match(r[cle]):
            e.append(f"{c} {cle} : commence par {' / '.join(niveaux)}, « : » puis le détail")
    acteurs = r.get("acteurs")
    if not isinstance(acteurs, list) or not acteurs or len(set(acteurs)) != len(acteurs) \
            or not set(acteurs) <= set(ACTEURS):
        e.append(f"{c} acteurs : codes parmi {', '.join(ACTEURS)}, sans doublon")
    indicateurs = r.get("indicateurs_succes")
    if not isinstance(indicateurs, list) or not \
            INDICATEURS[0] <= len(indicateurs) <= INDICATEURS[1] or \
            not all(isinstance(i, str) and i.strip() for i in indicateurs):
        e.append(f"{c} indicateurs_succes : {INDICATEURS[0]} à {INDICATEURS[1]} indicateurs")
    ressources = r.get("ressources")
    if not isinstance(ressources, list) or not RESSOURCES[0] <= len(ressources) <= RESSOURCES[1]:
        e.append(f"{c} ressources : {RESSOURCES[0]} à {RESSOURCES[1]} ressources")
        ressources = []
    for i, res in enumerate(ressources, 1):
        if not isinstance(res, dict) or not set(res) <= RESSOURCE_CLES or not all(
                isinstance(res.get(k), str) and res[k].strip() for k in ("editeur", "titre")):
            e.append(f"{c} ressource {i} : éditeur et titre (clés {sorted(RESSOURCE_CLES)})")
        elif "annee" in res and not (isinstance(res["annee"], int) and
                                     1990 <= res["annee"] <= 2100):
            e.append(f"{c} ressource {i} : année invalide")
    return e


def urls(data: dict) -> list[str]:
    """Every resource URL is https on a public publisher's domain."""
    return [f"{r.get('code')} : adresse non admise {res['url']!r}"
            for r in data.get("recommandations", [])
            for res in r.get("ressources") or [] if isinstance(res, dict) and "url" in res
            and not url_publique(res["url"])]


def textes(data: dict) -> list[tuple[str, str]]:
    """(where, text) of every text that must be unique: help, body, why, each step."""
    result = [(f"{q.get('code')} aide", q.get("aide") or "") for q in data.get("questions", [])]
    for r in data.get("recommandations", []):
        c = r.get("code")
        result += [(f"{c} corps", r.get("corps") or ""), (f"{c} pourquoi", r.get("pourquoi") or "")]
        result += [(f"{c} étape {i}", t) for i, t in enumerate(r.get("etapes") or [], 1)
                   if isinstance(t, str)]
    return result


def repetitions(items: list[tuple[str, str]]) -> list[str]:
    """Texts equal once normalised, and long sentences shared by two texts."""
    erreurs, vus, phrases_vues = [], {}, {}
    for lieu, texte in items:
        cle = normaliser(texte)
        if not cle:
            continue  # absent: said by the length checks
        if cle in vus:
            erreurs.append(f"{lieu} répète {vus[cle]}")
            continue
        vus[cle] = lieu
        for p in set(phrases(texte)):
            if p in phrases_vues and phrases_vues[p] != lieu:
                erreurs.append(f"{lieu} reprend une phrase de {phrases_vues[p]} : « {p[:60]}… »")
            phrases_vues.setdefault(p, lieu)
    return erreurs


def questions(data: dict) -> list[str]:
    """Structure: known category / theme / priority / type, options, parents, glossary terms,
    the question's recommendation exists, best points 0 or the priority's weight, and
    « Non concerné » scores the best points, just before « Je ne sais pas »."""
    cats = {c["code"]: {t["code"] for t in c.get("themes", [])} for c in data["categories"]}
    recos = {r.get("code") for r in data.get("recommandations", [])}
    glossaire = {g.get("code") for g in data.get("glossaire", [])}
    par_code = {q.get("code"): q for q in data.get("questions", [])}
    e = []
    for q in data.get("questions", []):
        c, options = q.get("code"), q.get("reponses") or []
        codes = [o.get("code") for o in options]
        if q.get("categorie") not in cats or (cats[q["categorie"]] and
                                              q.get("theme") not in cats[q["categorie"]]):
            e.append(f"{c} : catégorie ou thème inconnu")
        if q.get("priorite") not in dict(PRIORITES) or q.get("type") not in dict(QUESTION_TYPES):
            e.append(f"{c} : priorité ou type inconnu")
            continue
        if len(set(codes)) != len(codes) or (q["type"] in ("oui_non", "choix") and not options):
            e.append(f"{c} : réponses absentes ou codes en double")
        best = max((o.get("points", 0) for o in options), default=0)
        if best not in (0, POIDS[q["priorite"]]):
            e.append(f"{c} : meilleure réponse à {best} points au lieu de "
                     f"{POIDS[q['priorite']]} (priorité {q['priorite']})")
        for i, o in enumerate(options):
            if o.get("code") == NON_CONCERNE and (
                    o.get("libelle") != "Non concerné" or o.get("points") != best or best == 0
                    or ("nsp" in codes and codes.index("nsp") != i + 1)):
                e.append(f"{c} : « Non concerné » vaut la meilleure réponse ({best}), "
                         "juste avant « Je ne sais pas »")
        if q.get("recommandation") and q["recommandation"] not in recos:
            e.append(f"{c} : recommandation {q['recommandation']} absente")
        parent = q.get("parent")
        if parent and (parent.get("question") not in par_code or parent.get("reponse") not in
                       [o.get("code") for o in par_code[parent["question"]].get("reponses", [])]):
            e.append(f"{c} : question parente ou réponse inconnue")
        if not set(q.get("definitions") or []) <= glossaire:
            e.append(f"{c} : terme du glossaire absent")
    return e


def niveau1(data: dict) -> list[str]:
    """Niveau 1 keeps its 30 questions, the good answer worth 3 / 2 / 1 by priority."""
    n1 = [q for q in data.get("questions", []) if q.get("niveau") == 1]
    e = [] if len(n1) == NIVEAU1 else [f"niveau 1 : {len(n1)} questions au lieu de {NIVEAU1}"]
    for q in n1:
        best = max((o.get("points", 0) for o in q.get("reponses") or []), default=0)
        if best != POIDS.get(q.get("priorite"), -1):
            e.append(f"{q.get('code')} : la bonne réponse du niveau 1 vaut le poids de sa priorité")
    return e


def codes(data: dict) -> list[str]:
    """Codes unique: categories, questions, recommendations, glossary terms."""
    e = []
    for cle in ("categories", "questions", "recommandations", "glossaire"):
        vus = [x.get("code") for x in data.get(cle, [])]
        doubles = sorted({c for c in vus if vus.count(c) > 1 or not c}, key=str)
        if doubles:
            e.append(f"{cle} : codes absents ou en double {doubles}")
    return e


def controles(data: dict) -> dict[str, list[str]]:
    """Every rule, by name: the messages of what breaks it."""
    return {
        "aides": [m for q in data.get("questions", []) for m in aide(q)],
        "recommandations": [m for r in data.get("recommandations", [])
                            for m in recommandation(r)],
        "urls": urls(data),
        "repetitions": repetitions(textes(data)),
        "questions": questions(data),
        "niveau1": niveau1(data),
        "codes": codes(data),
    }
