"""What the holders' pages share: access for an acteur acting for an organisation, rows
looked up inside that organisation only (another one's id is a 404), refusals flashed."""
from __future__ import annotations

from flask import abort, flash, redirect
from sqlalchemy import select

from admin_views.base import SecureView
from tet.comptes.permissions import current_acteur
from tet.extensions import db
from tet.projets.models import Candidature, Dossier, PieceJustificative


class PorteurView(SecureView):
    """A page of the holder's space: only while acting for an organisation."""

    def allowed(self) -> bool:
        return current_acteur().organisation_id is not None

    @property
    def acteur(self):
        return current_acteur()

    def dossier_ou_404(self, id: int) -> Dossier:
        dossier = db.session.scalar(select(Dossier).where(
            Dossier.id == id, Dossier.organisation_id == self.acteur.organisation_id))
        if dossier is None:
            abort(404)
        return dossier

    def candidature_ou_404(self, id: int) -> Candidature:
        cand = db.session.scalar(
            select(Candidature).join(Dossier, Dossier.id == Candidature.dossier_id)
            .where(Candidature.id == id,
                   Dossier.organisation_id == self.acteur.organisation_id))
        if cand is None:
            abort(404)
        return cand

    def piece_ou_404(self, id: int) -> PieceJustificative:
        piece = db.session.scalar(
            select(PieceJustificative).join(Dossier, Dossier.id == PieceJustificative.dossier_id)
            .where(PieceJustificative.id == id,
                   Dossier.organisation_id == self.acteur.organisation_id))
        if piece is None:
            abort(404)
        return piece


def refuser(exc: Exception, back: str):
    """A refusal of a service: nothing changes, its French message is shown."""
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(back)


def erreurs(form) -> None:
    """Flash the field errors of a small form posted from a page section."""
    for field in form:
        for e in field.errors:
            flash(f"{field.label.text} : {e}", "error")
