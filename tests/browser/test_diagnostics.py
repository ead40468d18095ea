"""A coordinator reads the diagnostic of a CLS perimeter and names an issue (see tests/browser/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import FicheAction
from demo.diagnostics import load_diagnostics_demo
from diagnostics.models import Enjeu
from tests.browser.conftest import assert_accessible, log_in
from tests.diagnostics.conftest import import_shipped_indicators

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reader_reads_the_profile_of_vitry(page, live_demo):
    import_shipped_indicators()
    load_diagnostics_demo(live_demo)
    vitry = live_demo["vitry"]
    fiche = FicheAction.objects.create(cls=vitry, rang=1, titre="Consultation jeunes consommateurs")
    fiche.enjeux.add(Enjeu.objects.get(cls=vitry))
    Enjeu.objects.create(cls=vitry, titre="Qualité de l'eau potable", theme="environnement")
    page.goto(f"/cls/{vitry.pk}/diagnostic/")
    assert_accessible(page)
    log_in(page, "lecteur")
    expect(page).to_have_url(re.compile(rf"/cls/{vitry.pk}/diagnostic/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Diagnostic territorial — Contrat local de santé du bassin vitryat"
    )

    figures = page.get_by_test_id("chiffres-cles")
    apl = figures.locator("tr[data-indicateur='apl_mg']")
    expect(apl).to_contain_text("4,19")  # the Marne, next to the perimeter
    expect(apl).to_contain_text("moins bien")
    expect(page.get_by_text("secret statistique pour 99 communes")).to_be_visible()

    carte = page.locator("#carte-diagnostic")
    expect(carte).to_have_attribute("data-loaded", "true")
    # 100 commune polygons, plus one dot per hospital listed under the map.
    hospitals = page.get_by_test_id("hopitaux").locator("li")
    expect(carte.locator("path.leaflet-interactive")).to_have_count(100 + hospitals.count())
    expect(page.get_by_test_id("table-carte").locator("tbody tr")).to_have_count(100)
    expect(page.get_by_test_id("enjeux")).to_contain_text("boissons alcoolisées chez les jeunes de 17 ans")
    expect(
        page.get_by_test_id("reponses").get_by_role("link", name="HA.1 Consultation jeunes consommateurs")
    ).to_have_attribute("href", f"/actions/{fiche.pk}/")
    expect(page.get_by_test_id("enjeux-sans-action")).to_have_text(re.compile("Qualité de l'eau potable"))
    expect(page.get_by_test_id("offre-coordonnee").locator("tr[data-indicateur='part_cpts']")).to_contain_text(
        "non renseigné"
    )
    expect(page.get_by_role("link", name="Ajouter un enjeu")).to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Télécharger le diagnostic.*\(\.pdf\)")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes()[:4] == b"%PDF"

    page.get_by_label("Indicateur représenté sur la carte").select_option("taux_chomage")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"indicateur=taux_chomage"))
    expect(page.get_by_test_id("legende")).to_contain_text("%")
    expect(page.locator("#carte-diagnostic")).to_have_attribute("data-loaded", "true")
    assert_accessible(page)


def test_coordinator_names_an_issue(page, live_demo):
    import_shipped_indicators()
    reims3 = live_demo["reims3"]
    page.goto(f"/cls/{reims3.pk}/diagnostic/")
    assert_accessible(page)
    log_in(page, "coord.reims")
    expect(page.locator("#carte-diagnostic")).to_have_attribute("data-loaded", "true")
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter un enjeu").click()
    assert_accessible(page)
    page.get_by_label("Titre *").fill("Non-recours aux soins")
    page.get_by_label("Thème *").select_option(label="Accès aux soins")
    page.get_by_label("Priorité *").select_option(label="Haute")
    page.get_by_label("Accessibilité potentielle localisée aux médecins généralistes", exact=True).check(force=True)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_url(re.compile(rf"/cls/{reims3.pk}/diagnostic/#enjeux$"))
    expect(page.get_by_test_id("enjeux")).to_contain_text("Non-recours aux soins")
    expect(page.locator("#carte-diagnostic")).to_have_attribute("data-loaded", "true")
    assert_accessible(page)
    assert Enjeu.objects.get(cls=reims3).indicateurs.get().code == "apl_mg"
