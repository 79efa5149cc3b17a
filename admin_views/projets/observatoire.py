"""The public observatoire at ``/observatoire/`` (no login, read-only, GET only).

Pages: national, a territory (a collectivité concerned by a published call), a département,
a project. Everything shown comes from ``tet.projets.observatoire`` and
``observatoire_territoires`` (only retained, non-confidential projects, fields marked
public). Rendered pages are cached (``observatoire_cache``: keyed by route and validated
parameters, renewed when the data change) and sent ``Cache-Control: public`` with an ETag;
these pages never touch the user's session (no cookie), so they are the same for everyone.

What is public. Of a retained project (retenu, conventionné, en suivi) of a published call
whose dossier is not confidential: always its title, its organisation's name, its stage,
statut, axe, département and call (title, year); the fields its holder marked public
among ``CHAMPS_PUBLICS`` (description, objectifs, bénéficiaires, partenaires, zone
d'impact, budget total); the *validated* values of its impact indicators (name, unit,
year, objectif / résultat), which the sums also show. Never: the référent's name, e-mail
or phone, the holder's accounts, the organisation's address, SIREN or contacts, pièces,
risks, financing plan, the candidature's answers, amount asked and motives, notes,
justifications, votes, decisions' motivations, messages, proposed (not validated) values
and comments; nothing of a confidential, non-retained or brouillon dossier.
"""
from __future__ import annotations

from collections import OrderedDict

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
)
from flask import url_for

from admin_views.projets import observatoire_carte
from tet import cache_http
from tet.nombres import parse_id
from tet.projets import observatoire, observatoire_territoires
from tet.projets.models import (
    CHAMPS_PUBLICS,
    STADES_LABELS,
    STATUTS_CANDIDATURE_LABELS,
    ZONES_IMPACT_LABELS,
)
from tet.projets.observatoire_cache import MAX_AGE, CachePages, empreinte

bp = Blueprint("observatoire", __name__, url_prefix="/observatoire")
PAGE = 20  # projects per page of a list


def init(app: Flask) -> None:
    app.register_blueprint(bp)
    cache_http.publier(app, bp.name, MAX_AGE)
    app.extensions["tet_observatoire_cache"] = CachePages()


def _axes(cache: CachePages, version) -> frozenset:
    """The names of the axes of the public projects (cached like the pages)."""
    axes = cache.lire(("axes",), version)
    if axes is None:
        axes = frozenset(nom for nom, _n in observatoire.par_axe() if nom)
        cache.ecrire(("axes",), version, axes)
    return axes


def _filtres(cache: CachePages, version) -> dict:
    """The list's filters from the query string; anything invalid (an unknown axe too) is
    ignored, so junk never makes a new page to render or to cache."""
    axe = (request.args.get("axe") or "").strip()
    stade = request.args.get("stade") or ""
    return {"axe": axe if axe and axe in _axes(cache, version) else None,
            "stade": stade if stade in STADES_LABELS else None,
            "apres": parse_id(request.args.get("apres"))}


def _servir(route: tuple, rendre, liste: bool = True):
    """The cached page of ``route`` (and of the list's filters if ``liste``) if the data
    did not change, else ``rendre()``'s."""
    cache: CachePages = current_app.extensions["tet_observatoire_cache"]
    version = empreinte()
    g.obs_filtres = _filtres(cache, version) if liste else {}
    cle = (*route, *g.obs_filtres.values())
    page = cache.lire(cle, version)
    if page is None:
        page = rendre()
        cache.ecrire(cle, version, page)
    response = make_response(page)
    response.add_etag()
    response = response.make_conditional(request)
    del response.headers["Date"]  # the server adds its own
    return response


def _impacts(rows) -> list[dict]:
    """Impact sums by indicator and unit (values of different units are never added):
    [{nom, unite, annees: [(année, {type: (somme, projets)})]}]."""
    groupes: OrderedDict = OrderedDict()
    for nom, unite, annee, type_, somme, projets in rows:
        annees = groupes.setdefault((nom, unite), OrderedDict()).setdefault(annee, {})
        ancien = annees.get(type_, (0, 0))
        annees[type_] = (ancien[0] + somme, ancien[1] + projets)
    return [{"nom": nom, "unite": unite, "annees": list(annees.items())}
            for (nom, unite), annees in groupes.items()]


def _liste(territoire, departement, filtres) -> tuple[list, int | None]:
    rows = observatoire.projets(territoire, axe=filtres["axe"], stade=filtres["stade"],
                                departement=departement, apres=filtres["apres"],
                                limite=PAGE + 1)
    suivant = rows[PAGE - 1]["id"] if len(rows) > PAGE else None
    return rows[:PAGE], suivant


def _zone(titre: str, territoire: int | None = None, departement: str | None = None,
          **contexte) -> str:
    filtres = g.obs_filtres
    projets, suivant = _liste(territoire, departement, filtres)
    statuts = observatoire.par_statut(territoire, departement)
    comptes = observatoire.par_departement(None if departement else territoire)
    carte = observatoire_carte.carte(
        comptes, lambda code: url_for(".departement", code=code), courant=departement)
    return render_template(
        "observatoire/zone.html", titre=titre, total=sum(n for _s, n in statuts),
        statuts=statuts, axes=observatoire.par_axe(territoire, departement),
        stades=observatoire.par_stade(territoire, departement),
        impacts=_impacts(observatoire.impacts(territoire, departement)),
        carte=carte, comptes=comptes, projets=projets, suivant=suivant, filtres=filtres,
        departement=departement, ici=request.view_args or {}, **contexte)


@bp.get("/")
def national():
    return _servir(("national",), lambda: _zone(
        "Projets retenus de tous les territoires",
        territoires=observatoire_territoires.territoires()))


@bp.get("/territoire/<int:collectivite_id>")
def territoire(collectivite_id: int):
    def rendre():
        row = observatoire_territoires.territoire(collectivite_id)
        if row is None:
            abort(404)
        return _zone(row.nom, territoire=row.id, collectivite_id=row.id)

    return _servir(("territoire", collectivite_id), rendre)


@bp.get("/departement/<code>")
def departement(code: str):
    nom = observatoire_carte.noms().get(code)
    if nom is None:
        abort(404)
    return _servir(("departement", code),
                   lambda: _zone(f"{nom} ({code})", departement=code))


@bp.get("/projet/<int:candidature_id>")
def projet(candidature_id: int):
    def rendre():
        fiche = observatoire.projet(candidature_id)
        if fiche is None:
            abort(404)
        champs = [(label, _valeur(cle, fiche[cle])) for cle, label in CHAMPS_PUBLICS
                  if fiche.get(cle) not in (None, "")]
        return render_template(
            "observatoire/projet.html", projet=fiche, champs=champs,
            valeurs=observatoire_territoires.valeurs(candidature_id),
            departement_nom=observatoire_carte.noms().get(fiche["departement"] or ""))

    return _servir(("projet", candidature_id), rendre, liste=False)


def _valeur(cle: str, valeur):
    if cle == "zone_impact":
        return ZONES_IMPACT_LABELS.get(valeur, valeur)
    if cle == "budget_total":
        return current_app.jinja_env.filters["tet_money"](valeur)
    return valeur


@bp.app_template_global("obs_stade")
def stade_label(code) -> str:
    return STADES_LABELS.get(code, code or "—")


@bp.app_template_global("obs_statut")
def statut_label(code) -> str:
    return STATUTS_CANDIDATURE_LABELS.get(code, code)


@bp.app_template_global("obs_departements")
def departements() -> dict[str, str]:
    return observatoire_carte.noms()


@bp.errorhandler(404)
def introuvable(_exc):
    return render_template("observatoire/introuvable.html"), 404
