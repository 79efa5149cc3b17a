"""A short PowerPoint bilan for a council meeting (python-pptx): a title slide, a figures
slide (key figures and a native bar chart of the statuts, editable in PowerPoint), then one
slide per top-level axe (its figures and first fiches). Text in French (language set on
every run), title and author in the file's properties."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.util import Cm, Pt

from tet.plans.models import PLAN_TYPES
from tet.plans.rapports import textes
from tet.plans.rapports.donnees import Bilan
from tet.rapports.format import date_longue, nombre, pluralise, pourcentage

FICHES_PAR_DIAPO = 8
BLEU = RGBColor(0x00, 0x00, 0x91)


def bilan(b: Bilan, couleurs: dict[str, str] | None = None) -> bytes:
    """``couleurs``: statut code → ``#rrggbb`` for the chart's bars (the dashboard's)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Cm(33.867), Cm(19.05)  # 16:9
    props = prs.core_properties
    props.title, props.author = f"Bilan — {b.plan.nom}", b.collectivite
    props.subject, props.language = f"Bilan du plan d’action au {date_longue(b.le)}", "fr-FR"
    props.created = props.modified = datetime.now(timezone.utc).replace(tzinfo=None)
    _titre(prs, b)
    _chiffres(prs, b, couleurs or {})
    for axe_id, titre, fiches in _axes(b):
        _axe(prs, b, axe_id, titre, fiches)
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for p in shape.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.language_id = MSO_LANGUAGE_ID.FRENCH
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _titre(prs, b: Bilan) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = b.plan.nom
    slide.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb = BLEU
    lines = [b.collectivite, f"Bilan du plan d’action ({dict(PLAN_TYPES).get(b.plan.type, 'Autre')})"
             f" au {date_longue(b.le)}"]
    if b.filtres():
        lines.append("Fiches retenues : " + " ; ".join(b.filtres()))
    slide.placeholders[1].text = "\n".join(lines)


def _chiffres(prs, b: Bilan, couleurs) -> None:
    c = b.chiffres
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Chiffres clés"
    realisees = dict((code, n) for code, _l, n in c.par_statut).get("realise", 0)
    figures = [(nombre(c.total), "fiches action"), (pourcentage(c.avancement), "d’avancement"),
               (nombre(realisees), "réalisées"), (nombre(c.en_retard), "en retard")]
    for i, (valeur, libelle) in enumerate(figures):
        box = slide.shapes.add_textbox(Cm(1.5), Cm(4.5 + i * 3.3), Cm(8), Cm(3))
        tf = box.text_frame
        tf.text = valeur
        tf.paragraphs[0].runs[0].font.size = Pt(36)
        tf.paragraphs[0].runs[0].font.bold = True
        tf.paragraphs[0].runs[0].font.color.rgb = BLEU
        p = tf.add_paragraph()
        p.text = libelle
        p.runs[0].font.size = Pt(16)
    data = CategoryChartData()
    shown = [(code, label, n) for code, label, n in c.par_statut if n]
    data.categories = [label for _c, label, _n in shown] or ["Aucune fiche"]
    data.add_series("Fiches", [n for _c, _l, n in shown] or [0])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Cm(11), Cm(4), Cm(21),
                                   Cm(14), data)
    frame.name = "Fiches par statut"
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = True
    chart.chart_title.text_frame.text = "Fiches par statut"
    chart.plots[0].has_data_labels = True
    chart.category_axis.reverse_order = True
    for point, (code, _l, _n) in zip(chart.plots[0].series[0].points, shown):
        colour = couleurs.get(code)
        if colour:
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#"))


def _axes(b: Bilan):
    """(axe, title, [fiche id]) per top-level axe, its sous-axes' fiches included
    once."""
    out = []
    for br in b.branches:
        if br.niveau == 0:
            out.append((br.axe_id, br.titre, []))
        if out:
            known = out[-1][2]
            known += [fid for fid, _deja in br.fiches if fid not in known]
    return out


def _axe(prs, b: Bilan, axe_id: int, titre: str, fiches: list[int]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = titre
    figures = next(((n, av) for axe, _nom, n, av in b.chiffres.par_axe if axe == axe_id), None)
    tf = slide.placeholders[1].text_frame
    n = figures[0] if figures else len(fiches)
    tf.text = f"{pluralise(n, 'fiche')} · avancement {pourcentage(figures[1] if figures else None)}"
    for fid in fiches[:FICHES_PAR_DIAPO]:
        d = b.details[fid]
        p = tf.add_paragraph()
        p.text = f"{textes.tronque(d.fiche.titre, 90)} — {textes.entete(d, b.le)}"
        p.level = 1
        p.runs[0].font.size = Pt(16)
    if len(fiches) > FICHES_PAR_DIAPO:
        p = tf.add_paragraph()
        p.text = f"… et {pluralise(len(fiches) - FICHES_PAR_DIAPO, 'autre fiche', 'autres fiches')}"
        p.level = 1
