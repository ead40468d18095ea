"""An anonymous visitor reads the public pages, on a laptop and on a phone (see tests/browser/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from demo.actions import load_actions_demo
from demo.diagnostics import load_diagnostics_demo
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 740}


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url}: {overflow} px of horizontal scroll at {page.viewport_size['width']} px"


def test_anonymous_visitor_reads_the_cls_list_and_a_cls_page(page, live_demo):
    load_diagnostics_demo(live_demo)
    load_actions_demo(live_demo)
    epernay = live_demo["epernay"]

    page.goto("/public/")
    expect(page).to_have_url(re.compile(r"/public/regions/44/$"))
    expect(page).to_have_title("Les contrats locaux de santé — Grand Est — SantéLoc")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les contrats locaux de santé — Grand Est")
    carte = page.locator("#carte-region")
    expect(carte).to_have_attribute("data-loaded", "true")
    # One perimeter per CLS in force or in preparation; the department outlines are not interactive.
    legend = page.get_by_test_id("legende").locator("li")
    expect(carte.locator("path.leaflet-interactive")).to_have_count(legend.count())
    table = page.get_by_role("table", name=re.compile("contrats locaux de santé de la région"))
    expect(table.get_by_role("row", name=re.compile("Reims.*CLS 1"))).to_contain_text("Échu")
    assert_accessible(page)

    table.get_by_role("link", name="Contrat local de santé du Pays d'Épernay Terres de Champagne").click()
    expect(page).to_have_url(re.compile(rf"/public/cls/{epernay.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pays d'Épernay Terres de Champagne")
    expect(page.locator("#carte-cls")).to_have_attribute("data-loaded", "true")
    expect(page.get_by_role("heading", name="Les axes du contrat")).to_be_visible()
    page.get_by_role("button", name=re.compile("Accès personnalisé à la santé")).click()
    expect(page.get_by_text("Porteur : UDAF de la Marne")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    flyer = page.get_by_role("link", name=re.compile("Affiche du contrat"))
    response = page.request.get(flyer.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#carte-cls")).to_have_attribute("data-loaded", "true")
    assert_no_horizontal_scroll(page)
    page.goto("/public/regions/44/")
    assert_no_horizontal_scroll(page)
    page.goto("/public/donnees/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes des contrats locaux de santé")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
