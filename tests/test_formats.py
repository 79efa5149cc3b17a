"""The one French formatter (tet/formats.py): numbers, money, percentages, Paris time
(around the daylight-saving changes), plurals; and its Jinja filters."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from tet import formats
from tet.formats import accord, date_fr, date_heure, heure, montant, nombre, pluriel, pourcent

NNBSP, NBSP = "\u202f", "\u00a0"
UTC = timezone.utc


@pytest.mark.parametrize("value,decimales,shown", [
    (24850, None, f"24{NNBSP}850"), (1234567, None, f"1{NNBSP}234{NNBSP}567"),
    (999, None, "999"), (-24850, None, f"-24{NNBSP}850"), (62, 1, "62,0"),
    (62.04, 1, "62,0"), (62.05, 1, "62,1"), (Decimal("3.14159"), None, "3,14"),
    (12.5, None, "12,5"), (12.0, None, "12"), (Decimal("1E+3"), None, f"1{NNBSP}000"),
    (0, None, "0"), (None, None, "—"), (float("nan"), None, "—"),
    (Decimal("sNaN"), None, "—"), (float("inf"), 1, "—"), (True, None, "—"),
])
def test_numbers(value, decimales, shown):
    assert nombre(value, decimales) == shown


def test_more_decimals_when_asked_and_text_left_alone():
    assert nombre(Decimal("0.1234"), max_decimales=4) == "0,1234"
    assert nombre("sans objet") == "sans objet"


def test_money_and_percent():
    assert montant(12500) == f"12{NNBSP}500{NBSP}€"
    assert montant(Decimal("12500.5")) == f"12{NNBSP}500,50{NBSP}€"
    assert montant(None) == "—"
    assert pourcent(62) == f"62{NBSP}%" and pourcent(62.04, 1) == f"62,0{NBSP}%"
    assert pourcent(None) == "—"


@pytest.mark.parametrize("instant,shown", [
    # spring forward (29 March 2026, 02:00 → 03:00 in Paris, 01:00 UTC)
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29/03/2026 01:59"),
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29/03/2026 03:00"),
    # fall back (25 October 2026, 03:00 → 02:00, 01:00 UTC): 02:30 twice
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25/10/2026 02:30"),
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25/10/2026 02:30"),
    (datetime(2026, 10, 25, 2, 30, tzinfo=UTC), "25/10/2026 03:30"),
    # winter: UTC + 1, and a naive instant (as SQLite returns it) is UTC
    (datetime(2026, 1, 1, 23, 30), "02/01/2026 00:30"),
    (datetime(2026, 7, 14, 22, 15, tzinfo=UTC), "15/07/2026 00:15"),
])
def test_instants_in_paris_around_daylight_saving(instant, shown):
    assert date_heure(instant) == shown
    assert date_fr(instant) == shown[:10] and heure(instant) == shown[11:]


def test_plain_dates_and_empty_values():
    assert date_fr(date(2026, 3, 1)) == "01/03/2026" == date_heure(date(2026, 3, 1))
    assert date_fr(None) == "—" == date_heure(None) == heure(None)
    assert formats.date_longue(date(2026, 3, 1)) == "1er mars 2026"
    assert formats.date_longue(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1er janvier 2027"


@pytest.mark.parametrize("n,args,shown", [
    (0, ("fiche",), "0 fiche"), (1, ("fiche",), "1 fiche"), (2, ("fiche",), "2 fiches"),
    (10, ("fiche",), "10 fiches"), (1.5, ("fiche",), "1,5 fiche"),
    (24850, ("fiche",), f"24{NNBSP}850 fiches"), (3, ("choix",), "3 choix"),
    (2, ("travail", "travaux"), "2 travaux"), (1, ("travail", "travaux"), "1 travail"),
    (3, ("fiche créée", "fiches créées"), "3 fiches créées"),
])
def test_pluriel(n, args, shown):
    assert pluriel(n, *args) == shown


def test_accord_gives_the_word_alone():
    assert accord(1, "a", "ont") == "a" and accord(4, "a", "ont") == "ont"
    assert accord(0, "rattachée") == "rattachée" and accord(2, "rattachée") == "rattachées"


def test_jinja_filters(app):
    with app.app_context():
        env = app.jinja_env
        render = lambda source, **kw: env.from_string(source).render(**kw)  # noqa: E731
        assert render("{{ 10|pluriel('fiche') }} · {{ 1|pluriel('fiche') }}") == \
            "10 fiches · 1 fiche"
        assert render("{{ n|accord('demande acceptée', 'demandes acceptées') }}", n=2) == \
            "demandes acceptées"
        assert render("{{ 24850|tet_number }} {{ 62|tet_number(1) }} {{ 12500|tet_money }}") \
            == f"24{NNBSP}850 62,0 12{NNBSP}500{NBSP}€"
        assert render("{{ d|tet_datetime }}", d=datetime(2026, 6, 1, 10, 0, tzinfo=UTC)) == \
            "01/06/2026 12:00"
        assert render("{{ 62|tet_percent }}") == f"62{NBSP}%"


def test_charts_have_their_data_table_in_french():
    from admin_views import charts

    bars = str(charts.bars([("En cours", 24850, "#000"), ("À venir", 1.5, "#111")],
                           "Fiches par statut", headers=("Statut", "Fiches")))
    assert "<details" in bars and "<caption>Fiches par statut</caption>" in bars
    assert '<th scope="col">Statut</th>' in bars and '<th scope="row">En cours</th>' in bars
    assert f"24{NNBSP}850" in bars and "1,5" in bars and "24850" not in bars
    history = str(charts.history([(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), 62)], "Indice"))
    assert "01/01/2027 00:30" in history and "31/12/2026" not in history  # Paris, not UTC
    lines = str(charts.lines([("Résultat", {2024: 1234.5}, "#000")], "GES", "t"))
    assert f"1{NNBSP}234,5" in lines and "<td>" in lines
    legend = str(charts.legend([("En cours", "#007bff")]))
    assert "En cours" in legend and "date de fin dépassée" in legend and "<svg" in legend
    for text in (bars, history, lines):
        sizes = set(re.findall(r'font-size="(\d+)"', text))
        assert sizes <= {str(charts.LABEL), str(charts.TICK)}, sizes


def test_history_places_answers_at_their_date_and_bar_labels_fit():
    """Two sittings a year apart and ten answers the same day: the year apart takes the
    width, not the rank; a long category name is shortened, never cut at the left."""
    from admin_views import charts

    points = [(datetime(2024, 10, 8, 9, tzinfo=UTC), 20)] + [
        (datetime(2025, 10, 8, 9, i, tzinfo=UTC), 40 + i) for i in range(10)]
    svg = str(charts.history(points, "Indice"))
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert xs[-1] - xs[1] < 1 < xs[1] - xs[0]  # one day is a dot, one year the whole width
    assert ">2025</text>" in svg and ">2024</text>" not in svg  # 1 January 2025 marked
    label = "Écoconception et sobriété éditoriale"
    bars = str(charts.bars([(label, 34, "#000")], "Par catégorie"))
    shown = re.search(r'text-anchor="end" font-size="\d+">([^<]+)</text>', bars).group(1)
    assert shown.startswith("Écoconception") and shown.endswith("…")
    assert len(shown) * charts.LABEL * 0.6 <= 220
