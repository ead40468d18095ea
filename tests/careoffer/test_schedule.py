"""Open now and next opening of the Châlons MMG, in Europe/Paris time, with public holidays."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from careoffer.schedule import HOLIDAY, is_open, next_opening, open_until

T = datetime.time
PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
SATURDAY, SUNDAY = 5, 6
SUNDAY_HOURS = [(T(10), T(12)), (T(14), T(17)), (T(20), T(22))]
CHALONS = [(SATURDAY, T(14), T(17)), (SATURDAY, T(20), T(22))] + [
    (day, start, end) for day in (SUNDAY, HOLIDAY) for start, end in SUNDAY_HOURS
]


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2024, 3, 13, 15, 0), False),  # an ordinary Wednesday
        (paris(2024, 3, 16, 15, 0), True),  # Saturday afternoon
        (paris(2024, 3, 16, 10, 30), False),  # Saturday morning: home visits only
        (paris(2024, 3, 16, 17, 0), False),  # the slot ends at 17:00
        (paris(2024, 3, 16, 21, 59), True),
        (paris(2024, 3, 17, 10, 0), True),  # Sunday morning
        (paris(2024, 4, 1, 10, 30), True),  # Easter Monday 2024: holiday hours
        (paris(2025, 5, 29, 15, 0), True),  # Ascension 2025 (a Thursday)
        (paris(2025, 6, 9, 20, 30), True),  # Whit Monday 2025
        (paris(2025, 6, 10, 20, 30), False),  # the Tuesday after
        (paris(2024, 5, 8, 13, 0), False),  # holiday, but between two slots
    ],
)
def test_open_now(moment, expected):
    assert is_open(CHALONS, moment) is expected


def test_open_now_reads_paris_wall_clock_across_daylight_saving():
    # 31 March 2024, clocks go forward: 08:30 UTC is 10:30 in Paris (open), not 09:30.
    assert is_open(CHALONS, datetime.datetime(2024, 3, 31, 8, 30, tzinfo=UTC))
    # A week earlier (winter time) the same UTC moment is 09:30 in Paris: closed.
    assert not is_open(CHALONS, datetime.datetime(2024, 3, 24, 8, 30, tzinfo=UTC))


def test_next_opening_from_a_weekday_is_saturday_afternoon():
    start, end = next_opening(CHALONS, paris(2024, 3, 13, 9, 0))
    assert (start, end) == (paris(2024, 3, 16, 14, 0), paris(2024, 3, 16, 17, 0))


def test_next_opening_on_saturday_between_slots():
    start, _end = next_opening(CHALONS, paris(2024, 3, 16, 18, 0))
    assert start == paris(2024, 3, 16, 20, 0)


def test_next_opening_is_a_public_holiday_before_the_weekend():
    # Tuesday 7 May 2024: the next opening is Wednesday 8 May (Victoire 1945), 10:00.
    start, _end = next_opening(CHALONS, paris(2024, 5, 7, 12, 0))
    assert start == paris(2024, 5, 8, 10, 0)
    # Ascension, Thursday 9 May 2024, evening after the last slot: next is Saturday.
    start, _end = next_opening(CHALONS, paris(2024, 5, 9, 22, 30))
    assert start == paris(2024, 5, 11, 14, 0)


def test_next_opening_across_the_end_of_summer_time():
    # Saturday 26 October 2024 after closing; clocks go back that night.
    start, end = next_opening(CHALONS, paris(2024, 10, 26, 22, 30))
    assert start == paris(2024, 10, 27, 10, 0)
    assert start.astimezone(UTC) == datetime.datetime(2024, 10, 27, 9, 0, tzinfo=UTC)  # CET: UTC+1
    assert end - start == datetime.timedelta(hours=2)


def test_holiday_slots_replace_a_saturday_that_is_a_holiday():
    # Saturday 1 November 2025 (Toussaint): holiday hours, so open at 10:30.
    assert is_open(CHALONS, paris(2025, 11, 1, 10, 30))


def test_open_until_and_no_slots():
    assert open_until(CHALONS, paris(2024, 3, 16, 15, 0)) == paris(2024, 3, 16, 17, 0)
    assert open_until(CHALONS, paris(2024, 3, 16, 18, 0)) is None
    assert next_opening([], paris(2024, 3, 16, 18, 0)) is None
    assert not is_open([], paris(2024, 3, 16, 15, 0))
