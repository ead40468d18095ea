"""The .ics export: a valid RFC 5545 calendar, escaped and folded."""

import datetime

import pytest
from django.urls import reverse

from steering import ics, services
from steering.models import Reunion

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_escape_and_fold():
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 100
    folded = ics.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_cls_calendar(client, lecteur, demo, copil, reunion):
    reunion.ordre_du_jour = "1. Bilan; points divers, questions\n2. Suite"
    reunion.save()
    all_day = services.save_reunion(
        Reunion(instance_gouvernance=copil, date=datetime.date(2030, 6, 1), lieu="Salle 1, 2e étage")
    )
    client.force_login(lecteur)
    response = client.get(reverse("steering_cls_ics", args=[demo["chalons1"].pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="reunions-cls-' in response["Content-Disposition"]
    body = response.content.decode()
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfold(body)
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ARS Grand Est//SantéLoc//FR"]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert f"UID:reunion-{reunion.pk}@testserver" in lines
    assert sum(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines) == 2
    # 12 March 2030, 14:30 in Paris (winter time) is 13:30 UTC
    assert "DTSTART:20300312T133000Z" in lines and "DTEND:20300312T153000Z" in lines
    assert "DTSTART;VALUE=DATE:20300601" in lines and "DTEND;VALUE=DATE:20300602" in lines
    assert "LOCATION:Salle 1\\, 2e étage" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:1. Bilan\\; points divers\\, questions\\n2. Suite\\nhttp://testserver/")
    assert f"UID:reunion-{all_day.pk}@testserver" in lines


def test_upcoming_calendar_leaves_past_meetings_out_and_marks_examples(client, lecteur, copil, reunion):
    Reunion.objects.create(instance_gouvernance=copil, date=datetime.date(2020, 1, 7))
    Reunion.objects.filter(pk=reunion.pk).update(illustratif=True)
    client.force_login(lecteur)
    lines = unfold(client.get(reverse("steering_upcoming_ics")).content.decode())
    assert lines.count("BEGIN:VEVENT") == 1
    assert any(line.startswith("SUMMARY:[Exemple illustratif] COPIL de Châlons") for line in lines)
