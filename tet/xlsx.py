"""Streaming xlsx writing: xlsxwriter in constant-memory mode into a temporary file, then
streamed to the client in chunks (never the whole workbook in memory)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter

from tet.formats import jour
from tet.nombres import is_finite

CHUNK = 64 * 1024


def new_workbook(path: str) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(path, {
        "constant_memory": True,
        "strings_to_formulas": False,  # a cell starting with "=" stays text
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "dd/mm/yyyy",
        "tmpdir": tempfile.gettempdir(),
    })


class Formats:
    """The usual cell formats of one workbook."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                     "text_wrap": True, "valign": "top"})
        self.section = wb.add_format({"bold": True, "bg_color": "#1F4E78",
                                      "font_color": "#FFFFFF"})
        self.date = wb.add_format({"num_format": "dd/mm/yyyy"})
        self.money = wb.add_format({"num_format": "# ##0.00 €"})
        self.number = wb.add_format({"num_format": "# ##0.##"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})


def _header(ws, fmt: Formats, headers: list[tuple[str, int]], first_row: int) -> None:
    for col, (title, width) in enumerate(headers):
        ws.write_string(first_row, col, title, fmt.header)
        ws.set_column(col, col, width)
    ws.freeze_panes(first_row + 1, 0)


def write_table(ws, fmt: Formats, headers: list[tuple[str, int]], rows, first_row: int = 0,
                writers: dict[int, Callable] | None = None) -> int:
    """Header row (frozen, autofiltered) then rows, one at a time (constant memory)."""
    _header(ws, fmt, headers, first_row)
    n = first_row
    by_type = _WRITERS
    for n, row in enumerate(rows, start=first_row + 1):
        for col, value in enumerate(row):
            if value is not None:
                by_type.get(type(value), _other)(ws, n, col, value, fmt)
    ws.autofilter(first_row, 0, max(n, first_row), len(headers) - 1)
    return n


def plain_number(value) -> float | None:
    """A number as ``write_rows`` takes it: a float, or None when missing or not finite."""
    if value is None or not is_finite(value) or abs(value) >= 1e300:
        return None
    return float(value)


def write_rows(ws, fmt: Formats, headers: list[tuple[str, int]], rows,
               first_row: int = 0) -> int:
    """``write_table`` for rows of plain cells (str, date, float from ``plain_number``, or
    None), about a fifth faster than xlsxwriter's own ``write``: the cell's class picks
    xlsxwriter's undecorated writer directly (its ``_write_*`` methods, stable since 1.0:
    the public ones only add A1-notation parsing). Text is always written as text (never a
    formula or a link), a float gets the number format, a date the date format; any other
    value goes through ``write_table``'s rules."""
    _header(ws, fmt, headers, first_row)
    n = first_row
    text, number, day = ws._write_string, ws._write_number, ws._write_datetime
    num_fmt, date_fmt = fmt.number, fmt.date
    for n, row in enumerate(rows, start=first_row + 1):
        for col, value in enumerate(row):
            if value is None:
                continue
            kind = value.__class__
            if kind is str:
                if value:
                    text(n, col, value)
            elif kind is float:
                number(n, col, value, num_fmt)
            elif kind is date:
                day(n, col, value, date_fmt)
            elif kind is datetime:  # an instant: its day in Paris
                day(n, col, jour(value), date_fmt)
            else:
                _WRITERS.get(kind, _other)(ws, n, col, value, fmt)
    ws.autofilter(first_row, 0, max(n, first_row), len(headers) - 1)
    return n


def _text(ws, row, col, value, _fmt):
    if value:
        ws.write_string(row, col, value)


def _bool(ws, row, col, value, _fmt):
    ws.write_string(row, col, "Oui" if value else "Non")


def _date(ws, row, col, value, fmt):
    ws.write_datetime(row, col, jour(value), fmt.date)  # an instant: its day in Paris


def _number(ws, row, col, value, fmt):
    if is_finite(value) and abs(value) < 1e300:
        ws.write_number(row, col, float(value), fmt.number)
    # a non-finite value stored before the checks is left empty, never raised mid-file


def _other(ws, row, col, value, fmt):
    """Subclasses of the usual types (checked in order: bool before int), else text."""
    for kind, writer in _WRITERS.items():
        if isinstance(value, kind) and kind is not str:
            return writer(ws, row, col, value, fmt)
    return _text(ws, row, col, str(value), fmt)  # a str subclass (Markup…) as plain text


# cell writers by exact type of the value (one dictionary access per cell): text stays text
# (never a formula), a date gets the date format, a number the number format, a boolean
# « Oui » / « Non »; None and "" leave the cell empty
_WRITERS: dict[type, Callable] = {str: _text, bool: _bool, datetime: _date, date: _date,
                                  int: _number, float: _number, Decimal: _number}


def stream(build: Callable[[xlsxwriter.Workbook], None]) -> Iterator[bytes]:
    """Build the whole workbook into a temporary file now (an error is raised here, before
    any byte is sent), then return its chunks."""
    return spool(lambda path: build_to_file(path, build), ".xlsx")


def spool(write: Callable[[str], None], suffix: str) -> Iterator[bytes]:
    """Run ``write(path)`` to completion into a temporary file, then return an iterator over
    its bytes: a download is never cut in the middle by an error. The file is unlinked at
    once (the open handle keeps it readable), so nothing is left behind."""
    fd, path = tempfile.mkstemp(suffix=suffix)
    os.close(fd)
    try:
        write(path)
        fh = open(path, "rb")  # noqa: SIM115 - closed by _chunks
    finally:
        os.unlink(path)
    return _chunks(fh)


def _chunks(fh) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def build_to_file(path: str, build: Callable[[xlsxwriter.Workbook], None]) -> None:
    wb = new_workbook(path)
    try:
        build(wb)
    finally:
        wb.close()  # also on error: releases the workbook's temporary files
