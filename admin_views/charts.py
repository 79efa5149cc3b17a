"""Server-side SVG charts (no JavaScript, no CDN): horizontal bars and a timeline."""
from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

PALETTE = {"a_venir": "#6c757d", "en_cours": "#007bff", "realise": "#28a745",
           "en_pause": "#ffc107", "abandonne": "#343a40", "bloque": "#dc3545",
           "en_retard": "#e8590c", "a_discuter": "#17a2b8",
           "eleve": "#dc3545", "moyen": "#ffc107", "bas": "#28a745", "": "#adb5bd"}


def bars(items: list[tuple[str, float, str]], title: str, unit: str = "",
         width: int = 520, label_width: int = 190, bar_height: int = 22) -> Markup:
    """Horizontal bars: items are (label, value, colour)."""
    top = max((v for _, v, _ in items), default=0) or 1
    height = bar_height * len(items) + 8
    span = width - label_width - 60
    rows = []
    for i, (label, value, colour) in enumerate(items):
        y = 4 + i * bar_height
        w = round(span * value / top) if value else 0
        shown = f"{value:g}{unit}"
        rows.append(
            f'<g><title>{escape(label)} : {escape(shown)}</title>'
            f'<text x="{label_width - 6}" y="{y + bar_height * .68:.1f}" text-anchor="end" '
            f'font-size="12">{escape(_short(label))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w}" height="{bar_height - 6}" '
            f'rx="2" fill="{colour}"/>'
            f'<text x="{label_width + w + 4}" y="{y + bar_height * .68:.1f}" font-size="12">'
            f'{escape(shown)}</text></g>')
    return Markup(
        f'<svg class="tet-chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(rows)}</svg>')


def _short(label: str, size: int = 30) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def gauge(percent: int | None, title: str) -> Markup:
    """A progress bar with its percentage written in it."""
    value = percent or 0
    shown = "—" if percent is None else f"{percent} %"
    return Markup(
        f'<svg class="tet-gauge" role="img" aria-label="{escape(title)} : {shown}" '
        f'viewBox="0 0 200 22" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)} : {shown}</title>'
        f'<rect width="200" height="22" rx="4" fill="#e9ecef"/>'
        f'<rect width="{2 * value}" height="22" rx="4" fill="#28a745"/>'
        f'<text x="100" y="15" text-anchor="middle" font-size="12">{shown}</text></svg>')


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
                     f'stroke="#dee2e6"/><text x="{x(d) + 3:.1f}" y="14" font-size="11">'
                     f'{label}</text>')
    today = date.today()
    for row in rows:
        if row.get("group"):
            parts.append(f'<text x="4" y="{y + 14}" font-size="12" font-weight="bold">'
                         f'{escape(_short(row["label"], 60))}</text>')
            y += row_height
            continue
        s, e = row.get("start"), row.get("end")
        label = escape(_short(row["label"], 48))
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" font-size="11" '
                     f'text-anchor="end">{label}</text>')
        if s or e:
            s, e = s or e, e or s
            bar_w = max(x(e) - x(s), 3)
            stroke = ' stroke="#dc3545" stroke-width="2"' if row.get("late") else ""
            tip = f'{row["label"]} : {s.strftime("%d/%m/%Y")} → {e.strftime("%d/%m/%Y")}'
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
    return Markup(
        f'<svg class="tet-timeline" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {y + 6}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)}</title>{"".join(parts)}</svg>')


MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
        "nov.", "déc."]


def _ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Month starts on a span of about a year or less, else year starts."""
    if (end - start).days <= 400:
        months = [date(y, m, 1) for y in range(start.year, end.year + 1) for m in range(1, 13)]
        return [(d, MOIS[d.month - 1]) for d in months if start <= d <= end]
    years = [date(y, 1, 1) for y in range(start.year, end.year + 1)]
    return [(d, str(d.year)) for d in years if start <= d <= end]


SWATCH = '<rect x="{x}" y="3" width="14" height="10" rx="2" fill="{fill}"{extra}/>'
TODAY_MARK = ('<line x1="{mid}" x2="{mid}" y1="0" y2="16" stroke="#dc3545" '
              'stroke-dasharray="4 3"/>')


def legend(items: list[tuple[str, str]], width: int = 1100) -> Markup:
    """The calendar's key: a swatch per (label, colour), then late bars and today."""
    late = ' stroke="#dc3545" stroke-width="2"'
    keys = [(label, SWATCH.format(x="{x}", fill=colour, extra="")) for label, colour in items]
    keys += [("date de fin dépassée", SWATCH.format(x="{x}", fill="#fff", extra=late)),
             ("aujourd'hui", TODAY_MARK)]
    parts, x = [], 0
    for label, mark in keys:
        parts.append(mark.format(x=x, mid=x + 7) + f'<text x="{x + 18}" y="12" '
                     f'font-size="11">{escape(label)}</text>')
        x += 28 + 7 * len(label)
    return Markup(
        f'<svg class="tet-legend" role="img" aria-label="Légende" '
        f'viewBox="0 0 {max(x, width)} 16" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title>Légende</title>{"".join(parts)}</svg>')


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
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">'
                     f'{escape(_fr(v))}</text><line x1="{left}" x2="{width - right}" '
                     f'y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#f1f3f5"/>')
    step = max(1, round(len(range(first, last + 1)) / 12))
    for year in range(first, last + 1, step):
        parts.append(f'<text x="{x(year):.1f}" y="{height - bottom + 16}" font-size="10" '
                     f'text-anchor="middle">{year}</text>')
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
                         f'<title>{escape(label)} {year} : {escape(_fr(v))} {escape(unit)}'
                         f'</title></circle>')
    legend = "".join(
        f'<rect x="{left + i * 130}" y="{height - 14}" width="10" height="10" fill="{c}"/>'
        f'<text x="{left + i * 130 + 14}" y="{height - 5}" font-size="11">{escape(label)}</text>'
        for i, (label, _, c) in enumerate(series))
    return Markup(
        f'<svg class="tet-lines" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}'
        f'</title>{"".join(parts)}{legend}</svg>')


def _polyline(points: list[str], colour: str) -> str:
    if len(points) < 2:
        return ""
    return (f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"/>')


def _fr(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def history(points: list[tuple], title: str, width: int = 640, height: int = 180) -> Markup:
    """The index over time: points are (datetime, indice); evenly spaced, dated ends."""
    points = [(d, v) for d, v in points if v is not None]
    if not points:
        return Markup('<p class="text-muted">Pas encore d\'historique.</p>')
    left, right, top, bottom = 36, 12, 10, 26
    n = len(points)

    def x(i):
        return left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5)

    def y(v):
        return top + (height - top - bottom) * (1 - v / 100)

    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   f'stroke="#f1f3f5"/><text x="{left - 4}" y="{y(v) + 4:.1f}" font-size="10" '
                   f'text-anchor="end">{v}</text>' for v in (0, 25, 50, 75, 100))
    line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points))
    dots = "".join(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#007bff"><title>'
                   f'{d:%d/%m/%Y %H:%M} : {v}</title></circle>' for i, (d, v) in enumerate(points))
    labels = (f'<text x="{left}" y="{height - 6}" font-size="10">{points[0][0]:%d/%m/%Y}</text>'
              f'<text x="{width - right}" y="{height - 6}" font-size="10" text-anchor="end">'
              f'{points[-1][0]:%d/%m/%Y}</text>')
    return Markup(
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'{grid}<polyline points="{line}" fill="none" stroke="#007bff" stroke-width="2"/>'
        f'{dots}{labels}</svg>')
