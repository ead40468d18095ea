"""The coordinator evaluates the Châlons CLS 1; the ARS compares the follow-up of the Marne's CLS."""

import re

import pytest
from playwright.sync_api import expect

from demo.actions import load_actions_demo
from demo.diagnostics import load_diagnostics_demo
from demo.evaluation import load_evaluation_demo
from evaluation.models import EvaluationAction
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_assesses_an_action_of_the_evaluated_contract(page, live_demo):
    load_diagnostics_demo(live_demo)
    load_actions_demo(live_demo)
    load_evaluation_demo(live_demo)
    chalons1 = live_demo["chalons1"]

    page.goto(f"/cls/{chalons1.pk}/")
    assert_accessible(page)
    log_in(page, "coord.chalons")
    expect(page).to_have_url(re.compile(rf"/cls/{chalons1.pk}/$"))
    section = page.get_by_role("region", name="Complétude du suivi et évaluation")
    expect(section).to_contain_text("Score de complétude")
    assert_accessible(page)

    section.get_by_role("link", name="Voir l'évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluation du contrat")
    expect(page.get_by_text("Exemple illustratif").first).to_be_visible()
    assert_accessible(page)

    table = page.get_by_role("table", name="Évaluation de chaque action")
    table.get_by_role("row").filter(has_text="Espaces sans tabac").get_by_role(
        "link", name=re.compile("Évaluer")
    ).click()
    assert_accessible(page)
    page.get_by_label("À poursuivre dans le CLS suivant").check(force=True)  # the DSFR label covers the box
    page.get_by_label("Commentaire").fill("À étendre aux communes de l'agglomération.")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("a été enregistrée")).to_be_visible()
    row = page.get_by_role("table", name="Évaluation de chaque action").get_by_role("row").filter(has_text="Espaces")
    expect(row).to_contain_text("À étendre aux communes de l'agglomération.")
    expect(page.get_by_text("Le CLS suivant existe")).to_be_visible()
    assert_accessible(page)
    evaluation = EvaluationAction.objects.get(fiche__cls=chalons1, fiche__titre__startswith="Espaces sans tabac")
    assert evaluation.a_poursuivre
    assert evaluation.history.latest().history_user.username == "coord.chalons"


def test_ars_agent_compares_the_department_and_reads_its_todo(page, live_demo):
    load_actions_demo(live_demo)
    page.goto("/departements/51/completude/")
    assert_accessible(page)
    log_in(page, "ars.marne")
    expect(page.get_by_role("heading", level=1)).to_have_text("Complétude du suivi des CLS — Marne (51)")
    table = page.get_by_role("table", name="Complétude du suivi par CLS")
    expect(table).to_contain_text("bassin vitryat")
    assert_accessible(page)
    page.goto("/a-faire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("À faire")
    assert_accessible(page)
