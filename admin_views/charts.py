"""Server-side SVG charts (no JavaScript, no CDN): horizontal bars, a timeline, lines and
the maturity history. Every chart is followed by its data as a table (« Voir les données »:
the text alternative), labels are written by the one French formatter (tet/formats.py) in
two sizes only (LABEL, TICK), and an SVG is never drawn larger than its own width."""
from __future__ import annotations

from datetime import date, datetime

from markupsafe import Markup, escape

from tet.formats import PARIS, a_paris, date_fr, date_heure, nombre

LABEL = 12  # font size of labels and values
TICK = 11  # font size of axis ticks and keys


def _svg(css: str, title: str, width: int, height: float, body: str) -> str:
    """An SVG at most its own width (the page's CSS scales it down, never up)."""
    return (f'<svg class="tet-chart {css}" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {width} {height:.0f}" width="{width}" '
            f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            f'<title>{escape(title)}</title>{body}</svg>')


def data_table(title: str, headers: list[str], rows: list[list]) -> str:
    """The chart's data as a table in a closed ``<details>``: first column row headers."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(
        (f'<th scope="row">{escape(c)}</th>' if i == 0 else f'<td>{escape(c)}</td>')
        for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (f'<details class="tet-donnees small mt-1"><summary>Voir les données</summary>'
            f'<table class="table table-sm mb-0"><caption>{escape(title)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>')

PALETTE = {"a_venir": "#6c757d", "en_cours": "#007bff", "realise": "#28a745",
           "en_pause": "#ffc107", "abandonne": "#343a40", "bloque": "#dc3545",
           "en_retard": "#e8590c", "a_discuter": "#17a2b8",
           "eleve": "#dc3545", "moyen": "#ffc107", "bas": "#28a745", "": "#adb5bd"}


def bars(items: list[tuple[str, float, str]], title: str, unit: str = "",
         width: int = 520, label_width: int = 220, bar_height: int = 22,
         headers: tuple[str, str] = ("Libellé", "Nombre")) -> Markup:
    """Horizontal bars: items are (label, value, colour); ``headers`` name the columns of
    the data table."""
    top = max((v for _, v, _ in items), default=0) or 1
    height = bar_height * len(items) + 8
    span = width - label_width - 60
    rows = []
    for i, (label, value, colour) in enumerate(items):
        y = 4 + i * bar_height
        w = round(span * value / top) if value else 0
        shown = f"{nombre(value)}{unit}"
        rows.append(
            f'<g><title>{escape(label)} : {escape(shown)}</title>'
            f'<text x="{label_width - 6}" y="{y + bar_height * .68:.1f}" text-anchor="end" '
            f'font-size="{LABEL}">{escape(_short(label, _fits(label_width - 10)))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w}" height="{bar_height - 6}" '
            f'rx="2" fill="{colour}"/>'
            f'<text x="{label_width + w + 4}" y="{y + bar_height * .68:.1f}" '
            f'font-size="{LABEL}">{escape(shown)}</text></g>')
    table = data_table(title, list(headers),
                       [[label, f"{nombre(value)}{unit}"] for label, value, _ in items])
    return Markup(_svg("tet-bars", title, width, height, "".join(rows)) + table)


def _short(label: str, size: int = 30) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _fits(pixels: int, font: int = LABEL) -> int:
    """How many characters of a label fit in ``pixels`` (a generous average glyph width,
    so that a label anchored at its end is never cut at the left edge)."""
    return max(8, int(pixels / (font * 0.6)))


def gauge(percent: int | None, title: str) -> Markup:
    """A progress bar with its percentage written in it."""
    value = max(0, min(percent or 0, 100))
    shown = "—" if percent is None else f"{nombre(percent)}\u00a0%"
    return Markup(
        f'<svg class="tet-gauge" role="img" aria-label="{escape(title)} : {shown}" '
        f'viewBox="0 0 200 22" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)} : {shown}</title>'
        f'<rect width="200" height="22" rx="4" fill="#e9ecef"/>'
        f'<rect width="{2 * value}" height="22" rx="4" fill="#28a745"/>'
        f'<text x="100" y="15" text-anchor="middle" font-size="{LABEL}">{shown}</text></svg>')


def timeline(rows: list[dict], start: date, end: date, title: str,
             width: int = 1100, label_width: int = 330, row_height: int = 20) -> Markup:
    """Gantt-like rows: {"label", "start", "end", "colour", "late", "group"} (group rows are
    headings). Years are marked on the axis."""
    days = max((end - start).days, 1)
    span = width - label_width - 10

    def x(d: date) -> float:
        return label_width + span * max(0, min((d - start).days, days)) / days

    parts, y = [], 24
    for d, label in _ticks(start, end):
        parts.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="18" y2="100%" '
                     f'stroke="#dee2e6"/><text x="{x(d) + 3:.1f}" y="14" '
                     f'font-size="{TICK}">{label}</text>')
    today = date.today()
    table, group = [], ""
    for row in rows:
        if row.get("group"):
            group = row["label"]
            parts.append(f'<text x="4" y="{y + 14}" font-size="{LABEL}" font-weight="bold">'
                         f'{escape(_short(row["label"], 60))}</text>')
            y += row_height
            continue
        s, e = row.get("start"), row.get("end")
        table.append([row["label"], group, row.get("statut_label", ""), date_fr(s), date_fr(e),
                      "oui" if row.get("late") else "non"])
        label = escape(_short(row["label"], 48))
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" font-size="{LABEL}" '
                     f'text-anchor="end">{label}</text>')
        if s or e:
            s, e = s or e, e or s
            bar_w = max(x(e) - x(s), 3)
            stroke = ' stroke="#dc3545" stroke-width="2"' if row.get("late") else ""
            tip = f'{row["label"]} : {date_fr(s)} → {date_fr(e)}'
            if row.get("late"):
                tip += " (en retard)"
            parts.append(f'<rect x="{x(s):.1f}" y="{y + 4}" width="{bar_w:.1f}" height="12" '
                         f'rx="2" fill="{row.get("colour", "#007bff")}"{stroke}>'
                         f'<title>{escape(tip)}</title></rect>')
        y += row_height
    if start <= today <= end:
        parts.append(f'<line x1="{x(today):.1f}" x2="{x(today):.1f}" y1="18" y2="{y}" '
                     f'stroke="#dc3545" stroke-dasharray="4 3"><title>Aujourd\'hui</title>'
                     f'</line>')
    return Markup(_svg("tet-timeline", title, width, y + 6, "".join(parts)) + data_table(
        title, ["Fiche", "Axe", "Statut", "Début", "Fin", "Fin dépassée"], table))


MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
        "nov.", "déc."]


def _ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Month starts on a span of about a year or less, else year starts."""
    if (end - start).days <= 400:
        months = [date(y, m, 1) for y in range(start.year, end.year + 1) for m in range(1, 13)]
        return [(d, MOIS[d.month - 1]) for d in months if start <= d <= end]
    years = [date(y, 1, 1) for y in range(start.year, end.year + 1)]
    return [(d, str(d.year)) for d in years if start <= d <= end]


def _swatch(fill: str, late: bool = False, today: bool = False) -> str:
    mark = ('<line x1="7" x2="7" y1="0" y2="14" stroke="#dc3545" stroke-width="2" '
            'stroke-dasharray="4 3"/>' if today else
            f'<rect x="1" y="2" width="14" height="10" rx="2" fill="{fill}"'
            + (' stroke="#dc3545" stroke-width="2"' if late else "") + "/>")
    return (f'<svg width="16" height="14" viewBox="0 0 16 14" aria-hidden="true" '
            f'focusable="false" xmlns="http://www.w3.org/2000/svg">{mark}</svg>')


def legend(items: list[tuple[str, str]], title: str = "Légende") -> Markup:
    """The calendar's key as text: a swatch and its label per (label, colour), then late
    bars and today's line."""
    keys = [(label, _swatch(colour)) for label, colour in items]
    keys += [("date de fin dépassée (contour rouge)", _swatch("#fff", late=True)),
             ("aujourd’hui (trait rouge pointillé)", _swatch("", today=True))]
    entries = "".join(f'<li class="list-inline-item mr-3">{mark} {escape(label)}</li>'
                      for label, mark in keys)
    return Markup(f'<figure class="tet-legend mb-2"><figcaption class="sr-only">'
                  f'{escape(title)}</figcaption><ul class="list-inline small mb-0" '
                  f'aria-label="{escape(title)}">{entries}</ul></figure>')


def lines(series: list[tuple[str, dict[int, float], str]], title: str, unit: str = "",
          width: int = 640, height: int = 260) -> Markup:
    """Yearly series as lines with dots; a missing year breaks the line (gap). Series are
    (label, {année: valeur}, colour)."""
    years = sorted({y for _, values, _ in series for y in values})
    if not years:
        return Markup('<p class="text-muted">Aucune valeur saisie.</p>')
    values = [float(v) for _, vals, _ in series for v in vals.values()]
    low, high = min(0.0, min(values)), max(values) or 1.0
    left, right, top, bottom = 64, 16, 16, 40
    first, last = years[0], max(years[-1], years[0] + 1)

    def x(year):
        return left + (width - left - right) * (year - first) / (last - first)

    def y(value):
        return top + (height - top - bottom) * (1 - (float(value) - low) / ((high - low) or 1))

    parts = [f'<line x1="{left}" y1="{y(low):.1f}" x2="{width - right}" y2="{y(low):.1f}" '
             f'stroke="#adb5bd"/>']
    for tick in range(5):
        v = low + (high - low) * tick / 4
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="{TICK}" '
                     f'text-anchor="end">{escape(nombre(v))}</text><line x1="{left}" '
                     f'x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#f1f3f5"/>')
    step = max(1, round(len(range(first, last + 1)) / 12))
    for year in range(first, last + 1, step):
        parts.append(f'<text x="{x(year):.1f}" y="{height - bottom + 16}" '
                     f'font-size="{TICK}" text-anchor="middle">{year}</text>')
    for label, vals, colour in series:
        segment: list[str] = []
        for year in range(first, last + 1):
            if year in vals:
                segment.append(f"{x(year):.1f},{y(vals[year]):.1f}")
            else:
                parts.append(_polyline(segment, colour))
                segment = []
        parts.append(_polyline(segment, colour))
        for year, v in sorted(vals.items()):
            parts.append(f'<circle cx="{x(year):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}">'
                         f'<title>{escape(label)} {year} : {escape(nombre(v, max_decimales=4))} '
                         f'{escape(unit)}</title></circle>')
    legend = "".join(
        f'<rect x="{left + i * 130}" y="{height - 14}" width="10" height="10" fill="{c}"/>'
        f'<text x="{left + i * 130 + 14}" y="{height - 5}" font-size="{TICK}">'
        f'{escape(label)}</text>' for i, (label, _, c) in enumerate(series))
    table = [[str(year)] + [nombre(vals[year], max_decimales=4) if year in vals else "—"
                            for _, vals, _ in series] for year in years]
    headers = ["Année"] + [f"{label} ({unit})" if unit else label for label, _, _ in series]
    return Markup(_svg("tet-lines", title, width, height, "".join(parts) + legend)
                  + data_table(title, headers, table))


def _polyline(points: list[str], colour: str) -> str:
    if len(points) < 2:
        return ""
    return (f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"/>')


def history(points: list[tuple], title: str, width: int = 640, height: int = 180) -> Markup:
    """The index over time: points are (datetime, indice), placed at their date (so two
    years of answers read as two years), with the first of January of each year marked."""
    points = [(a_paris(d), v) for d, v in points if v is not None]
    if not points:
        return Markup('<p class="text-muted">Pas encore d\'historique.</p>')
    left, right, top, bottom = 36, 12, 10, 26
    start, end = points[0][0], points[-1][0]
    span = (end - start).total_seconds()

    def at(moment) -> float:
        share = (moment - start).total_seconds() / span if span else 0.5
        return left + (width - left - right) * share

    def x(i):
        return at(points[i][0])

    def y(v):
        return top + (height - top - bottom) * (1 - v / 100)

    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   f'stroke="#f1f3f5"/><text x="{left - 4}" y="{y(v) + 4:.1f}" '
                   f'font-size="{TICK}" text-anchor="end">{v}</text>' for v in (0, 25, 50, 75, 100))
    line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points))
    dots = "".join(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#007bff"><title>'
                   f'{date_heure(d)} : {nombre(v)}</title></circle>'
                   for i, (d, v) in enumerate(points))
    years = [datetime(y, 1, 1, tzinfo=PARIS) for y in range(start.year + 1, end.year + 1)]
    ticks = "".join(f'<line x1="{at(t):.1f}" x2="{at(t):.1f}" y1="{top}" y2="{height - bottom}" '
                    f'stroke="#dee2e6" stroke-dasharray="3 3"/><text x="{at(t):.1f}" '
                    f'y="{top + 10}" font-size="{TICK}" text-anchor="middle">{t.year}</text>'
                    for t in years)
    labels = (f'<text x="{left}" y="{height - 6}" font-size="{TICK}">{date_fr(points[0][0])}'
              f'</text><text x="{width - right}" y="{height - 6}" font-size="{TICK}" '
              f'text-anchor="end">{date_fr(points[-1][0])}</text>')
    body = (f'{grid}{ticks}<polyline points="{line}" fill="none" stroke="#007bff" '
            f'stroke-width="2"/>{dots}{labels}')
    table = [[date_heure(d), nombre(v)] for d, v in points]
    return Markup(_svg("tet-history", title, width, height, body)
                  + data_table(title, ["Date (heure de Paris)", "Indice"], table))
