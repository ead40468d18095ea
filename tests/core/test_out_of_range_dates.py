"""Dates stored before the bounds existed (year 9999, year 1) must not break the pages that render them."""

import contextlib
import datetime
import io

import pytest
from django.db import connection
from django.utils.html import escape
from docx import Document

from contracts.models import Cls
from contracts.services import refresh_derived_dates
from steering.models import Instance, Reunion, TypeInstance
from tests.factories import ClsFactory, FicheActionFactory, UserFactory

FAR = datetime.date(9999, 12, 31)
EARLY = datetime.date(1, 1, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return UserFactory(ars=True)


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        client.raise_request_exception = False
        return client

    return login


@contextlib.contextmanager
def constraints_off(model):
    """Let the database take what its check constraints now refuse, as it did before they existed."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:  # dropped inside the test's transaction, which is rolled back
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks block ALTER TABLE
            for constraint in model._meta.constraints:
                if constraint.name.endswith(("borne", "bornee", "bornees")):
                    cursor.execute(f'ALTER TABLE "{model._meta.db_table}" DROP CONSTRAINT "{constraint.name}"')
    try:
        yield
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


def update(model, pk, **values):
    with constraints_off(model):
        model.objects.filter(pk=pk).update(**values)


def _store(cls: Cls, **dates):
    """Write dates straight to the database, as an older version of the application let them in."""
    update(Cls, cls.pk, **dates)
    cls.refresh_from_db()
    refresh_derived_dates(cls)
    cls.refresh_from_db()
    return cls


OUT_OF_RANGE = [
    pytest.param({"date_fin": FAR}, id="ends-in-9999"),
    pytest.param({"date_engagement": EARLY, "date_signature": EARLY, "date_debut": EARLY}, id="starts-in-year-1"),
]


@pytest.mark.parametrize("dates", OUT_OF_RANGE)
def test_cls_page_shows_a_contract_dated_out_of_range(agent, client_of, dates):
    cls = _store(ClsFactory(in_force=True), **dates)
    client = client_of(agent)
    for url in (f"/cls/{cls.pk}/", f"/public/cls/{cls.pk}/", "/departements/10/", f"/cls/{cls.pk}/contrat/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("dates", OUT_OF_RANGE)
def test_contract_docx_is_written_for_a_contract_dated_out_of_range(agent, client_of, dates):
    cls = _store(ClsFactory(in_force=True), **dates)
    fiche = FicheActionFactory(axe__cls=cls)
    update(type(fiche), fiche.pk, debut_prevu=EARLY, fin_prevue=FAR)
    response = client_of(agent).get(f"/cls/{cls.pk}/contrat/contrat.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "01/01/0001 – 31/12/9999" in cells


@pytest.mark.parametrize(
    "dates",
    [
        pytest.param({"debut_prevu": datetime.date(2025, 1, 1), "fin_prevue": FAR}, id="ends-in-9999"),
        pytest.param({"debut_prevu": EARLY, "fin_prevue": datetime.date(2025, 1, 1)}, id="starts-in-year-1"),
    ],
)
def test_plan_calendar_shows_a_fiche_dated_out_of_range(agent, client_of, dates):
    cls = ClsFactory(in_force=True)
    fiche = FicheActionFactory(axe__cls=cls)
    update(type(fiche), fiche.pk, **dates)
    response = client_of(agent).get(f"/cls/{cls.pk}/plan/?vue=calendrier")
    assert response.status_code == 200
    assert escape(fiche.titre) in response.content.decode()


@pytest.mark.parametrize("heure", [None, datetime.time(23, 30)])
def test_upcoming_meetings_calendar_includes_a_meeting_in_year_9999(agent, client_of, heure):
    cls = ClsFactory(in_force=True)
    instance = Instance.objects.create(cls=cls, type=TypeInstance.COPIL, nom="Comité de pilotage")
    reunion = Reunion.objects.create(instance_gouvernance=instance, date=datetime.date(2030, 1, 1), heure=heure)
    update(Reunion, reunion.pk, date=FAR)
    response = client_of(agent).get("/reunions/a-venir.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert "DTSTART" in body and "9999" in body


@pytest.mark.parametrize("heure", [None, datetime.time(0, 30)])
def test_meetings_calendar_of_a_cls_includes_a_meeting_in_year_1(agent, client_of, heure):
    cls = ClsFactory(in_force=True)
    instance = Instance.objects.create(cls=cls, type=TypeInstance.COPIL, nom="Comité de pilotage")
    reunion = Reunion.objects.create(instance_gouvernance=instance, date=datetime.date(2030, 1, 1), heure=heure)
    update(Reunion, reunion.pk, date=EARLY)
    response = client_of(agent).get(f"/cls/{cls.pk}/gouvernance/reunions.ics")
    assert response.status_code == 200
    assert "BEGIN:VEVENT" in response.content.decode()
