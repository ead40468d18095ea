"""Actions answer the issues (enjeux) of their CLS's diagnostic: form, fiche, plan, filter, spreadsheet, demo."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from actions import services, spreadsheet
from actions.models import FicheAction
from contracts.models import AxeKind
from demo.actions import load_actions_demo
from demo.diagnostics import load_diagnostics_demo
from diagnostics.models import Enjeu, Theme
from tests.actions.conftest import fiche

pytestmark = pytest.mark.django_db


@pytest.fixture
def alcohol(cjc):
    return cjc.enjeux.get()


@pytest.fixture
def foreign_enjeu(demo, plans):
    """An issue of another CLS (Reims 3)."""
    return Enjeu.objects.filter(cls=demo["reims3"]).first()


def _edit_data(fiche_obj, **changes):
    data = {
        "axe": fiche_obj.axe_id,
        "rang": fiche_obj.rang,
        "titre": fiche_obj.titre,
        "description": fiche_obj.description,
        "tout_le_perimetre": "on",
        "version": fiche_obj.version,
        "publics": [p.pk for p in fiche_obj.publics.all()],
        "enjeux": [e.pk for e in fiche_obj.enjeux.all()],
    }
    data.update(changes)
    return data


def _text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


def test_demo_vitry_consultation_answers_the_alcohol_issue(cjc, demo):
    assert cjc.cls == demo["vitry"]
    assert (cjc.axe.type, cjc.axe.intitule, cjc.numero) == (AxeKind.PRIORITE, "Jeunesse 12-25 ans", "P4.1")
    assert cjc.titre == "Consultation des jeunes consommateurs au sein de la maison des adolescents (CSAPA)"
    assert [e.titre for e in cjc.enjeux.all()] == [
        "Consommation régulière élevée de boissons alcoolisées chez les jeunes de 17 ans"
    ]


def test_demo_is_idempotent_and_links_no_other_action(demo, plans):
    counts = (FicheAction.objects.count(), FicheAction.enjeux.through.objects.count())
    load_diagnostics_demo(demo)
    load_actions_demo(demo)
    assert (FicheAction.objects.count(), FicheAction.enjeux.through.objects.count()) == counts == (counts[0], 1)


def test_form_offers_only_the_issues_of_the_same_cls(client, ars_marne, cjc, alcohol, foreign_enjeu):
    client.force_login(ars_marne)
    page = _text(client.get(reverse("actions_fiche_edit", args=[cjc.pk])))
    assert alcohol.titre in page
    assert foreign_enjeu.titre not in page


def test_an_issue_of_another_cls_is_refused_in_french(client, ars_marne, cjc, alcohol, foreign_enjeu):
    client.force_login(ars_marne)
    response = client.post(
        reverse("actions_fiche_edit", args=[cjc.pk]), _edit_data(cjc, enjeux=[alcohol.pk, foreign_enjeu.pk])
    )
    assert response.status_code == 200
    assert "Cet enjeu n'appartient pas au diagnostic de ce CLS" in _text(response)
    assert list(cjc.enjeux.all()) == [alcohol]


def test_the_service_refuses_an_issue_of_another_cls_too(cjc, foreign_enjeu):
    with pytest.raises(ValidationError) as error:
        services.save_fiche(cjc, read_version=cjc.version, m2m={"enjeux": [foreign_enjeu]})
    assert "d'un autre CLS" in str(error.value)
    assert not cjc.enjeux.filter(pk=foreign_enjeu.pk).exists()


def test_coordinator_links_an_issue_when_editing(client, ars_marne, cjc, alcohol, demo):
    other = Enjeu.objects.create(cls=demo["vitry"], titre="Isolement des personnes âgées", theme=Theme.PREVENTION)
    client.force_login(ars_marne)
    response = client.post(reverse("actions_fiche_edit", args=[cjc.pk]), _edit_data(cjc, enjeux=[alcohol.pk, other.pk]))
    assert response.status_code == 302
    assert set(cjc.enjeux.all()) == {alcohol, other}


def test_fiche_page_shows_the_issues_with_a_link_to_the_diagnostic(client, lecteur, cjc, alcohol, demo):
    client.force_login(lecteur)
    page = _text(client.get(reverse("actions_fiche", args=[cjc.pk])))
    assert "Enjeux du diagnostic auxquels elle répond" in page
    assert f'href="{reverse("diagnostic", args=[demo["vitry"].pk])}">{alcohol.titre}</a>' in page


def test_plan_lists_issues_with_their_actions_and_those_without(client, lecteur, cjc, alcohol, demo):
    vitry = demo["vitry"]
    Enjeu.objects.create(cls=vitry, titre="Isolement des personnes âgées", theme=Theme.PREVENTION)
    client.force_login(lecteur)
    page = _text(client.get(reverse("actions_plan", args=[vitry.pk])))
    assert "Enjeux du diagnostic" in page
    assert f"{alcohol.titre}</a> : 1 action" in page
    assert "1 enjeu sans action</strong> : Isolement des personnes âgées." in page


def test_plan_filter_by_issue(client, lecteur, cjc, alcohol, demo):
    vitry = demo["vitry"]
    client.force_login(lecteur)
    url = reverse("actions_plan", args=[vitry.pk])
    assert "3 actions" in _text(client.get(url))  # the UDAF and Prescri'Mouv' fiches, and the consultation
    page = _text(client.get(url, {"enjeu": alcohol.pk}))
    assert "1 action" in page and "jeunes consommateurs" in page and "Accès personnalisé" not in page


def test_plan_query_count_does_not_grow_with_issues(client, lecteur, cjc, demo):
    vitry = demo["vitry"]
    client.force_login(lecteur)
    url = reverse("actions_plan", args=[vitry.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    axe = vitry.axes.get(numero=4)
    for i in range(5):
        enjeu = Enjeu.objects.create(cls=vitry, titre=f"Enjeu {i}", theme=Theme.PREVENTION)
        fiche(vitry, axe, titre=f"Action {i}").enjeux.add(enjeu)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# Spreadsheet


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _save(book) -> io.BytesIO:
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _column(sheet, header):
    return [c.value for c in sheet[1]].index(header) + 1


def test_export_has_an_enjeux_column_and_reimport_changes_nothing(cjc, alcohol, demo):
    vitry = demo["vitry"]
    book = _book(spreadsheet.export_workbook(vitry))
    sheet = book["Actions"]
    column = _column(sheet, "Enjeux")
    values = {sheet.cell(row, 1).value: sheet.cell(row, column).value for row in range(2, sheet.max_row + 1)}
    assert values["P4.1"] == alcohol.titre
    result = spreadsheet.import_workbook(vitry, _save(book))
    assert not result.errors
    assert result.summary().startswith("Aucun changement")
    assert list(cjc.enjeux.all()) == [alcohol]
    assert "Enjeux" in spreadsheet.export_csv(vitry).decode().splitlines()[0]


def test_import_links_issues_by_title(cjc, alcohol, demo):
    vitry = demo["vitry"]
    other = Enjeu.objects.create(cls=vitry, titre="Isolement des personnes âgées", theme=Theme.PREVENTION)
    book = _book(spreadsheet.export_workbook(vitry))
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "P4.1")
    sheet.cell(row, _column(sheet, "Enjeux")).value = f"{alcohol.titre} ; isolement des personnes âgées"
    result = spreadsheet.import_workbook(vitry, _save(book))
    assert not result.errors and result.updated == ["P4.1"]
    assert set(cjc.enjeux.all()) == {alcohol, other}


def test_import_refuses_an_unknown_issue_with_sheet_row_and_column(cjc, alcohol, demo, foreign_enjeu):
    vitry = demo["vitry"]
    book = _book(spreadsheet.export_workbook(vitry))
    sheet = book["Actions"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "P4.1")
    column = _column(sheet, "Enjeux")
    sheet.cell(row, column).value = f"{alcohol.titre} ; {foreign_enjeu.titre}"  # an issue of Reims, not of Vitry
    result = spreadsheet.import_workbook(vitry, _save(book))
    letter = sheet.cell(row, column).column_letter
    assert result.errors == [
        f"Feuille « Actions », ligne {row}, colonne {letter} (« Enjeux ») : "
        f"enjeu(x) absent(s) du diagnostic de ce CLS : « {foreign_enjeu.titre} »."
    ]
    assert list(cjc.enjeux.all()) == [alcohol]


def test_a_workbook_without_the_enjeux_column_still_imports_and_keeps_the_links(cjc, alcohol, demo):
    vitry = demo["vitry"]
    book = _book(spreadsheet.export_workbook(vitry))
    sheet = book["Actions"]
    sheet.delete_cols(_column(sheet, "Enjeux"))
    result = spreadsheet.import_workbook(vitry, _save(book))
    assert not result.errors and result.summary().startswith("Aucun changement")
    assert list(cjc.enjeux.all()) == [alcohol]


def test_new_fiche_imported_with_its_issue(cjc, alcohol, demo):
    vitry = demo["vitry"]
    book = _book(spreadsheet.export_workbook(vitry))
    sheet = book["Actions"]
    headers = [c.value for c in sheet[1]]
    row = [""] * len(headers)
    row[headers.index("Numéro")] = "P4.2"
    row[headers.index("Intitulé")] = "Prévention des conduites addictives au lycée"
    row[headers.index("Enjeux")] = alcohol.titre
    sheet.append(row)
    result = spreadsheet.import_workbook(vitry, _save(book))
    assert not result.errors and result.created == ["P4.2"]
    created = FicheAction.objects.get(cls=vitry, numero="P4.2")
    assert list(created.enjeux.all()) == [alcohol]
    assert alcohol.actions.count() == 2


def test_linking_an_issue_is_in_the_fiche_history(client, ars_marne, cjc, alcohol):
    cjc.enjeux.clear()
    client.force_login(ars_marne)
    from actions.history import fiche_history

    cjc.enjeux.add(alcohol)
    details = [detail for change in fiche_history(cjc) for detail in change.details]
    assert f"enjeux du diagnostic auxquels elle répond : aucun → {alcohol}" in details
    page = client.get(f"/actions/{cjc.pk}/").content.decode()
    assert "aucun →" in page
