"""Export of a plan to XLSX / CSV, and import of the same workbook."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions import spreadsheet
from actions.models import FicheAction, Financement, Indicateur, Mesure
from contracts.models import Organisation

pytestmark = pytest.mark.django_db


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _save(book) -> io.BytesIO:
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _column(sheet, header):
    return [c.value for c in sheet[1]].index(header) + 1


@pytest.fixture
def measured(udaf_reims):
    rate = Indicateur.objects.create(fiche=udaf_reims, libelle="Part des personnes orientées", est_taux=True, cible=50)
    Mesure.objects.create(indicateur=rate, annee=2023, numerateur=9, denominateur=10, source="UDAF")
    return rate


def test_export_has_the_three_sheets_with_the_gem_money(gem, measured, demo):
    book = _book(spreadsheet.export_workbook(demo["reims2"]))
    assert book.sheetnames == ["Actions", "Financements", "Indicateurs — mesures"]
    numbers = [row[0] for row in book["Actions"].iter_rows(min_row=2, values_only=True)]
    assert "4.10" in numbers and "3.6" in numbers  # text, not the number 4.1
    funding = list(book["Financements"].iter_rows(min_row=2, values_only=True))
    assert sum(Decimal(str(row[3])) for row in funding) == Decimal("226024.47")
    assert ("3.6", "ARS Grand Est", 2023, 94188.23, "Fonctionnement", "Acquis") in funding
    indicators = list(book["Indicateurs — mesures"].iter_rows(min_row=2, values_only=True))
    assert indicators[0][:2] == ("2.9", "Part des personnes orientées")


def test_csv_variants(gem, demo):
    plain = spreadsheet.export_csv(demo["reims2"]).decode("utf-8")
    assert plain.startswith("Numéro,Axe,Intitulé")
    assert "226024.47" in plain
    excel = spreadsheet.export_csv(demo["reims2"], excel=True)
    assert excel.startswith("\ufeff".encode())
    text = excel.decode("utf-8-sig")
    assert text.startswith("Numéro;Axe;Intitulé") and "226024,47" in text


def test_reimporting_an_export_changes_nothing(gem, measured, demo):
    reims2 = demo["reims2"]
    before = (FicheAction.history.count(), Financement.history.count(), Mesure.history.count())
    result = spreadsheet.import_workbook(reims2, io.BytesIO(spreadsheet.export_workbook(reims2)))
    assert result.errors == []
    assert result.summary() == "Aucun changement : les 14 fiches du classeur sont déjà à jour."
    assert (FicheAction.history.count(), Financement.history.count(), Mesure.history.count()) == before


def test_import_updates_by_number_and_never_duplicates(gem, demo):
    reims2 = demo["reims2"]
    book = _book(spreadsheet.export_workbook(reims2))
    actions = book["Actions"]
    for row in actions.iter_rows(min_row=2):
        if row[0].value == "2.1":
            row[_column(actions, "Intitulé") - 1].value = "Promouvoir la vaccination"
            row[_column(actions, "État") - 1].value = "En cours"
    actions.append(["2.12", None, "Nouvelle action importée"])
    funding = book["Financements"]
    funding.append(["2.12", "CPAM de la Marne", 2024, "1 500,50", "Fonctionnement", "Sollicité"])
    result = spreadsheet.import_workbook(reims2, _save(book))
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (["2.12"], ["2.1"], 13)
    assert FicheAction.objects.filter(cls=reims2).count() == 15
    vaccination = FicheAction.objects.get(cls=reims2, numero="2.1")
    assert (vaccination.titre, vaccination.etat) == ("Promouvoir la vaccination", "en_cours")
    assert vaccination.changements_etat.get().etat == "en_cours"
    new = FicheAction.objects.get(cls=reims2, numero="2.12")
    assert new.axe.numero == 2 and new.financements.get().montant == Decimal("1500.50")
    # And the same file again changes nothing.
    again = spreadsheet.import_workbook(reims2, _save(book))
    assert (again.created, again.updated, again.funding_changed) == ([], [], 0)


def test_every_error_is_reported_with_sheet_row_and_column_and_nothing_is_written(gem, demo):
    reims2 = demo["reims2"]
    book = _book(spreadsheet.export_workbook(reims2))
    actions = book["Actions"]
    actions.append(["7.1", None, "Axe inexistant"])
    actions.append(["2.13", None, "", None, None, None, "Organisation fantôme"])
    actions.append([4.1, None, "Numéro lu comme un nombre"])
    actions.append(["2.14", None, "Dates à l'envers"] + [None] * 11 + ["01/06/2024", "01/01/2024"])
    funding = book["Financements"]
    funding.append(["3.6", "ARS Grand Est", 1850, "-3", "Fonctionnement", "Promis"])
    rows = actions.max_row
    result = spreadsheet.import_workbook(reims2, _save(book))
    assert f"Feuille « Actions », ligne {rows - 3}, colonne A (« Numéro ») : le CLS n'a pas d'axe « 7 »" in "\n".join(
        result.errors
    )
    expected = [
        f"Feuille « Actions », ligne {rows - 2}, colonne G (« Porteur ») : organisation inconnue : "
        "« Organisation fantôme ».",
        f"Feuille « Actions », ligne {rows - 2}, colonne C (« Intitulé ») : intitulé obligatoire.",
        f"Feuille « Actions », ligne {rows - 1}, colonne A (« Numéro ») : le numéro « 4.1 » a été lu comme un nombre",
        f"Feuille « Actions », ligne {rows}, colonne P (« Fin prévue ») : "
        "La fin prévue ne peut pas précéder le début prévu.",
        "Feuille « Financements », ligne 5, colonne C (« Année ») : « 1850 » n'est pas une année entre 2000 et 2100.",
        "Feuille « Financements », ligne 5, colonne D (« Montant (€) ») : « -3 » n’est pas un montant positif ou nul.",
        "Feuille « Financements », ligne 5, colonne F (« Stade ») : « Promis » n'est pas une valeur acceptée",
    ]
    text = "\n".join(result.errors)
    for message in expected:
        assert message in text
    assert len(result.errors) == 8
    assert FicheAction.objects.filter(cls=reims2).count() == 14
    assert Financement.objects.count() == 3


def test_missing_sheet_or_column_and_unreadable_file(demo, db):
    book = _book(spreadsheet.blank_workbook())
    del book["Financements"]
    book["Actions"].delete_cols(3)
    result = spreadsheet.import_workbook(demo["reims2"], _save(book))
    assert "Feuille « Financements » absente du classeur." in result.errors
    assert "Feuille « Actions », ligne 1 : colonne « Intitulé » absente." in result.errors
    garbage = spreadsheet.import_workbook(demo["reims2"], io.BytesIO(b"pas un classeur"))
    assert garbage.errors == ["Le fichier n'est pas un classeur Excel (.xlsx) lisible."]


def test_blank_template_imports_the_filled_rows(demo, db):
    book = _book(spreadsheet.blank_workbook())
    assert "Aide" in book.sheetnames
    book["Actions"].append(["P2.1", None, "Handicap : accès aux loisirs"])
    result = spreadsheet.import_workbook(demo["vitry"], _save(book))
    assert result.errors == [] and result.created == ["P2.1"]
    assert FicheAction.objects.get(cls=demo["vitry"]).axe.intitule == "Personnes en situation de handicap"


def test_import_page_shows_errors_and_writes_nothing(client, coord_reims2, demo, gem):
    client.force_login(coord_reims2)
    book = _book(spreadsheet.export_workbook(demo["reims2"]))
    book["Financements"].append(["3.6", "Inconnu SA", 2024, 10, "Fonctionnement", "Acquis"])
    upload = _save(book)
    upload.name = "plan.xlsx"
    response = client.post(reverse("actions_import", args=[demo["reims2"].pk]), {"fichier": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Feuille « Financements », ligne 5, colonne B (« Financeur ») : organisation inconnue" in page
    assert not Organisation.objects.filter(nom="Inconnu SA").exists()
    template = client.get(reverse("actions_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
