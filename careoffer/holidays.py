"""French public holidays, computed (no table to update each year).

Eleven days in the whole of France; Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle) adds
Good Friday and Saint Stephen's Day (26 December). Easter Sunday by the anonymous
Gregorian algorithm (Meeus/Jones/Butcher); Easter Monday, Ascension and Whit Monday follow it.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

ALSACE_MOSELLE = frozenset({"57", "67", "68"})


def easter_sunday(year: int) -> datetime.date:
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@lru_cache(maxsize=256)
def _holidays(year: int, alsace_moselle: bool) -> dict[datetime.date, str]:
    easter = easter_sunday(year)
    days = {
        datetime.date(year, 1, 1): "Jour de l'an",
        easter + datetime.timedelta(days=1): "Lundi de Pâques",
        datetime.date(year, 5, 1): "Fête du travail",
        datetime.date(year, 5, 8): "Victoire 1945",
        easter + datetime.timedelta(days=39): "Ascension",
        easter + datetime.timedelta(days=50): "Lundi de Pentecôte",
        datetime.date(year, 7, 14): "Fête nationale",
        datetime.date(year, 8, 15): "Assomption",
        datetime.date(year, 11, 1): "Toussaint",
        datetime.date(year, 11, 11): "Armistice 1918",
        datetime.date(year, 12, 25): "Noël",
    }
    if alsace_moselle:
        days[easter - datetime.timedelta(days=2)] = "Vendredi saint"
        days[datetime.date(year, 12, 26)] = "Saint-Étienne"
    return dict(sorted(days.items()))


def public_holidays(year: int, *, departement_code: str = "") -> dict[datetime.date, str]:
    """The public holidays of ``year`` (date → French name), in date order."""
    return dict(_holidays(year, departement_code in ALSACE_MOSELLE))


def holiday_name(day: datetime.date, *, departement_code: str = "") -> str | None:
    return _holidays(day.year, departement_code in ALSACE_MOSELLE).get(day)


def is_public_holiday(day: datetime.date, *, departement_code: str = "") -> bool:
    return holiday_name(day, departement_code=departement_code) is not None
