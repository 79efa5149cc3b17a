"""What every Word report shares (python-docx): French language on the styles, metadata,
a readable body font, pictures with a text alternative, simple tables."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BLEU = RGBColor(0x00, 0x00, 0x91)
LANGUE = "fr-FR"
POLICE = "Arial"  # on every office suite (LibreOffice maps it to Liberation Sans)


def document(titre: str, auteur: str, sujet: str):
    """An A4 document in French with its title, author and subject set."""
    doc = Document()
    props = doc.core_properties
    props.title, props.author, props.subject = titre, auteur, sujet
    props.language, props.keywords = LANGUE, "Territoires en Transitions"
    props.created = props.modified = datetime.now(timezone.utc).replace(tzinfo=None)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    for style in doc.styles:
        if style.type == 1:  # paragraph styles: language and font
            rpr = style.element.get_or_add_rPr()
            lang = rpr.find(qn("w:lang")) or rpr.makeelement(qn("w:lang"), {})
            lang.set(qn("w:val"), LANGUE)
            lang.set(qn("w:eastAsia"), LANGUE)
            if lang.getparent() is None:
                rpr.append(lang)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = POLICE, Pt(10)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5"):
        doc.styles[name].font.name = POLICE
        doc.styles[name].font.color.rgb = BLEU
    return doc


def saut_de_page(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def image(doc, png: bytes, alternative: str, largeur_cm: float = 16) -> None:
    """A picture with its text alternative (``descr``, read by screen readers)."""
    doc.add_picture(io.BytesIO(png), width=Cm(largeur_cm))
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set("descr", alternative)
    inline.docPr.set("title", alternative)


def tableau(doc, entetes: list[str], lignes: list[list[str]]) -> None:
    """A table with a header row repeated on each page."""
    table = doc.add_table(rows=1, cols=len(entetes))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, entetes):
        cell.text = text
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for ligne in lignes:
        for cell, text in zip(table.add_row().cells, ligne):
            cell.text = text


def etiquette(doc, libelle: str, texte: str, style=None):
    """A paragraph « Libellé : texte » with the label in bold."""
    p = doc.add_paragraph(style=style)
    p.add_run(f"{libelle} : ").bold = True
    p.add_run(texte)
    p.paragraph_format.space_after = Pt(2)
    return p


def octets(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
