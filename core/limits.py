"""The ranges every input must stay within (issue 11, points 4 and 5), in one place.

Importers, forms and models check against these constants and say so in French; nothing
beyond them reaches the database, a page or a document.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

# Money: 0 to 9 999 999 999,99 €, to the cent (``max_digits=12, decimal_places=2``).
MONEY_MIN = Decimal("0")
MONEY_MAX = Decimal("9999999999.99")
MONEY_DECIMALS = 2

# Indicator values and measures: within ±10¹² (stored with two decimals).
VALUE_ABS_MAX = 10**12
VALUE_DECIMALS = 2

# Counts (staff, places, ages): whole numbers ≥ 0 that a small integer column holds.
COUNT_MAX = 32767

# Dates, and years typed on their own.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year

# Imports: data rows per table (sheet or CSV file), refused beyond before anything is written.
IMPORT_MAX_ROWS = 2000
