"""What the holders' pages share: access for an acteur acting for an organisation, rows
looked up inside that organisation only (another one's id is a 404), refusals flashed."""
from __future__ import annotations

from flask import abort, flash, redirect
from sqlalchemy import select

from admin_views.base import SecureView
from tet.comptes.permissions import current_acteur
from tet.extensions import db
from tet.projets.commun import Refus
from tet.projets.models import Candidature, Dossier, PieceJustificative


class PorteurView(SecureView):
    """A page of the holder's space: only while acting for an organisation."""

    def allowed(self) -> bool:
        return current_acteur().organisation_id is not None

    @property
    def acteur(self):
        return current_acteur()

    def _dans_l_organisation(self, model, id: int, *joins):
        """The row ``id`` of ``model`` when its dossier is the organisation's, else 404."""
        query = select(model)
        for target, on in joins:
            query = query.join(target, on)
        row = db.session.scalar(query.where(
            model.id == id, Dossier.organisation_id == self.acteur.organisation_id))
        if row is None:
            abort(404)
        return row

    def dossier_ou_404(self, id: int) -> Dossier:
        return self._dans_l_organisation(Dossier, id)

    def candidature_ou_404(self, id: int) -> Candidature:
        return self._dans_l_organisation(Candidature, id,
                                         (Dossier, Dossier.id == Candidature.dossier_id))

    def piece_ou_404(self, id: int) -> PieceJustificative:
        return self._dans_l_organisation(
            PieceJustificative, id, (Dossier, Dossier.id == PieceJustificative.dossier_id))


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


def agir(back: str, action, succes: str | None, form=None):
    """A small POST of a page section: the form checked (its errors flashed), the service
    ``action()`` run and committed, ``succes`` flashed; a refusal changes nothing."""
    if form is not None and not form.validate():
        erreurs(form)
        return redirect(back)
    try:
        action()
        db.session.commit()
    except Refus as exc:
        return refuser(exc, back)
    if succes:
        flash(succes, "success")
    return redirect(back)
