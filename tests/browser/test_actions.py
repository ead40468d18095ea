"""A carrier logs in and records an indicator value of its action (see tests/browser/conftest.py)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from actions.models import Indicateur, Mesure
from demo.actions import load_actions_demo
from demo.diagnostics import load_diagnostics_demo
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_carrier_records_an_indicator_value(page, live_demo):
    fiches = load_actions_demo(live_demo)
    udaf_reims = fiches["reims2:Accès personnalisé à la santé"]
    indicateur = Indicateur.objects.create(
        fiche=udaf_reims, libelle="Personnes accompagnées dans leur démarche de santé", unite="personnes", cible=80
    )

    page.goto("/mes-actions/")
    expect(page).to_have_url(re.compile(r"/connexion/"))
    assert_accessible(page)
    log_in(page, "porteur.udaf")
    expect(page).to_have_url(re.compile(r"/mes-actions/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes actions")
    table = page.get_by_role("table", name=re.compile("Mes actions"))
    expect(table.get_by_role("row")).to_have_count(6)  # header + one UDAF fiche per CLS with axes
    assert_accessible(page)

    table.get_by_role("row").filter(has_text="CLS 2+").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/actions/{udaf_reims.pk}/$"))
    expect(page.get_by_role("link", name="Modifier la fiche")).to_have_count(0)  # a carrier does not edit the plan
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Saisir une valeur")).click()
    assert_accessible(page)
    page.get_by_role("spinbutton", name="Année").fill("2024")
    page.get_by_label("Valeur", exact=True).fill("36")
    page.get_by_label("Source").fill("Bilan d'activité UDAF 2024")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(re.compile(rf"/actions/{udaf_reims.pk}/$"))
    expect(page.get_by_text("a été enregistrée")).to_be_visible()
    expect(page.get_by_text("Progression vers la cible : 45 %")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Mesures"))).to_contain_text("Bilan d'activité UDAF 2024")
    assert_accessible(page)
    mesure = Mesure.objects.get(indicateur=indicateur)
    assert (mesure.annee, mesure.valeur) == (2024, Decimal("36.00"))
    assert mesure.history.get().history_user.username == "porteur.udaf"


def test_ars_agent_follows_the_issues_of_vitry_and_funds_its_coordination(page, live_demo):
    load_diagnostics_demo(live_demo)
    fiches = load_actions_demo(live_demo)
    vitry = live_demo["vitry"]
    cjc = fiches["vitry:cjc"]

    page.goto(f"/cls/{vitry.pk}/plan/")
    assert_accessible(page)
    log_in(page, "ars.marne")
    expect(page).to_have_url(re.compile(rf"/cls/{vitry.pk}/plan/$"))
    issues = page.get_by_test_id("plan-enjeux")
    expect(issues).to_contain_text("boissons alcoolisées chez les jeunes de 17 ans : 1 action")
    assert_accessible(page)

    page.get_by_label("Enjeu du diagnostic").select_option(label=cjc.enjeux.get().titre)
    page.get_by_role("button", name="Filtrer").click()
    table = page.get_by_role("table", name=re.compile("Fiches actions du plan"))
    expect(table.get_by_role("row")).to_have_count(2)  # header + the consultation
    assert_accessible(page)
    table.get_by_role("link", name=re.compile("jeunes consommateurs")).click()
    expect(page).to_have_url(re.compile(rf"/actions/{cjc.pk}/$"))
    expect(page.get_by_test_id("fiche-enjeux").get_by_role("link")).to_have_attribute(
        "href", f"/cls/{vitry.pk}/diagnostic/"
    )
    assert_accessible(page)

    page.goto(f"/cls/{vitry.pk}/plan/")
    page.get_by_role("spinbutton", name="Année").fill("2024")
    page.get_by_label("Montant (€)").fill("30000")
    page.get_by_label("Stade").select_option(label="Versé")
    page.get_by_role("button", name="Enregistrer le financement").click()
    expect(page.get_by_text("Financement de la coordination enregistré")).to_be_visible()
    expect(page.get_by_test_id("total-coordination")).to_have_text(re.compile(r"30\s000,00"))
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Supprimer le financement 2024")).click()
    expect(page.get_by_text("Financement de la coordination supprimé")).to_be_visible()
    expect(page.get_by_test_id("coordination")).to_contain_text("Aucun financement de la coordination inscrit.")
    assert_accessible(page)
