"""The evaluation report: DOCX read back with python-docx, PDF read back with pypdf."""

import io

import pytest
from django.urls import reverse
from docx import Document

from evaluation.models import Atteinte, Evaluation, EvaluationAction
from tests.pdf import pdf_text


@pytest.fixture
def evaluated(small):
    Evaluation.objects.create(
        cls=small["cls"],
        conclusions="Le plan a tenu ses promesses.",
        recommandations="Garder l'axe 2.",
        illustratif=True,
    )
    EvaluationAction.objects.create(
        fiche=small["f21"], atteinte=Atteinte.ATTEINT, a_poursuivre=True, commentaire="Cible dépassée."
    )
    return small


def docx_of(client, cls):
    response = client.get(reverse("evaluation_docx", args=[cls.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Document(io.BytesIO(response.content))


def rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_docx_headings_tables_and_chart(evaluated, coord_small, client):
    client.force_login(coord_small)
    document = docx_of(client, evaluated["cls"])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:6] == [
        "1. Actions par axe et par état",
        "2. Indicateurs et cibles",
        "3. Financements et dépenses",
        "4. Enjeux du diagnostic",
        "Enjeux couverts par au moins une action",
        "Enjeux sans action",
    ]
    assert "6. Conclusions et recommandations" in headings
    tables = [rows(t) for t in document.tables]
    etats = next(t for t in tables if t[0][0] == "Axe")
    assert etats[0] == ["Axe", "Actions", "En cours", "Réalisée", "État non renseigné", "Indicateurs atteints"]
    assert etats[-1] == ["Ensemble du CLS", "4", "2", "1", "1", "2 sur 3 (67 %)"]
    money = next(t for t in tables if t[0][0] == "Financeur")
    assert money[-1] == ["Total", "—", "500,00 €", "3\u202f300,50 €", "2\u202f300,50 €"]
    indicateurs = next(t for t in tables if t[0][0] == "Fiche" and t[0][1] == "Indicateur")
    assert ["2.1", "Taux de fumeurs", "80,00", "70,00 (2025)", "oui"] in indicateurs
    actions = next(t for t in tables if t[0][:2] == ["Fiche", "Intitulé"])
    assert [
        "2.1",
        "Espaces sans tabac",
        "En cours",
        "1 sur 1 (100 %)",
        "Objectifs atteints",
        "oui",
        "Cible dépassée.",
    ] in (actions)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Santé mentale" in text and "Le plan a tenu ses promesses." in text
    assert "Exemple illustratif : ce contenu n'est pas tiré des documents sources du contrat." in text
    assert len(document.inline_shapes) == 2  # actions by state, money by funder


def test_pdf_contains_the_same_content(evaluated, coord_small, client):
    client.force_login(coord_small)
    response = client.get(reverse("evaluation_pdf", args=[evaluated["cls"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, layout=True)
    for expected in (
        "Évaluation — CLS de test (CLS 1)",
        "1. Actions par axe et par état",
        "Ensemble du CLS",
        "Indicateurs ayant atteint leur cible : 2 sur 3 (67 %)",
        "3 300,50 €",
        "Santé mentale",
        "Exemple illustratif",
        "Garder l'axe 2.",
    ):
        assert expected in text.replace("\u202f", " "), expected


def test_report_without_data_says_so(demo, lecteur, client):
    client.force_login(lecteur)
    document = docx_of(client, demo["chalons2"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Aucune fiche action." in text and "Les conclusions ne sont pas encore rédigées." in text
    assert "Aucun enjeu n'est nommé dans le diagnostic de ce CLS." in text
    assert "Exemple illustratif" not in text
