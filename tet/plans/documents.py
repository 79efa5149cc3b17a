"""Justificatifs attached to a fiche: stored on disk under a generated name, checked for size
and type before anything is written to the database."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from tet.extensions import db
from tet.plans.models import Document, FicheAction
from tet.comptes.models import User

# extension → accepted leading bytes (None: plain text, checked for NUL bytes)
ALLOWED = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "odt": (b"PK\x03\x04",), "ods": (b"PK\x03\x04",), "odp": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",), "pptx": (b"PK\x03\x04",),
    "csv": None, "txt": None,
}
MIME = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg",
        "jpeg": "image/jpeg", "csv": "text/csv", "txt": "text/plain"}


class DocumentError(ValueError):
    """A refused upload (French message)."""


def folder() -> Path:
    path = Path(current_app.config.get("DOCUMENTS_FOLDER")
                or os.path.join(current_app.instance_path, "documents"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check_upload(stream, filename: str) -> tuple[str, str, bytes]:
    """Read an upload within the size limit and check its type: ``(shown name, extension,
    content)``; ``DocumentError`` with a French message when refused."""
    max_bytes = current_app.config["DOCUMENT_MAX_BYTES"]
    display = os.path.basename((filename or "").replace("\\", "/")).strip()[:255]
    ext = _extension(display)
    if not display or ext not in ALLOWED:
        raise DocumentError("Type de fichier refusé. Formats acceptés : "
                            + ", ".join(sorted(ALLOWED)) + ".")
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DocumentError(f"Fichier trop volumineux (maximum {max_bytes // (1024 * 1024)} Mo).")
    if not data:
        raise DocumentError("Le fichier est vide.")
    signatures = ALLOWED[ext]
    if signatures is None:
        if b"\x00" in data[:4096]:
            raise DocumentError("Le contenu ne correspond pas à un fichier texte.")
    elif not any(data.startswith(sig) for sig in signatures):
        raise DocumentError(f"Le contenu du fichier ne correspond pas à son extension .{ext}.")
    return display, ext, data


@contextmanager
def stored_file(data: bytes, ext: str):
    """Write ``data`` under a generated name (yielded); removed again if the block fails."""
    stored = f"{uuid.uuid4().hex}.{ext}"
    target = folder() / stored
    target.write_bytes(data)
    try:
        yield stored
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def mime_of(ext: str) -> str:
    return MIME.get(ext, "application/octet-stream")


def save_upload(fiche: FicheAction, stream, filename: str, by: User) -> Document:
    """Check and store an uploaded file; nothing stays on disk when it is refused."""
    display, ext, data = check_upload(stream, filename)
    with stored_file(data, ext) as stored:
        doc = Document(fiche_id=fiche.id, nom=display, stored_name=stored, taille=len(data),
                       type_mime=mime_of(ext), ajoute_par_id=by.id)
        db.session.add(doc)
        db.session.flush()
    return doc


def add_link(fiche: FicheAction, nom: str, url: str, by: User) -> Document:
    url = (url or "").strip()
    if not url.lower().startswith(("https://", "http://")):
        raise DocumentError("Le lien doit commencer par https:// ou http://.")
    doc = Document(fiche_id=fiche.id, nom=(nom or url).strip()[:255], url=url[:1000],
                   ajoute_par_id=by.id)
    db.session.add(doc)
    db.session.flush()
    return doc


def path_of(doc: Document) -> Path:
    """The file of a stored document, never outside the documents folder."""
    base = folder().resolve()
    path = (base / (doc.stored_name or "")).resolve()
    if doc.stored_name is None or path.parent != base:
        raise DocumentError("Document introuvable.")
    return path


def remove(doc: Document) -> None:
    if doc.stored_name:
        path_of(doc).unlink(missing_ok=True)
    db.session.delete(doc)
