"""A generated document as a download: attachment with an ASCII name and its UTF-8 twin,
never cached (it holds the collectivité's data)."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

MIMES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def slug(text: str, size: int = 60, defaut: str = "document") -> str:
    """``« Plan climat » 2026`` → ``plan-climat-2026``."""
    ascii_ = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()[:size] or defaut


def telechargement(contenu: bytes, nom: str, extension: str) -> Response:
    """``contenu`` as ``nom.extension`` (``nom`` may hold accents: ``filename*``)."""
    ascii_name = f"{slug(nom)}.{extension}"
    utf8_name = quote(f"{nom}.{extension}")
    return Response(contenu, mimetype=MIMES[extension], headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{utf8_name}",
        "Cache-Control": "private, no-store"})
