"""The department care-offer page and its map, in a browser (see tests/browser/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from demo.careoffer import load_care_offer_demo
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_care_offer_page_map_filters_and_mmg_page(page, live_demo):
    care = load_care_offer_demo()
    page.goto("/departements/51/offre-de-soins/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offre de soins — Marne (51)")
    carte = page.locator("#carte-offre")
    expect(carte).to_have_attribute("data-loaded", "true")
    # 4 structures and 7 medico-social schemes: one dot each; the outline is not interactive.
    expect(carte.locator("path.leaflet-interactive")).to_have_count(11)
    counts = page.get_by_role("table", name=re.compile("Structures par type et par état"))
    expect(counts.get_by_test_id("compte-msp")).to_contain_text("20 au 31/12/2023")
    projects = page.locator("#tableau-projets tbody tr")
    expect(projects.first).to_contain_text("2024")
    expect(projects.nth(1)).to_contain_text("T1 2024")
    assert_accessible(page)

    page.get_by_label("Type", exact=True).select_option(label="Maison médicale de garde (MMG)")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"type=mmg"))
    expect(carte.locator("path.leaflet-interactive")).to_have_count(1)
    table = page.get_by_role("table", name=re.compile("structure enregistrée"))
    expect(table.locator("tbody tr")).to_have_count(1)
    assert_accessible(page)

    table.get_by_role("link", name="Maison médicale de garde de Châlons-en-Champagne").click()
    expect(page).to_have_url(re.compile(rf"/offre-de-soins/structures/{care['mmg_chalons'].pk}/$"))
    expect(page.get_by_test_id("ouverture")).to_contain_text("Prochaine ouverture")
    horaires = page.get_by_role("table", name=re.compile("Horaires d'ouverture"))
    expect(horaires.get_by_role("row", name=re.compile("Jours fériés"))).to_contain_text("de 10h à 12h")
    expect(page.get_by_role("link", name="Modifier la structure")).to_have_count(0)
    assert_accessible(page)


def test_ars_agent_records_an_opening(page, live_demo):
    care = load_care_offer_demo()
    page.goto(f"/offre-de-soins/structures/{care['msp_vitry'].pk}/modifier/")
    expect(page).to_have_url(re.compile(r"/connexion/"))
    assert_accessible(page)
    log_in(page, "ars.marne")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier MSP de Vitry-le-François")
    assert_accessible(page)
    page.get_by_label("Ouverte le").fill("2024-03-04")
    page.get_by_label("Médecins").fill("3")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MSP de Vitry-le-François")
    expect(page.get_by_test_id("etapes")).to_contain_text("Ouverte le 04/03/2024")
    assert_accessible(page)
