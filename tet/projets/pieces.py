"""Pièces justificatives of a dossier: uploads checked as every other document (size, type,
generated stored name: ``tet.plans.documents``), answering a call's ``PieceRequise``
when they say so.

A general pièce follows the dossier's lock; a pièce answering a call's requirement may be
added or removed while the candidature to that call is still a brouillon.
"""
from __future__ import annotations

from sqlalchemy import select

from tet.extensions import db
from tet.plans import documents
from tet.projets.commun import Refus, exiger, journal
from tet.projets.dossiers import VERROU
from tet.projets.models import Candidature, Dossier, PieceJustificative, PieceRequise
from tet.projets.permissions import est_porteur, peut_modifier_dossier


def _modifiable(a, dossier: Dossier, requise: PieceRequise | None) -> None:
    exiger(est_porteur(a, dossier), "Seul le porteur du dossier en gère les pièces.")
    if requise is not None:
        statut = db.session.scalar(select(Candidature.statut).where(
            Candidature.dossier_id == dossier.id, Candidature.appel_id == requise.appel_id))
        exiger(statut is not None, "Cette pièce est demandée par un appel auquel le dossier "
               "ne répond pas.")
        exiger(statut == "brouillon", "La candidature à cet appel est déposée : ses pièces "
               "ne changent plus.")
    else:
        exiger(peut_modifier_dossier(a, dossier), VERROU)


def ajouter(a, dossier: Dossier, stream, filename: str,
            requise: PieceRequise | None = None) -> PieceJustificative:
    """Check and store an upload (``Refus`` with the French reason when refused; nothing
    stays on disk then)."""
    _modifiable(a, dossier, requise)
    try:
        nom, ext, data = documents.check_upload(stream, filename)
    except documents.DocumentError as exc:
        raise Refus(str(exc)) from None
    with documents.stored_file(data, ext) as stored, journal(a, "Dossier : ajout d'une pièce"):
        piece = PieceJustificative(
            dossier_id=dossier.id, piece_requise_id=requise.id if requise else None, nom=nom,
            stored_name=stored, taille=len(data), type_mime=documents.mime_of(ext),
            ajoute_par_id=a.user.id)
        db.session.add(piece)
        db.session.flush()
    return piece


def supprimer(a, piece: PieceJustificative) -> None:
    _modifiable(a, piece.dossier, piece.piece_requise)
    with journal(a, "Dossier : suppression d'une pièce"):
        path = documents.path_of(piece)
        db.session.delete(piece)
        db.session.flush()
    path.unlink(missing_ok=True)


def chemin(piece: PieceJustificative):
    """The stored file (never outside the documents folder); the caller checked that the
    acteur sees the dossier (``policy_for(PieceJustificative).visible``)."""
    return documents.path_of(piece)
