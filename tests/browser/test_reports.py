"""An ARS agent reads the Marne report at the end of 2023, downloads it, and writes a point de situation."""

import io
import re
import zipfile

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_ars_previews_and_downloads_the_marne_report(page, live_demo):
    page.goto("/rapports/")
    assert_accessible(page)
    log_in(page, "ars.marne")
    expect(page).to_have_url(re.compile(r"/rapports/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports")
    assert_accessible(page)
    page.get_by_role("link", name="Aperçu du rapport Marne (51)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marne (51)")
    assert_accessible(page)
    page.get_by_label("Situation au").fill("2023-12-31")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"/rapports/departements/51/\?date=2023-12-31$"))
    expect(page.get_by_test_id("synthese")).to_contain_text("5 contrats locaux de santé sont contractualisés")
    expect(page.get_by_test_id("synthese")).to_contain_text("62,8 %")
    expect(page.get_by_role("heading", name="Contrat local de santé du bassin vitryat (CLS 3)")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport (DOCX)").click()
    assert download.value.suggested_filename == "rapport-cls-51-2023-12-31.docx"
    body = download.value.path().read_bytes()
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "5 contrats locaux de santé sont contractualisés" in text


def test_ars_writes_the_point_de_situation_from_the_cls_page(page, live_demo):
    vitry = live_demo["vitry"]
    page.goto(f"/cls/{vitry.pk}/")
    assert_accessible(page)
    log_in(page, "ars.marne")
    expect(page).to_have_url(re.compile(rf"/cls/{vitry.pk}/$"))
    page.get_by_role("link", name="Modifier le point de situation").click()
    assert_accessible(page)
    page.get_by_label("Où en est le contrat, prochaines étapes").fill("Bilan annuel présenté en janvier.")
    page.get_by_label("Point de situation rédigé le").fill("2024-01-15")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_url(re.compile(rf"/cls/{vitry.pk}/$"))
    expect(page.get_by_test_id("point-de-situation")).to_have_text("Bilan annuel présenté en janvier.")
    assert_accessible(page)

    page.get_by_role("link", name="Document du contrat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrat local de santé du bassin vitryat — CLS 3")
    expect(page.get_by_role("heading", name="Article 3 — La durée")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le contrat (PDF)").click()
    assert download.value.suggested_filename == f"contrat-cls-{vitry.pk}.pdf"
    assert download.value.path().read_bytes()[:4] == b"%PDF"
