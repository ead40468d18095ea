"""What a person does in SantéLoc with a browser, on the Marne demo (see tests/browser/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from contracts.models import Cls
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DSFR_BLUE = "rgb(0, 0, 145)"  # bleu France, #000091


def expect_map_drawn(page, map_id: str):
    carte = page.locator(f"#{map_id}")
    expect(carte).to_have_attribute("data-loaded", "true")
    return carte.locator("path.leaflet-interactive")


def test_anonymous_reads_coverage_then_logs_in_to_see_a_cls(page, live_demo):
    page.goto("/departements/51/?date=2023-12-31")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrats locaux de santé — Marne (51)")
    # The DSFR stylesheets are served and applied (not blocked by their integrity hashes).
    assert "Marianne" in page.evaluate("getComputedStyle(document.body).fontFamily")
    expect(page.get_by_role("button", name="Afficher")).to_have_css("color", DSFR_BLUE)

    expect(page.get_by_test_id("taux-avec-preparation")).to_have_text("62,8 %")
    expect(page.get_by_test_id("taux-en-vigueur")).to_have_text("16,8 %")
    expect(page.get_by_label("Situation au")).to_have_value("2023-12-31")
    communes = expect_map_drawn(page, "carte-departement")
    expect(communes).to_have_count(610)
    expect(page.get_by_test_id("legende")).to_contain_text("Contrat local de santé du bassin vitryat")
    assert_accessible(page)

    vitry = live_demo["vitry"]
    table = page.get_by_role("table", name=re.compile("Les contrats locaux de santé du département"))
    table.get_by_role("link", name="Contrat local de santé du bassin vitryat", exact=True).click()

    expect(page).to_have_url(re.compile(r"/connexion/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à SantéLoc")
    expect(page.get_by_role("button", name="Se connecter")).to_have_css("background-color", DSFR_BLUE)
    assert_accessible(page)
    log_in(page, "lecteur")

    expect(page).to_have_url(re.compile(rf"/cls/{vitry.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrat local de santé du bassin vitryat")
    expect(page.get_by_test_id("perimetre-resume")).to_contain_text("100 communes")
    expect(expect_map_drawn(page, "carte-perimetre")).to_have_count(100)
    expect(page.get_by_role("link", name="Modifier le contrat")).to_have_count(0)  # a reader does not edit
    assert_accessible(page)


def test_coordinator_edits_the_observations_of_her_cls(page, live_demo):
    reims3 = live_demo["reims3"]
    page.goto(f"/cls/{reims3.pk}/")
    expect(page).to_have_url(re.compile(r"/connexion/"))
    assert_accessible(page)
    log_in(page, "coord.reims")
    expect(page).to_have_url(re.compile(rf"/cls/{reims3.pk}/$"))
    expect_map_drawn(page, "carte-perimetre")
    assert_accessible(page)

    page.get_by_role("link", name="Modifier le contrat").click()
    expect(page).to_have_url(re.compile(rf"/cls/{reims3.pk}/modifier/$"))
    assert_accessible(page)
    text = "Comité de pilotage du 12 mars : bilan à mi-parcours présenté aux signataires."
    page.get_by_label("Observations").fill(text)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(re.compile(rf"/cls/{reims3.pk}/$"))
    expect(page.get_by_text("Les modifications ont été enregistrées.")).to_be_visible()
    expect(page.get_by_text(text, exact=True)).to_be_visible()
    expect(page.get_by_test_id("historique")).to_contain_text("Coordination Reims")
    expect_map_drawn(page, "carte-perimetre")
    assert_accessible(page)
    assert Cls.objects.get(pk=reims3.pk).observations == text


def test_coordinator_cannot_edit_another_cls(page, live_demo):
    chalons1 = live_demo["chalons1"]
    page.goto("/connexion/")
    assert_accessible(page)
    log_in(page, "coord.reims")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert_accessible(page)

    response = page.goto(f"/cls/{chalons1.pk}/modifier/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    expect(page.get_by_role("button", name="Enregistrer")).to_have_count(0)
    assert_accessible(page)
    assert Cls.objects.get(pk=chalons1.pk).observations == chalons1.observations
