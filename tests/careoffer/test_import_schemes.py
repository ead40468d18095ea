"""Medico-social schemes in the export and the import: second sheet « Dispositifs », separate CSV."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from careoffer import spreadsheet
from careoffer.models import Dispositif, Structure, Subvention

pytestmark = pytest.mark.django_db
HEADER = ";".join(spreadsheet.SCHEME_HEADERS)


def scheme_csv(*lines, name="dispositifs.csv"):
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode("utf-8"), "text/csv")


def row(**values):
    cells = {c.key: "" for c in spreadsheet.SCHEME_COLUMNS} | values
    return ";".join(str(cells[c.key]) for c in spreadsheet.SCHEME_COLUMNS)


@pytest.fixture
def agent_client(client, ars_marne):
    client.force_login(ars_marne)
    return client


def post(client, upload):
    return client.post(reverse("careoffer_import", args=["51"]), {"fichier": upload}, follow=True)


def test_xlsx_export_has_a_dispositifs_sheet_and_imports_back_unchanged(agent_client, care):
    response = agent_client.get(reverse("careoffer_export", args=["51", "xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Structures", "Dispositifs"]
    sheet = workbook["Dispositifs"]
    assert [c.value for c in sheet[1]] == spreadsheet.SCHEME_HEADERS
    assert sheet.max_row == 8  # header + GEM + 4 UEMA + 2 UEEA
    gem = next(r for r in sheet.iter_rows(values_only=True) if r[2] == "GEM Autisme de Reims")
    assert "2023 : 94188,23" in gem[15]
    versions = {d.pk: d.version for d in Dispositif.objects.all()}
    html = post(agent_client, SimpleUploadedFile("offre.xlsx", response.content)).content.decode()
    assert "Aucun changement : les 4 structures du fichier sont déjà à jour." in html
    assert "Aucun changement : les 7 dispositifs du fichier sont déjà à jour." in html
    assert {d.pk: d.version for d in Dispositif.objects.all()} == versions


def test_csv_of_schemes_round_trip_and_one_edit(agent_client, care):
    response = agent_client.get(reverse("careoffer_export_schemes", args=["51"]))
    assert response["Content-Disposition"].startswith('attachment; filename="dispositifs-medico-sociaux-51-')
    content = response.content.decode("utf-8-sig")
    assert "UEEA;;UEEA de Châlons-en-Champagne;51108;" in content and ";2023/2024;" in content
    html = post(agent_client, SimpleUploadedFile("d.csv", content.encode("utf-8-sig"))).content.decode()
    assert "Aucun changement : les 7 dispositifs du fichier sont déjà à jour." in html
    line = next(line for line in content.splitlines() if line.startswith("GEM;"))
    edited_line = line.replace("2023 : 94188,23", "2023 : 94188,23 ; 2025 : 95 000")
    edited = content.replace(line, edited_line)
    assert edited != content
    html = post(agent_client, SimpleUploadedFile("d.csv", edited.encode("utf-8-sig"))).content.decode()
    assert "0 dispositif(s) créé(s), 1 mis(s) à jour, 6 inchangé(s)." in html
    gem = care["gem_reims"]
    assert gem.subventions.get(annee=2025).montant == Decimal("95000.00")
    assert gem.subventions.get(annee=2025).history.first().history_user.username == "agent.ars.51"


def test_import_creates_a_scheme(agent_client, care):
    upload = scheme_csv(
        row(
            type="UEMA",
            nom="UEMA de Vitry-le-François",
            commune="51649",
            ecole="École maternelle Jean Jaurès",
            annee_scolaire_ouverture="2025/2026",
            capacite="7",
            age_min="3",
            age_max="6",
            budget_annuel="280 000",
        ),
        row(type="Autre", libelle_type="Plateforme de répit", nom="Répit Marne", commune="51108", heures_hebdo="20,5"),
    )
    html = post(agent_client, upload).content.decode()
    assert "2 dispositif(s) créé(s)" in html
    unit = Dispositif.objects.get(nom="UEMA de Vitry-le-François")
    assert (unit.annee_scolaire_ouverture, unit.budget_annuel, unit.capacite) == (2025, Decimal("280000.00"), 7)
    assert Dispositif.objects.get(nom="Répit Marne").type_court == "Plateforme de répit"


def test_every_scheme_error_with_row_and_column_and_nothing_written(agent_client, care):
    before = (Dispositif.objects.count(), Subvention.objects.count(), Structure.objects.count())
    html = post(
        agent_client,
        scheme_csv(
            row(type="UEMA", nom="Correcte", commune="51108"),
            row(type="IME", nom="Mauvais type", commune="51108"),
            row(type="GEM", nom="GEM court", commune="51108", heures_hebdo="30", porteur="Inconnue"),
            row(type="Autre", nom="Sans nature", commune="08105"),
            row(type="UEEA", nom="Âges", commune="51108", age_min="11", age_max="6", annee_scolaire_ouverture="23/24"),
            row(type="GEM", nom="Argent", commune="51108", subventions="2023 : beaucoup", budget_annuel="-3"),
            row(type="UEMA", nom="Correcte", commune="51108"),
        ),
    ).content.decode()
    assert "Rien n&#x27;a été importé" in html or "Rien n'a été importé" in html
    for message in [
        "ligne 3, colonne « Type » : type inconnu « IME »",
        "ligne 4, colonne « Heures d&#x27;ouverture par semaine » : un GEM est ouvert au moins 35 heures",
        "ligne 4, colonne « Porteur » : organisation inconnue « Inconnue »",
        "ligne 5, colonne « Nature (type « Autre ») » : précisez la nature",
        "ligne 5, colonne « Commune (code INSEE) » : commune inconnue « 08105 »",
        "ligne 6, colonne « Âge maximum » : l&#x27;âge maximum précède l&#x27;âge minimum.",
        "ligne 6, colonne « Ouverte à la rentrée » : année scolaire illisible « 23/24 »",
        "ligne 7, colonne « Subventions de l&#x27;ARS par année » : 2023 : « beaucoup » n’est pas un montant.",
        "ligne 7, colonne « Budget annuel (€) » : « -3 » n’est pas un montant positif ou nul.",
        "ligne 8, colonne « Nom » : ce dispositif figure déjà ligne 2.",
    ]:
        assert message in html, message
    assert (Dispositif.objects.count(), Subvention.objects.count(), Structure.objects.count()) == before


def test_an_error_in_one_sheet_writes_nothing_from_the_other(agent_client, care):
    workbook = openpyxl.Workbook()
    structures = workbook.active
    structures.title = "Structures"
    structures.append(spreadsheet.HEADERS)
    structures.append(["MSP", "MSP de Fismes", "51250"])
    schemes = workbook.create_sheet("Dispositifs")
    schemes.append(spreadsheet.SCHEME_HEADERS)
    schemes.append(["UEMA", "", "", "51108"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    html = post(agent_client, SimpleUploadedFile("offre.xlsx", buffer.getvalue())).content.decode()
    assert "« offre.xlsx », feuille « Dispositifs », ligne 2, colonne « Nom » : le nom est obligatoire." in html
    assert not Structure.objects.filter(nom="MSP de Fismes").exists()


def test_two_sheets_of_the_same_kind_are_refused(agent_client, care):
    workbook = openpyxl.Workbook()
    for title in ("Dispositifs", "Dispositifs (2)"):
        sheet = workbook.create_sheet(title)
        sheet.append(spreadsheet.SCHEME_HEADERS)
    workbook.remove(workbook["Sheet"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    html = post(agent_client, SimpleUploadedFile("offre.xlsx", buffer.getvalue())).content.decode()
    assert "feuille « Dispositifs (2) » : une autre feuille" in html
