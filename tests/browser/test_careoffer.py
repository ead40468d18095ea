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


def test_region_page_and_agent_records_a_school_year_and_activity(page, live_demo):
    care = load_care_offer_demo()
    page.goto("/connexion/")
    assert_accessible(page)
    log_in(page, "ars.marne")
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)
    assert_accessible(page)  # the home page the login leads to
    page.goto(f"/regions/{care['uema_epernay'].departement.region.code}/offre-de-soins/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offre de soins — Grand Est")
    expect(page.get_by_test_id("region-51")).to_contain_text("0 (20)")
    assert_accessible(page)
    page.get_by_role("link", name="Marne (51)").click()
    expect(page.get_by_test_id("annee-2023-uema")).to_contain_text("1 120 000 €")
    expect(page.get_by_test_id("annee-2023-ueea")).to_contain_text("13")
    assert_accessible(page)

    page.goto(f"/offre-de-soins/dispositifs/{care['ueea_chalons'].pk}/")
    page.get_by_role("link", name="Saisir les années scolaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Années scolaires — UEEA de Châlons-en-Champagne")
    assert_accessible(page)
    new_row = page.get_by_role("group", name="Nouvelle ligne (année scolaire)")
    new_row.get_by_label("Année de la rentrée").fill("2024")
    new_row.get_by_label("Enfants scolarisés").fill("9")
    new_row.get_by_label("Budget de l'année (€)").fill("145 000")
    page.get_by_role("button", name="Enregistrer").click()
    years = page.get_by_role("table", name="Années scolaires")
    expect(years.locator("tr", has_text="2024/2025")).to_contain_text("145 000 €")
    assert_accessible(page)

    page.goto(f"/offre-de-soins/structures/{care['mmg_chalons'].pk}/")
    page.get_by_role("link", name="Saisir l'activité").click()
    new_period = page.get_by_role("group", name="Nouvelle ligne (période)")
    new_period.get_by_label("Période : du").fill("2024-01-01")
    new_period.get_by_label("Consultations par week-end (moyenne)").fill("38,5")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    activity = page.get_by_role("table", name="Activité par période")
    expect(activity.locator("tr", has_text="du 01/01/2024")).to_contain_text("38,5")
    assert_accessible(page)
