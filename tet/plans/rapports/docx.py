"""A plan's bilan as a Word document (python-docx): the same sections as the PDF — cover,
key figures with the statut chart (a PNG given by the caller, with its text alternative and
the table of its figures), late fiches, the tree with each fiche's essential fields — in
French, with headings a reader can navigate."""
from __future__ import annotations

from docx.shared import Pt

from tet.plans.models import PLAN_TYPES
from tet.plans.rapports import textes
from tet.plans.rapports.donnees import Bilan
from tet.rapports import word
from tet.rapports.format import date_courte, date_longue, nombre, pluralise, pourcentage


def bilan(b: Bilan, png_statuts: bytes | None = None) -> bytes:
    doc = word.document(f"Bilan — {b.plan.nom}", b.collectivite,
                        f"Bilan du plan d’action « {b.plan.nom} » au {date_courte(b.le)}")
    _couverture(doc, b)
    if b.section("chiffres"):
        _chiffres(doc, b, png_statuts)
    if b.section("retard"):
        _retard(doc, b)
    if b.section("arbre"):
        _arbre(doc, b)
    return word.octets(doc)


def _couverture(doc, b: Bilan) -> None:
    p = doc.add_paragraph(b.collectivite)
    p.runs[0].font.size = Pt(14)
    doc.add_paragraph(b.plan.nom, style="Title")
    p = doc.add_paragraph(f"Bilan du plan d’action · {dict(PLAN_TYPES).get(b.plan.type, 'Autre')}")
    p.runs[0].font.size = Pt(14)
    doc.add_paragraph(f"Au {date_longue(b.le)}")
    if b.filtres():
        doc.add_paragraph(f"Fiches retenues : {' ; '.join(b.filtres())}.")
    doc.add_paragraph(f"{pluralise(b.chiffres.total, 'fiche action', 'fiches action')} · "
                      "document produit par le back-office Territoires en Transitions")
    word.saut_de_page(doc)


def _chiffres(doc, b: Bilan, png) -> None:
    c = b.chiffres
    doc.add_heading("Chiffres clés", level=1)
    realisees = dict((code, n) for code, _l, n in c.par_statut).get("realise", 0)
    word.tableau(doc, ["Fiches action", "Avancement", "Réalisées", "En retard"],
                 [[nombre(c.total), pourcentage(c.avancement), nombre(realisees),
                   nombre(c.en_retard)]])
    doc.add_paragraph("Avancement : part des fiches réalisées parmi les fiches non "
                      "abandonnées.").runs[0].italic = True
    doc.add_heading("Fiches par statut", level=2)
    if png:
        word.image(doc, png, "Fiches par statut : " + ", ".join(
            f"{label} {n}" for _c, label, n in c.par_statut))
    word.tableau(doc, ["Statut", "Fiches"], [[label, nombre(n)] for _c, label, n in c.par_statut])
    if c.par_axe:
        doc.add_heading("Avancement par axe", level=2)
        word.tableau(doc, ["Axe", "Fiches", "Avancement"],
                     [[nom, nombre(n), pourcentage(av)] for _id, nom, n, av in c.par_axe])


def _retard(doc, b: Bilan) -> None:
    c = b.chiffres
    doc.add_heading("Fiches en retard", level=1)
    if not c.retard:
        doc.add_paragraph("Aucune fiche en retard.")
        return
    suite = (f" ; les {len(c.retard)} plus anciennes ci-dessous"
             if c.en_retard > len(c.retard) else "")
    doc.add_paragraph(f"{pluralise(c.en_retard, 'fiche')} dont la date de fin est passée "
                      f"sans être réalisée{'s' if c.en_retard > 1 else ''}{suite}.")
    word.tableau(doc, ["Fiche", "Statut", "Fin prévue"],
                 [[f.titre, textes.STATUT.get(f.statut, f.statut), date_courte(f.date_fin)]
                  for f in c.retard])


def _arbre(doc, b: Bilan) -> None:
    word.saut_de_page(doc)
    doc.add_heading("Plan détaillé", level=1)
    if b.racine:
        doc.add_heading("Fiches rangées à la racine du plan", level=2)
        _fiches(doc, b, b.racine, 3)
    for br in b.branches:
        level = min(2 + br.niveau, 4)
        doc.add_heading(br.titre, level=level)
        _fiches(doc, b, br.fiches, level + 1)
    if not b.racine and not b.branches:
        doc.add_paragraph("Aucune fiche ne correspond aux filtres choisis.")


def _fiches(doc, b: Bilan, ids, level: int) -> None:
    for fid, deja in ids:
        d = b.details[fid]
        if deja:
            doc.add_paragraph(f"« {d.fiche.titre} » : voir plus haut.").runs[0].italic = True
            continue
        doc.add_heading(d.fiche.titre, level=level)
        doc.add_paragraph(textes.entete(d, b.le)).runs[0].bold = True
        if d.pilotes:
            word.etiquette(doc, "Pilotes", ", ".join(d.pilotes))
        if d.tags.get("elu"):
            word.etiquette(doc, "Élu·e référent·e", ", ".join(d.tags["elu"]))
        if textes.dates(d.fiche):
            word.etiquette(doc, "Dates", textes.dates(d.fiche))
        if d.budget:
            word.etiquette(doc, "Budget", textes.budget(d))
        for i in d.indicateurs:
            word.etiquette(doc, "Indicateur", textes.indicateur(i))
        if d.notes:
            when, texte = d.notes[0]
            p = word.etiquette(doc, f"Dernière note de suivi ({date_courte(when)})",
                               textes.tronque(texte))
            p.runs[1].italic = True
