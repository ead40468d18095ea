"""Opening slots of a maison médicale de garde: open now? next opening? (Europe/Paris).

Pure functions over plain slots ``(day, start, end)`` where ``day`` is 0 (Monday) … 6
(Sunday) or ``HOLIDAY`` (7): on a public holiday the holiday slots replace that weekday's
slots. Times are wall-clock times in Europe/Paris, so a Sunday 10:00 opening is 09:00 UTC in
winter and 08:00 UTC in summer.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from careoffer.holidays import is_public_holiday

PARIS = ZoneInfo("Europe/Paris")
HOLIDAY = 7
Slot = tuple[int, datetime.time, datetime.time]


def slots_for_day(slots: Iterable[Slot], day: datetime.date, *, departement_code: str = "") -> list[Slot]:
    key = HOLIDAY if is_public_holiday(day, departement_code=departement_code) else day.weekday()
    return sorted((s for s in slots if s[0] == key), key=lambda s: s[1])


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=PARIS)


def is_open(slots: Iterable[Slot], at: datetime.datetime, *, departement_code: str = "") -> bool:
    local = at.astimezone(PARIS)
    wall = local.time().replace(tzinfo=None)
    return any(
        start <= wall < end
        for _day, start, end in slots_for_day(slots, local.date(), departement_code=departement_code)
    )


def next_opening(
    slots: Iterable[Slot], at: datetime.datetime, *, departement_code: str = "", horizon_days: int = 21
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The next slot (start, end) that starts after ``at``, as aware Europe/Paris datetimes."""
    slots = list(slots)
    local = at.astimezone(PARIS)
    for offset in range(horizon_days + 1):
        day = local.date() + datetime.timedelta(days=offset)
        for _day, start, end in slots_for_day(slots, day, departement_code=departement_code):
            begins = _aware(day, start)
            if begins > at:
                return begins, _aware(day, end)
    return None


def open_until(slots: Iterable[Slot], at: datetime.datetime, *, departement_code: str = "") -> datetime.datetime | None:
    """When the slot open at ``at`` ends (None when closed at ``at``)."""
    local = at.astimezone(PARIS)
    wall = local.time().replace(tzinfo=None)
    for _day, start, end in slots_for_day(slots, local.date(), departement_code=departement_code):
        if start <= wall < end:
            return _aware(local.date(), end)
    return None
