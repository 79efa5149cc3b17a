"""Downloads: indicator values and maturity results of a collectivité; partner extracts."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, request, stream_with_context
from flask_admin import expose

from admin_views.base import XLSX_MIME, SecureView
from admin_views.plans.plans import content_disposition
from tet.comptes.models import TYPES_COLLECTIVITE
from tet.plans.models import PLAN_TYPE_FAMILLES
from tet.comptes.permissions import current_acteur
from tet import exports, xlsx


def xlsx_download(build, filename: str) -> Response:
    response = Response(stream_with_context(xlsx.stream(build)), mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


class PartnerExportView(SecureView):
    """National extracts for partners (support only), logged with their filters."""

    def allowed(self) -> bool:
        return current_acteur().is_support

    @expose("/", methods=("GET", "POST"))
    def index(self):
        if request.method == "POST":
            name = request.form.get("extrait")
            if name not in exports.EXTRACTS:
                abort(400)
            filtres = exports.Filtres(
                region=request.form.get("region") or None,
                type=request.form.get("type") or None,
                plan_type=request.form.get("plan_type") or None,
                lettre=request.form.get("lettre") or None,
                nominatif=request.form.get("nominatif") == "1")
            exports.log_partner_export(name, filtres, current_acteur().user)
            return xlsx_download(lambda wb: exports.partenaires(wb, name, filtres),
                                 f"export-{name}-{date.today():%Y%m%d}.xlsx")
        from sqlalchemy import select

        from tet.extensions import db
        from tet.comptes.models import Collectivite

        regions = [r for r in db.session.scalars(select(Collectivite.region).distinct()
                                                 .order_by(Collectivite.region)) if r]
        return self.render("admin/exports_partenaires.html", extraits=exports.EXTRACTS,
                           regions=regions, types=TYPES_COLLECTIVITE,
                           plan_types=PLAN_TYPE_FAMILLES)
