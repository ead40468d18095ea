"""Meetings as an iCalendar file (RFC 5545), written by hand: a VCALENDAR of VEVENTs.

Times are given in UTC (no VTIMEZONE needed); a meeting without a time is an
all-day event. Texts are escaped (backslash, semicolon, comma, new lines) and
lines are folded at 75 octets without cutting a UTF-8 character.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from core.limits import DATE_MAX, DATE_MIN
from steering.models import Reunion

PARIS = ZoneInfo("Europe/Paris")
DURATION = datetime.timedelta(hours=2)  # the records have no end time: a usual committee length
ILLUSTRATIF_PREFIX = "[Exemple illustratif] "


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continued by CRLF and a space."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not chunks else 74  # continuation lines start with a space
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _ics_date(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"  # strftime writes year 1 as « 1 »


def event_lines(reunion: Reunion, *, now: datetime.datetime, domain: str, url: str) -> list[str]:
    cls = reunion.instance_gouvernance.cls
    summary = f"{reunion.instance_gouvernance.nom} — {cls}"
    if reunion.illustratif:
        summary = ILLUSTRATIF_PREFIX + summary
    description = "\n".join(part for part in (reunion.ordre_du_jour.strip(), url) if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:reunion-{reunion.pk}@{domain}",
        f"DTSTAMP:{_utc(now)}",
    ]
    if reunion.heure is None or not DATE_MIN <= reunion.date <= DATE_MAX:
        # A date stored before the bounds existed (year 1 or 9999) is written as an all-day event:
        # its hour in UTC, or the next day, may not exist. Without DTEND, it lasts that one day.
        lines.append(f"DTSTART;VALUE=DATE:{_ics_date(reunion.date)}")
        if reunion.date < datetime.date.max:
            lines.append(f"DTEND;VALUE=DATE:{_ics_date(reunion.date + datetime.timedelta(days=1))}")
    else:
        start = datetime.datetime.combine(reunion.date, reunion.heure, tzinfo=PARIS)
        lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + DURATION)}"]
    lines += [f"SUMMARY:{escape(summary)}", f"DESCRIPTION:{escape(description)}", f"URL:{url}"]
    if reunion.lieu:
        lines.append(f"LOCATION:{escape(reunion.lieu)}")
    lines += [f"SEQUENCE:{reunion.version}", "END:VEVENT"]
    return lines


def calendar(reunions: Iterable[Reunion], *, name: str, now: datetime.datetime, domain: str, url_of) -> str:
    """The whole file; ``url_of(reunion)`` gives the absolute address of a meeting's page."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ARS Grand Est//SantéLoc//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for reunion in reunions:
        lines += event_lines(reunion, now=now, domain=domain, url=url_of(reunion))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
