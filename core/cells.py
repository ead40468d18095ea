"""Reading the cells of an imported spreadsheet or CSV file.

Every importer (action plans, care offer…) reads the same kinds of cells; a
cell that cannot be read raises ``CellError`` with a French message that the
importer completes with the sheet, row and column.
"""

from __future__ import annotations

import datetime


class CellError(ValueError):
    pass


def cell_text(value) -> str:
    """A cell as text: numbers typed as 12.0 by spreadsheets come back as "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value) -> datetime.date | None:
    """A date cell: a real date, or text as JJ/MM/AAAA or AAAA-MM-JJ; empty gives ``None``."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"« {text} » n'est pas une date (attendu : JJ/MM/AAAA).")
