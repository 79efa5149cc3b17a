"""``/sante``: the health check of load balancers and supervisors (no login, no session,
never cached; JSON ``{"etat": "ok"}`` 200, or 503 with a French reason)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from tet import sante

bp = Blueprint("sante", __name__)


@bp.get("/sante")
def etat():
    corps, code = sante.etat()
    response = jsonify(corps)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response
