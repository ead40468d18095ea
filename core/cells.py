"""Reading the cells of an imported spreadsheet or CSV file.

Every importer (action plans, care offer…) reads the same kinds of cells; a
cell that cannot be read raises ``CellError`` with a French message that the
importer completes with the sheet, row and column. Numbers and dates are held
within the ranges of ``core.limits``: a value beyond them is an error, never a crash.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from core.limits import DATE_MAX, DATE_MIN, MONEY_DECIMALS, MONEY_MAX, MONEY_MIN, VALUE_ABS_MAX, VALUE_DECIMALS


class CellError(ValueError):
    pass


def cell_text(value) -> str:
    """A cell as text: numbers typed as 12.0 by spreadsheets come back as "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def shown_value(value) -> str:
    """A cell as quoted in a message: huge numbers in short form, long text cut."""
    if isinstance(value, float) and not abs(value) < 1e15:
        return f"{value:g}"
    text = cell_text(value)
    return text if len(text) <= 40 else text[:40] + "…"


class DateOutOfRangeError(CellError):
    """A real date, outside the accepted period: said as such, never as an unreadable cell."""


def check_date(day: datetime.date) -> datetime.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise DateOutOfRangeError(
            f"« {day.day:02d}/{day.month:02d}/{day.year:04d} » est hors de la période acceptée "
            f"(du {DATE_MIN:%d/%m/%Y} au {DATE_MAX:%d/%m/%Y})."
        )
    return day


def parse_date(value) -> datetime.date | None:
    """A date cell: a real date, or text as JJ/MM/AAAA or AAAA-MM-JJ; empty gives ``None``."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return check_date(value.date())
    if isinstance(value, datetime.date):
        return check_date(value)
    text = cell_text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return check_date(datetime.datetime.strptime(text, fmt).date())
        except ValueError as error:
            if isinstance(error, CellError):
                raise
            continue
    raise CellError(f"« {text} » n'est pas une date (attendu : JJ/MM/AAAA).")


# Spaces a French number may hold between its thousands, and the euro sign after it.
_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f\u2009€]")
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


DECIMALS_WORDS = {0: "aucune décimale", 1: "une décimale", 2: "deux décimales"}


def _french(number: Decimal) -> str:
    """« 9 999 999 999,99 » (narrow no-break spaces between thousands)."""
    sign = "−" if number < 0 else ""
    whole, _, decimals = f"{abs(number):,f}".partition(".")
    return sign + whole.replace(",", "\u202f") + ("," + decimals if decimals else "")


def parse_decimal(
    value,
    *,
    decimals: int,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    below: Decimal | int | None = None,
    what: str = "un nombre",
    unit: str = "",
) -> Decimal | None:
    """A number cell within bounds, with at most ``decimals`` decimals (never rounded); empty gives ``None``.

    Text may be written the French way (« 1 000,50 € »). ``below`` is an exclusive upper bound on
    the absolute value. Infinities, NaN and values too large for the database are refused.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = shown_value(value)
    if isinstance(value, bool):
        raise CellError(f"« {shown} » n’est pas {what}.")
    if isinstance(value, int | float | Decimal):
        text = str(value)
    else:
        text = _NUMBER_JUNK.sub("", str(value)).replace(",", ".")
    if len(text) > 40 or not _NUMBER_TEXT.fullmatch(text):
        raise CellError(f"« {shown} » n’est pas {what}.")
    try:
        number = Decimal(text)
        if minimum == 0 and number < 0:
            raise CellError(f"« {shown} » n’est pas {what} positif ou nul.")
        if minimum is not None and number < minimum:
            raise CellError(f"« {shown} » : {_french(Decimal(minimum))}{unit} au moins.")
        if maximum is not None and number > maximum:
            raise CellError(f"« {shown} » : {_french(Decimal(maximum))}{unit} au plus.")
        if below is not None and abs(number) >= below:
            bound = _french(Decimal(below))
            raise CellError(f"« {shown} » : la valeur doit rester strictement entre −{bound} et {bound}.")
        step = Decimal(1).scaleb(-decimals)
        exact = number == number.quantize(step)
    except InvalidOperation:  # beyond what a decimal holds
        raise CellError(f"« {shown} » : nombre trop grand.") from None
    if not exact:
        raise CellError(f"« {shown} » : {DECIMALS_WORDS.get(decimals, f'{decimals} décimales')} au plus.")
    return number.quantize(step)


def parse_amount(value, *, what: str = "un montant") -> Decimal | None:
    """A sum of money: 0 to 9 999 999 999,99 €, to the cent (« 12,345 » is refused, not rounded)."""
    return parse_decimal(
        value, decimals=MONEY_DECIMALS, minimum=MONEY_MIN, maximum=MONEY_MAX, what=what, unit="\u00a0€"
    )


def parse_value(value, *, what: str = "un nombre") -> Decimal | None:
    """An indicator value or measure: within ±10¹², two decimals at most."""
    return parse_decimal(value, decimals=VALUE_DECIMALS, below=VALUE_ABS_MAX, what=what)
