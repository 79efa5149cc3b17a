"""The frame of every back-office page (templates/admin/tet_base.html): its one <h1> and its
<title>.

Pages write their heading in their ``page_title`` block (``<h4>`` in most of them, as
Flask-Admin does); the frame makes the first heading of that block the page's ``<h1>``, and
names the page after it, with the kind of object shown and the contexte: « Fiche : Créer une
légumerie — CC du Val Démo — TeT ».
"""
from __future__ import annotations

import re

from flask import request
from markupsafe import Markup

SERVICE = "TeT"

# the first heading of the block; its content is the templates' own markup (data escaped)
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_BADGES = re.compile(r"<span\b[^>]*\bclass=\"[^\"]*\bbadge\b[^>]*>.*?</span>", re.S)  # statuts…
_CLASSES = re.compile(r'class="([^"]*)"')

# what one object of a view is called in the title of its pages (endpoint → French name)
OBJETS = {
    "plan": "Plan", "fiche": "Fiche", "indicateur": "Indicateur",
    "collectivite": "Collectivité", "membership": "Membre", "user": "Utilisateur",
    "opsn": "OPSN", "opsnmembership": "Membre OPSN", "rattachement": "Rattachement",
    "demandeadhesion": "Demande d’accès", "auditlog": "Journal d’audit",
    "maturite": "Questionnaire", "referentiel": "Référentiel",
}


def _texte(html: str) -> str:
    """The words of a heading, without its badges (statut, « Confidentiel »)."""
    return " ".join(Markup(_TAGS.sub(" ", _BADGES.sub(" ", html))).unescape().split())


def entete(html: str, defaut: str) -> tuple[Markup, str]:
    """(the ``page_title`` block with its first heading made the page's ``<h1>``, the text
    of that heading). A block without a heading gets one named ``defaut``."""
    html = str(html)  # the rendered block (Markup): spliced as the markup it already is
    found = _HEADING.search(html)
    if found is None:
        titre = Markup("<h1 class=\"tet-h1\">{}</h1>").format(defaut)
        return Markup(titre + Markup(html)), defaut
    attrs = found.group(2)
    if _CLASSES.search(attrs):
        attrs = _CLASSES.sub(lambda m: f'class="tet-h1 {m.group(1)}"', attrs, count=1)
    else:
        attrs += ' class="tet-h1"'
    h1 = f"<h1{attrs}>{found.group(3)}</h1>"
    return Markup(html[:found.start()] + h1 + html[found.end():]), _texte(found.group(3))


def titre(texte: str, endpoint: str | None = None, contexte: str | None = None,
          vue: str | None = None) -> str:
    """The page's <title>: « Fiche : <heading> — <contexte> — TeT »; the kind of object only
    on an object's pages (an id in the URL) whose heading does not start with the view's
    name."""
    parties = []
    base = (endpoint or request.endpoint or "").split(".")[0]
    objet = OBJETS.get(base)
    has_id = "id" in (request.view_args or {}) or "id" in request.args
    texte = texte or vue or SERVICE
    if objet and has_id and not (vue and texte.startswith(vue)):
        texte = f"{objet} : {texte}"
    if contexte and texte == contexte and vue:  # a home page titled with the contexte's name
        texte = vue
    parties.append(texte)
    if contexte and contexte not in texte:
        parties.append(contexte)
    parties.append(SERVICE)
    return " — ".join(parties)


def aria(field) -> dict[str, str]:
    """The attributes tying a WTForms field to its help text (``<id>-aide``) and its error
    messages (``<id>-erreur``): aria-describedby, and aria-invalid when it has errors."""
    ids = ([f"{field.id}-aide"] if field.description else []) + \
          ([f"{field.id}-erreur"] if field.errors else [])
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs
