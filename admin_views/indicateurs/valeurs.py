"""Saving indicator values from the two entry forms (the indicator page: one row per year;
the yearly bulk entry: one cell per indicator) with optimistic locking.

Each cell carries the version it showed (``version-<champ>``; 0: no value) and the form a
signed base. A stale cell refuses the whole form — as an invalid number already does: the
form is one transaction, and a half-saved year would leave the user unsure which of the
cells they see are theirs — and the conflict page lists the stale cells with the other
person's value; the merge keeps their cells where the user changed nothing.
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for

from admin_views.verrou import conflit, enregistrer, garder_l_autre
from tet.extensions import db
from tet.indicateurs import valeurs as service
from tet import verrous
from tet.verrous import LIBRE, Perime, fige, lire_version



def _valeur(v, unite=""):
    value = None if v is None else (v.valeur if hasattr(v, "valeur") else v)
    return fige(value, service.format_valeur(value, unite) if value is not None else "—")


def _sauver(cellules, mode, succes: str, target: str):
    """Apply ``cellules`` [(version key, kwargs of set_valeur)] — all or nothing."""
    errors, stale = [], False
    with verrous.sans_ecrasement():
        for key, label, kwargs in cellules:
            version = LIBRE if mode is LIBRE else request.form.get(key)
            try:
                service.set_valeur(**kwargs, version=version)
            except service.ValeurError as exc:
                errors.append(f"{label} : {exc}")
            except Perime:
                stale = True
        if errors:
            raise service.ValeurError(" ; ".join(errors))
        if stale:
            raise Perime()
    verrous.commit()
    flash(succes, "success")
    return redirect(target)


def _conflit(view, *, valeurs, **kwargs):
    """``valeurs``: {field name: its current value row} for who-changed-it."""
    lignes = {nom: v.id for nom, v in valeurs.items() if v is not None}
    return conflit(view, objets=[("IndicateurValeur", i) for i in set(lignes.values())],
                   lignes=lignes, **kwargs)


# --- the yearly bulk entry --------------------------------------------------------------

def base_saisie(definitions, annee: int, cells) -> str:
    return verrous.signer({f"{t}-{d.id}": _valeur(cells.get((d.id, annee, t)), d.unite)
                           for d in definitions for t in service.TYPES})


def enregistrer_saisie(view, definitions, annee: int, q: str, acteur):
    """The POST of the bulk entry: a redirect, a conflict page, or None (error flashed)."""
    cid = acteur.collectivite_id
    keep = garder_l_autre(request.form)
    fields = [(d, t, f"{t}-{d.id}") for d in definitions for t in service.TYPES
              if f"{t}-{d.id}" in request.form]
    cellules = [(f"version-{name}", d.identifiant or d.nom, dict(
        collectivite_id=cid, definition=d, annee=annee, type_=t,
        valeur=request.form[name], by=acteur.user)) for d, t, name in fields
        if name not in keep]

    def conflit():
        current = service.cellules(cid, [d.id for d, _t, _n in fields], [annee])
        valeurs = {name: current.get((d.id, annee, t)) for d, t, name in fields}
        return _conflit(
            view, objet=f"Saisie des valeurs {annee}",
            libelles={name: f"{d.identifiant or d.nom} — {service.TYPES[t].lower()} {annee}"
                      for d, t, name in fields},
            autre={name: _valeur(valeurs[name], d.unite) for d, t, name in fields},
            mien={name: _valeur(service.parse_valeur(request.form[name]), d.unite)
                  for d, t, name in fields},
            versions={f"version-{name}": verrous.version_of(v) for name, v in valeurs.items()},
            valeurs=valeurs, annuler=url_for(".saisie", annee=annee, q=q))

    try:
        service.check_annee(annee)
        return enregistrer(lambda mode: _sauver(
            cellules, mode, f"Valeurs {annee} enregistrées.",
            url_for(".saisie", annee=annee, q=q)), None, conflit)
    except service.ValeurError as exc:
        db.session.rollback()
        flash(f"Rien n'a été enregistré. {exc}", "error")
        return None


# --- the indicator page: one row per year -----------------------------------------------

def _row_fields(annee) -> dict[str, str]:
    return {f"objectif-{annee}": f"Objectif {annee}", f"resultat-{annee}": f"Résultat {annee}",
            f"source-{annee}": f"Source {annee}", f"commentaire-{annee}": f"Commentaire {annee}"}


def _row_snapshot(annee, objectif, resultat, unite) -> dict[str, list]:
    shown = resultat or objectif
    return {f"objectif-{annee}": _valeur(objectif, unite),
            f"resultat-{annee}": _valeur(resultat, unite),
            f"source-{annee}": fige(shown.source if shown else None),
            f"commentaire-{annee}": fige(shown.commentaire if shown else None)}


def base_page(definition, table) -> str:
    values = {}
    for annee, row in table.items():
        values.update(_row_snapshot(annee, row.get("objectif"), row.get("resultat"),
                                    definition.unite))
    return verrous.signer(values)


def enregistrer_page(view, definition, acteur):
    """The POST of the indicator page's table: rows ``annee-N``, ``objectif-N``,
    ``resultat-N``, ``source-N``, ``commentaire-N``, ``version-<type>-N``."""
    cid = acteur.collectivite_id
    keep = garder_l_autre(request.form)
    rows, cellules = [], []
    for key in request.form:
        if not key.startswith("annee-"):
            continue
        n = key.split("-", 1)[1]
        annee = request.form.get(key, "").strip()
        if not annee and not (request.form.get(f"objectif-{n}") or
                              request.form.get(f"resultat-{n}")):
            continue
        rows.append((n, annee))
        source, commentaire = (None if f"{f}-{annee}" in keep else request.form.get(f"{f}-{n}")
                               for f in ("source", "commentaire"))
        for t in service.TYPES:
            cellules.append((f"version-{t}-{n}",
                             f"Ligne {annee or n} ({service.TYPES[t].lower()})", dict(
                                 collectivite_id=cid, definition=definition, annee=annee,
                                 type_=t, valeur=request.form.get(f"{t}-{n}"), source=source,
                                 commentaire=commentaire, by=acteur.user,
                                 garder_valeur=f"{t}-{annee}" in keep)))

    def conflit():
        years = [lire_version(a) for _n, a in rows]
        current = service.cellules(cid, [definition.id], [y for y in years if y])
        libelles, autre, mien, versions, valeurs = {}, {}, {}, {}, {}
        for (n, annee), year in zip(rows, years):
            cur = {t: current.get((definition.id, year, t)) for t in service.TYPES}
            libelles.update(_row_fields(annee))
            autre.update(_row_snapshot(annee, cur["objectif"], cur["resultat"],
                                       definition.unite))
            for t in service.TYPES:
                mien[f"{t}-{annee}"] = _valeur(service.parse_valeur(
                    request.form.get(f"{t}-{n}")), definition.unite)
                versions[f"version-{t}-{n}"] = verrous.version_of(cur[t])
                valeurs[f"{t}-{annee}"] = cur[t]
            for f in ("source", "commentaire"):
                mien[f"{f}-{annee}"] = fige(request.form.get(f"{f}-{n}"))
                valeurs[f"{f}-{annee}"] = cur["resultat"] or cur["objectif"]
        return _conflit(view, objet=f"Valeurs de « {definition.nom} »", libelles=libelles,
                        autre=autre, mien=mien, versions=versions, valeurs=valeurs,
                        annuler=url_for(".page", id=definition.id))

    try:
        return enregistrer(lambda mode: _sauver(
            cellules, mode, "Valeurs enregistrées.", url_for(".page", id=definition.id)),
            None, conflit)
    except service.ValeurError as exc:
        db.session.rollback()
        flash(f"Rien n'a été enregistré. {exc}", "error")
        return None
