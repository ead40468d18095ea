import datetime

import pytest

from careoffer.holidays import easter_sunday, holiday_name, is_public_holiday, public_holidays

D = datetime.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2008, D(2008, 3, 23)),  # early Easter
        (2011, D(2011, 4, 24)),  # late Easter
        (2019, D(2019, 4, 21)),
        (2023, D(2023, 4, 9)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2038, D(2038, 4, 25)),  # latest possible date
        (2285, D(2285, 3, 22)),  # earliest possible date
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_eleven_holidays_of_2024():
    assert public_holidays(2024) == {
        D(2024, 1, 1): "Jour de l'an",
        D(2024, 4, 1): "Lundi de Pâques",
        D(2024, 5, 1): "Fête du travail",
        D(2024, 5, 8): "Victoire 1945",
        D(2024, 5, 9): "Ascension",
        D(2024, 5, 20): "Lundi de Pentecôte",
        D(2024, 7, 14): "Fête nationale",
        D(2024, 8, 15): "Assomption",
        D(2024, 11, 1): "Toussaint",
        D(2024, 11, 11): "Armistice 1918",
        D(2024, 12, 25): "Noël",
    }


@pytest.mark.parametrize(
    ("year", "easter_monday", "ascension", "whit_monday"),
    [
        (2023, D(2023, 4, 10), D(2023, 5, 18), D(2023, 5, 29)),
        (2025, D(2025, 4, 21), D(2025, 5, 29), D(2025, 6, 9)),
        (2026, D(2026, 4, 6), D(2026, 5, 14), D(2026, 5, 25)),
    ],
)
def test_moveable_holidays_follow_easter(year, easter_monday, ascension, whit_monday):
    holidays = public_holidays(year)
    assert len(holidays) == 11
    assert holidays[easter_monday] == "Lundi de Pâques"
    assert holidays[ascension] == "Ascension"
    assert holidays[whit_monday] == "Lundi de Pentecôte"


def test_alsace_moselle_has_two_more_days_the_marne_does_not():
    assert holiday_name(D(2025, 4, 18), departement_code="57") == "Vendredi saint"
    assert holiday_name(D(2025, 12, 26), departement_code="67") == "Saint-Étienne"
    assert not is_public_holiday(D(2025, 4, 18), departement_code="51")
    assert not is_public_holiday(D(2025, 12, 26))
    assert len(public_holidays(2025, departement_code="68")) == 13


def test_an_ordinary_day_is_not_a_holiday():
    assert holiday_name(D(2024, 4, 2)) is None
