"""Bounds of what a person may type or import: dates, amounts, values, rows per import."""

from datetime import date
from decimal import Decimal

MONEY_MAX = Decimal("9999999999.99")
VALUE_ABS_MAX = 10**12
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
IMPORT_MAX_ROWS = 2000
