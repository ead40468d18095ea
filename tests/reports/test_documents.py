"""The generated files, opened as a reader would: DOCX with python-docx, PDF with pypdf."""

import datetime

import pytest

from contracts.models import Signataire
from reports import documents
from reports.contrat import contract_document
from reports.departement import departement_report, region_report
from territories.models import Region
from tests.pdf import pdf_text
from tests.reports.conftest import all_text, headings, open_docx, table_rows

END_2023 = datetime.date(2023, 12, 31)


@pytest.fixture
def marne_report(marne_demo, marne):
    vitry = marne_demo["vitry"]
    vitry.point_de_situation = "Bilan annuel présenté au comité de pilotage de janvier."
    vitry.save()
    return departement_report(marne, END_2023)


def test_marne_docx_has_the_headings_figures_tables_and_images(marne_report):
    document = open_docx(documents.departement_docx(marne_report))
    found = headings(document)
    assert found[:2] == ["Couverture de la population", "Les contrats locaux de santé, un par un"]
    for title in (
        "Contrat local de santé du bassin vitryat (CLS 3)",
        "Programmes communs à plusieurs CLS",
        "Offre de soins coordonnée",
        "Maison médicale de garde de Châlons-en-Champagne",
        "Dispositifs médico-sociaux",
        "Annexe : les structures, en quelques mots",
    ):
        assert title in found
    text = all_text(document)
    assert "5 contrats locaux de santé sont contractualisés" in text
    assert "353\u202f541 habitants, 62,8 % (5 CLS)" in text
    assert "94\u202f410 habitants, 16,8 % (3 CLS)" in text
    assert "Bilan annuel présenté au comité de pilotage de janvier." in text
    assert ["Contrat local de santé de Reims (CLS 3)", "Élaboration", "1", "177\u202f674"] in table_rows(document)
    assert len(document.inline_shapes) == 2  # the map and the population chart
    assert document.core_properties.language == "fr-FR"


def test_marne_pdf_has_the_same_content(marne_report):
    text = pdf_text(documents.departement_pdf(marne_report), layout=True)
    assert "Les contrats locaux de santé — Marne (51) — au 31/12/2023" in text
    assert "5 contrats locaux de santé sont contractualisés" in text
    assert "62,8 %" in text and "16,8 %" in text
    assert "Contrat local de santé du Pays d'Épernay Terres de Champagne (CLS 1)" in text
    assert "Bilan annuel présenté au comité de pilotage de janvier." in text
    assert "Maison de santé pluriprofessionnelle (MSP)" in text


def test_region_docx_and_pdf_have_the_summary_table_and_the_department_sections(marne_demo):
    report = region_report(Region.objects.get(code="44"), END_2023)
    document = open_docx(documents.region_docx(report))
    assert headings(document)[:3] == ["Synthèse régionale", "Marne (51)", "Couverture de la population"]
    summary = document.tables[0]
    assert [cell.text for cell in summary.rows[0].cells][:2] == ["Département", "En vigueur"]
    assert [cell.text for cell in summary.rows[1].cells][-4:] == ["94\u202f410", "16,8 %", "353\u202f541", "62,8 %"]
    text = pdf_text(documents.region_pdf(report), layout=True)
    assert "Synthèse régionale" in text and "Total Grand" in text  # the cell wraps before « Est »
    assert "Contrat local de santé de l'Argonne Champenoise (CLS 1)" in text


def test_contract_document_lists_parties_perimeter_signature_blocks_and_every_fiche(marne_demo):
    chalons = marne_demo["chalons1"]
    contract = contract_document(chalons)
    document = open_docx(documents.contract_docx(contract))
    found = headings(document)
    assert found[:5] == [
        "Article 1 — Les parties",
        "Article 2 — Le périmètre",
        "Article 3 — La durée",
        "Article 4 — Les axes stratégiques",
        "Signatures",
    ]
    annexes = [h for h in found if h.startswith("Annexe — Fiche action")]
    assert len(annexes) == chalons.fiches.count() > 0
    rows = table_rows(document)
    signature_blocks = [row[1] for row in rows if row[0] == "Pour"]
    assert sorted(signature_blocks) == sorted(str(s.organisation) for s in Signataire.objects.filter(cls=chalons))
    assert len(signature_blocks) == 11
    assert ["Châlons-en-Champagne", "51108", "42\u202f971"] in rows
    text = all_text(document)
    assert "Le présent contrat s'applique du 01/01/2020 au 31/12/2024, soit 5 ans." in text
    pdf = pdf_text(documents.contract_pdf(contract), layout=True)
    assert "Article 1 — Les parties" in pdf
    assert pdf.count("Pour ") >= 11
    assert "Fiche action 1.1" in pdf
