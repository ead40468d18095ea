"""Export and import in the same format: validate everything first, errors with row and column, idempotent."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from careoffer import spreadsheet
from careoffer.models import Precision, Structure

pytestmark = pytest.mark.django_db
HEADER = ";".join(spreadsheet.HEADERS)


def csv_file(*lines, name="structures.csv"):
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode("utf-8"), "text/csv")


def row(**values):
    cells = {c.key: "" for c in spreadsheet.COLUMNS} | values
    return ";".join(str(cells[c.key]) for c in spreadsheet.COLUMNS)


@pytest.fixture
def agent_client(client, ars_marne):
    client.force_login(ars_marne)
    return client


def post(client, upload):
    return client.post(reverse("careoffer_import", args=["51"]), {"fichier": upload}, follow=True)


def test_import_creates_then_changes_nothing(agent_client, care):
    upload = lambda: csv_file(  # noqa: E731
        row(
            type="MSP",
            nom="MSP de Fismes",
            commune="51250",
            prevision="T2 2025",
            nb_medecins=3,
            date_projet="01/09/2024",
        ),
        row(type="CPTS", nom="CPTS du Grand Reims", commune="51454", communes="51454, 51612"),
    )
    response = post(agent_client, upload())
    assert "2 structure(s) créée(s)" in response.content.decode()
    fismes = Structure.objects.get(nom="MSP de Fismes")
    assert (fismes.date_prevision, fismes.precision_prevision, fismes.prevision) == (
        datetime.date(2025, 4, 1),
        Precision.TRIMESTRE,
        "T2 2025",
    )
    assert sorted(Structure.objects.get(nom="CPTS du Grand Reims").communes.values_list("code", flat=True)) == [
        "51454",
        "51612",
    ]
    history = fismes.history.count()
    response = post(agent_client, upload())
    assert "Aucun changement" in response.content.decode()
    assert fismes.history.count() == history


def test_every_error_with_row_and_column_and_nothing_written(agent_client, care):
    before = Structure.objects.count()
    response = post(
        agent_client,
        csv_file(
            row(type="MSP", nom="Correcte", commune="51250"),
            row(type="Maison", nom="Mauvais type", commune="51250"),
            row(type="MSP", nom="Hors département", commune="08105"),
            row(type="MSP", nom="Dates", commune="51250", date_ouverture="31/02/2024", prevision="printemps 2024"),
            row(type="ESP", nom="Territoire", commune="51250", communes="51454", nb_medecins="deux"),
            row(
                type="MSP",
                nom="Fermée sans ouverture",
                commune="51250",
                date_fermeture="01/01/2024",
                porteur="Inconnue",
            ),
        ),
    )
    html = response.content.decode()
    assert "Rien n'a été importé" in html
    for message in [
        "ligne 3, colonne « Type » : type inconnu « Maison »",
        "ligne 4, colonne « Commune (code INSEE) » : commune inconnue « 08105 »",
        "ligne 5, colonne « Ouverte le » : « 31/02/2024 » n&#x27;est pas une date (attendu : JJ/MM/AAAA).",
        "ligne 5, colonne « Ouverture prévue » : prévision illisible « printemps 2024 »",
        "ligne 6, colonne « Territoire de la CPTS (codes INSEE) » : seule une CPTS",
        "ligne 6, colonne « Médecins » : nombre entier attendu, « deux » lu",
        "ligne 7, colonne « Fermée le » : une structure ne ferme qu&#x27;après avoir ouvert",
        "ligne 7, colonne « Porteur » : organisation inconnue « Inconnue »",
    ]:
        assert message in html
    assert Structure.objects.count() == before


def test_missing_columns_and_wrong_format(agent_client, care):
    response = post(agent_client, SimpleUploadedFile("x.csv", b"Type;Nom\nMSP;X\n"))
    assert "ligne 1 : colonne(s) manquante(s)" in response.content.decode()
    response = post(agent_client, SimpleUploadedFile("x.txt", b"hello"))
    assert "Envoyez un fichier CSV (.csv) ou un classeur Excel (.xlsx)." in response.content.decode()


def test_exported_xlsx_imports_back_unchanged(agent_client, care):
    response = agent_client.get(reverse("careoffer_export", args=["51", "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert [c.value for c in sheet[1]][:2] == ["Type", "Nom"]
    assert sheet.max_row == 5  # header + the 4 demo structures
    upload = SimpleUploadedFile("structures.xlsx", response.content)
    html = post(agent_client, upload).content.decode()
    assert "Aucun changement : les 4 structures du fichier sont déjà à jour." in html


def test_exported_csv_imports_back_and_an_edit_updates_one(agent_client, care):
    content = agent_client.get(reverse("careoffer_export", args=["51", "csv"])).content.decode("utf-8-sig")
    assert "CPTS;CPTS de Reims;51454;51454;" in content
    assert ";2024;" in content  # the CPTS forecast keeps its year precision
    edited = content.replace(
        "MSP;MSP de Vitry-le-François;51649;;;;31/12/2023;T1 2024;",
        "MSP;MSP de Vitry-le-François;51649;;;;31/12/2023;T1 2024;15/03/2024",
    )
    assert edited != content
    html = post(agent_client, SimpleUploadedFile("s.csv", edited.encode("utf-8-sig"))).content.decode()
    assert "0 structure(s) créée(s), 1 mise(s) à jour, 3 inchangée(s)." in html
    assert Structure.objects.get(nom="MSP de Vitry-le-François").date_ouverture == datetime.date(2024, 3, 15)


def test_xlsx_errors_name_the_sheet(agent_client, care):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Offre"
    sheet.append(spreadsheet.HEADERS)
    sheet.append(["MSP", "", "51250"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    html = post(agent_client, SimpleUploadedFile("offre.xlsx", buffer.getvalue())).content.decode()
    assert "« offre.xlsx », feuille « Offre », ligne 2, colonne « Nom » : le nom est obligatoire." in html


def test_a_name_like_a_formula_stays_text_in_the_xlsx(care, marne):
    Structure.objects.filter(nom="MSP de Vitry-le-François").update(nom='=HYPERLINK("http://x")')
    rows = spreadsheet.export_rows(marne)
    sheet = openpyxl.load_workbook(io.BytesIO(spreadsheet.to_xlsx(rows, title="t"))).active
    cell = next(c for c in sheet["B"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://x")'
