"""Import previews waiting for confirmation. What is kept is the workbook as it was read
(plans and fiches, as JSON), never the file: the confirmation applies it without reading
the workbook a second time. A preview expires (``IMPORT_PREVIEW_TTL``), each user keeps
at most ``IMPORT_PREVIEW_MAX_PER_USER`` (the oldest go first), and expired ones are removed
whenever a preview is saved or opened: no scheduled task is needed."""
from __future__ import annotations

import json
import os
import re
import secrets
import time
from datetime import date
from decimal import Decimal

from flask import current_app

from tet.plans.import_lecture import FicheLue, Lecture, PlanLu

TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")


def _folder() -> str:
    path = os.path.join(current_app.instance_path, "imports")
    os.makedirs(path, exist_ok=True)
    return path


def _path(user_id: int, token: str) -> str:
    return os.path.join(_folder(), f"{int(user_id)}-{token}.json")


def save(lecture: Lecture, user_id: int, meta: dict) -> str:
    """Keep the read workbook for ``user_id``; returns the preview's token."""
    purge()
    mine = sorted(_files(user_id), key=os.path.getmtime)
    keep = max(current_app.config["IMPORT_PREVIEW_MAX_PER_USER"] - 1, 0)
    for old in mine[:max(len(mine) - keep, 0)]:
        _remove(old)
    token = secrets.token_urlsafe(16)
    path = _path(user_id, token)
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        json.dump({"meta": meta, "plans": [_plan(p) for p in lecture.plans]}, fh,
                  default=_encode, ensure_ascii=False)
    os.replace(path + ".tmp", path)
    return token


def take(user_id: int, token: str) -> tuple[Lecture, dict] | None:
    """The preview (removed from disk), or None if unknown or expired."""
    purge()
    if not TOKEN.match(token or ""):
        return None
    path = _path(user_id, token)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh, object_hook=_decode)
    except (OSError, ValueError):
        return None
    finally:
        _remove(path)
    return Lecture(plans=[_plan_lu(p) for p in data["plans"]]), data["meta"]


def purge(now: float | None = None) -> int:
    """Remove the expired previews of every user; returns how many."""
    limit = (now or time.time()) - current_app.config["IMPORT_PREVIEW_TTL"]
    removed = 0
    for path in _files(None):
        if os.path.getmtime(path) < limit:
            removed += _remove(path)
    return removed


def _files(user_id: int | None) -> list[str]:
    folder = _folder()
    prefix = f"{int(user_id)}-" if user_id is not None else ""
    return [os.path.join(folder, n) for n in os.listdir(folder)
            if n.startswith(prefix) and n.endswith((".json", ".tmp"))]


def _remove(path: str) -> int:
    try:
        os.unlink(path)
        return 1
    except FileNotFoundError:
        return 0


def _plan(p: PlanLu) -> dict:
    return {"feuille": p.feuille, "nom": p.nom, "type": p.type, "source": p.source,
            "chemins": [list(c) for c in p.chemins],
            "fiches": [{"titre": f.titre, "path": list(f.path), "ligne": f.ligne,
                        "data": f.data, "parent_titre": f.parent_titre} for f in p.fiches]}


def _plan_lu(d: dict) -> PlanLu:
    fiches = []
    for f in d["fiches"]:
        data = f["data"]
        if "financeurs" in data:
            data["financeurs"] = [tuple(pair) for pair in data["financeurs"]]
        fiches.append(FicheLue(f["titre"], tuple(f["path"]), f["ligne"], data,
                               f["parent_titre"]))
    return PlanLu(d["feuille"], d["nom"], d["type"], fiches,
                  [tuple(c) for c in d.get("chemins", [])], d.get("source", ""))


def _encode(value):
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(type(value).__name__)


def _decode(obj: dict):
    if obj.keys() == {"$decimal"}:
        return Decimal(obj["$decimal"])
    if obj.keys() == {"$date"}:
        return date.fromisoformat(obj["$date"])
    return obj
