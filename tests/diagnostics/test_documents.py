"""The diagnostic exported as DOCX and PDF: the document partners sign off at step 2."""

import datetime
import io

import pytest
from docx import Document

from actions.models import Etat, FicheAction
from demo.careoffer import load_care_offer_demo
from demo.diagnostics import load_diagnostics_demo
from diagnostics.models import ApportQualitatif, Enjeu, TypeApport
from territories.models import Departement
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

ALCOHOL = "Consommation régulière élevée de boissons alcoolisées chez les jeunes de 17 ans"


@pytest.fixture
def vitry_diagnostic(demo, indicateurs, marne):
    load_diagnostics_demo(demo)
    load_care_offer_demo()
    Departement.objects.get_or_create(code="08", defaults={"nom": "Ardennes", "region": marne.region})
    cls = demo["vitry"]
    apport = ApportQualitatif.objects.create(
        cls=cls,
        type=TypeApport.FOCUS_GROUPE,
        date=datetime.date(2024, 3, 12),
        aupres_de="Lycéens de Vitry-le-François",
        participants=14,
        resume="Les soirées commencent tôt ; peu savent où trouver une consultation jeunes consommateurs.",
        themes=["addictions"],
    )
    enjeu = Enjeu.objects.get(cls=cls, titre=ALCOHOL)
    enjeu.apports.add(apport)
    fiche = FicheAction.objects.create(cls=cls, rang=1, titre="Ouvrir une consultation jeunes consommateurs")
    fiche.etat = Etat.A_LANCER
    fiche.save()
    fiche.enjeux.add(enjeu)
    Enjeu.objects.create(cls=cls, titre="Chlore dans l'eau potable", theme="environnement")
    return cls


def _docx(client, cls):
    response = client.get(f"/cls/{cls.pk}/diagnostic/diagnostic.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'filename="diagnostic-cls-' in response["Content-Disposition"]
    return Document(io.BytesIO(response.content))


def test_docx_has_headings_figures_issues_inputs_and_sources(client, lecteur, vitry_diagnostic):
    cls = vitry_diagnostic
    client.force_login(lecteur)
    document = _docx(client, cls)
    headings = {p.text: p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert headings["1. Chiffres clés et comparaisons"] == "Heading 1"
    assert headings["2. Enjeux et actions qui y répondent"] == "Heading 1"
    assert headings["3. Ce que disent les habitants et les acteurs"] == "Heading 1"
    assert headings["4. Sources et licences"] == "Heading 1"
    assert headings[ALCOHOL] == "Heading 2"
    assert document.paragraphs[0].style.name == "Title" and cls.nom in document.paragraphs[0].text

    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    communes = list(cls.communes.values_list("population", flat=True))
    assert facts["Communes du périmètre"] == str(len(communes))
    assert facts["Population municipale"].startswith(f"{sum(communes):,}".replace(",", "\u202f") + " habitants")

    figures = document.tables[1]
    assert [c.text for c in figures.rows[0].cells] == [
        "Indicateur",
        "Périmètre",
        "Marne (51)",
        "Grand Est",
        "France",
        "Écart au département",
    ]
    population = next(r for r in figures.rows if r.cells[0].text.startswith("Population municipale 2021"))
    assert population.cells[2].text == "565\u202f292"  # the Marne, from the shipped extract

    care = document.tables[2]
    assert care.rows[0].cells[0].text == "Indicateur"
    assert [c.text for c in care.rows[1].cells[3:]] == ["non renseigné", "non renseigné"]

    texts = [p.text for p in document.paragraphs]
    assert "Groupe de discussion du 12/03/2024 — Lycéens de Vitry-le-François" in texts  # evidence of the issue
    assert "HA.1 Ouvrir une consultation jeunes consommateurs (à lancer)" in texts  # the action answering it
    assert "Chlore dans l'eau potable" in texts  # listed among issues no action answers
    inputs = next(t for t in document.tables if t.rows[0].cells[0].text == "Date et type")
    assert [c.text for c in inputs.rows[1].cells] == [
        "Groupe de discussion du 12/03/2024",
        "Lycéens de Vitry-le-François",
        "14",
        "Conduites addictives",
        "Les soirées commencent tôt ; peu savent où trouver une consultation jeunes consommateurs.",
    ]
    sources = document.tables[-1]
    assert [c.text for c in sources.rows[0].cells] == ["Indicateur", "Source", "Producteur", "Millésime", "Licence"]
    assert any(r.cells[4].text == "Licence Ouverte 2.0" for r in sources.rows[1:])
    assert len(document.inline_shapes) >= 1  # the bar charts


def test_pdf_says_the_same_in_french(client, lecteur, vitry_diagnostic):
    client.force_login(lecteur)
    response = client.get(f"/cls/{vitry_diagnostic.pk}/diagnostic/diagnostic.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    text = " ".join(text.split())
    for expected in (
        "Diagnostic territorial — Contrat local de santé du bassin vitryat",
        "1. Chiffres clés et comparaisons",
        "Exercice coordonné",
        "non renseigné",
        "Consommation régulière élevée de boissons alcoolisées",
        "Ouvrir une consultation jeunes consommateurs (à lancer)",
        "Enjeux auxquels aucune action ne répond encore",
        "Lycéens de Vitry-le-François",
        "4. Sources et licences",
        "Licence Ouverte 2.0",
        "Page 1 sur",
    ):
        assert expected in text, expected
    population = sum(vitry_diagnostic.communes.values_list("population", flat=True))
    assert f"{population:,} habitants".replace(",", " ") in text  # the narrow space became a space above


def test_exports_follow_the_page_visibility(client, demo):
    cls = demo["vitry"]
    for suffix in ("docx", "pdf"):
        response = client.get(f"/cls/{cls.pk}/diagnostic/diagnostic.{suffix}")
        assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_page_links_to_both_exports(client, lecteur, demo):
    client.force_login(lecteur)
    page = client.get(f"/cls/{demo['vitry'].pk}/diagnostic/").content.decode()
    assert f"/cls/{demo['vitry'].pk}/diagnostic/diagnostic.docx" in page
    assert f"/cls/{demo['vitry'].pk}/diagnostic/diagnostic.pdf" in page
