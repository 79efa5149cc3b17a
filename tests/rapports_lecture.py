"""Reading generated reports back in tests: PDF through poppler's pdftotext / pdfinfo
(installed by .ci/run), Word and PowerPoint through python-docx / python-pptx."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile

import pytest


def _poppler(tool: str, data: bytes, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} absent (paquet poppler-utils, installé par .ci/run)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        extra = ["-"] if tool == "pdftotext" else []
        done = subprocess.run([tool, *args, f.name, *extra], capture_output=True, check=True,
                              timeout=60)
    return done.stdout.decode("utf-8")


def pdf_texte(data: bytes) -> str:
    """The text of a PDF, lines joined by spaces (a title may wrap)."""
    assert data.startswith(b"%PDF-")
    return " ".join(_poppler("pdftotext", data, "-enc", "UTF-8").split())


def pdf_infos(data: bytes) -> dict[str, str]:
    """pdfinfo's fields (Title, Author, Tagged, Pages…)."""
    out = {}
    for line in _poppler("pdfinfo", data).splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def docx_texte(data: bytes):
    """(document, its paragraphs' and tables' text joined)."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return doc, " ".join(" ".join(parts).split())


def pptx_diapos(data: bytes):
    """(presentation, [text of each slide])."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    textes = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
              for slide in prs.slides]
    return prs, textes
