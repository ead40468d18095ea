"""Inputs that gave a 500 before the bounds: now a French error on the form, and nothing written."""

import datetime

import pytest

from careoffer.models import ActiviteMmg
from contracts.models import Axe, AxeKind, Cls
from tests.test_property_inputs import build_world, valid_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def agent_client(client, world):
    client.force_login(world.agent)
    client.raise_request_exception = False
    return client


def post(client, url, world, **changes):
    payload = valid_payload(client.get(url), world) | changes
    return client.post(url, payload)


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "31/12/9999"])
def test_a_contract_dated_out_of_range_is_refused_in_french(agent_client, world, typed):
    url = f"/cls/{world.cls.pk}/modifier/"
    response = post(agent_client, url, world, date_fin=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["date_fin"] == [
        "Saisissez une date comprise entre le 01/01/1900 et le 31/12/2100."
    ]
    world.cls.refresh_from_db()
    assert world.cls.date_fin == datetime.date(2029, 5, 31)


def test_a_contract_without_carrier_is_an_error_on_the_carrier_field(agent_client, world):
    response = post(agent_client, "/cls/nouveau/", world, porteur="")
    assert response.status_code == 200
    assert "porteur" in response.context["form"].errors
    assert Cls.objects.count() == 1


def test_two_axes_with_the_same_number_are_refused_in_french(agent_client, world):
    url = f"/cls/{world.cls.pk}/axes/"
    response = post(
        agent_client, url, world, **{"axes-0-numero": "7", "axes-1-numero": "7", "axes-1-intitule": "Autre axe"}
    )
    assert response.status_code == 200
    assert "Deux axes portent le numéro 7" in str(response.context["formset"].non_form_errors())


def test_two_axes_swap_their_numbers(agent_client, world):
    other = Axe.objects.create(cls=world.cls, numero=world.fiche.axe.numero + 1, intitule="Second axe")
    first = world.fiche.axe
    response = agent_client.get(f"/cls/{world.cls.pk}/axes/")
    payload = valid_payload(response, world)
    forms = response.context["formset"].forms
    index = {form.instance.pk: i for i, form in enumerate(forms) if form.instance.pk}
    payload[f"axes-{index[first.pk]}-numero"] = str(other.numero)
    payload[f"axes-{index[other.pk]}-numero"] = str(first.numero)
    for i, form in enumerate(forms):
        if not form.instance.pk:
            payload[f"axes-{i}-intitule"] = ""
            payload[f"axes-{i}-numero"] = ""
            payload[f"axes-{i}-type"] = AxeKind.AXE
    response = agent_client.post(f"/cls/{world.cls.pk}/axes/", payload)
    assert response.status_code == 302
    first_number, other_number = first.numero, other.numero
    first.refresh_from_db()
    other.refresh_from_db()
    assert (first.numero, other.numero) == (other_number, first_number)


def test_an_activity_period_without_start_is_an_error(agent_client, world):
    url = f"/offre-de-soins/structures/{world.structure.pk}/activite/"
    response = post(agent_client, url, world, **{"lignes-0-debut": "", "lignes-0-fin": "2025-03-01"})
    assert response.status_code == 200
    assert ActiviteMmg.objects.count() == 0


@pytest.mark.parametrize("ident", ["abc", "", "1e308", "9" * 40, "x" * 100_000])
def test_a_perimeter_choice_with_a_bad_id_adds_nothing(agent_client, world, ident):
    before = world.cls.perimetre_elements.count()
    response = agent_client.post(f"/cls/{world.cls.pk}/perimetre/", {"type": "commune", "id": ident})
    assert response.status_code in (302, 404)
    assert world.cls.perimetre_elements.count() == before


def test_the_same_issue_posted_twice_is_an_error_not_a_crash(agent_client, world):
    url = f"/cls/{world.cls.pk}/diagnostic/enjeux/nouveau/"
    payload = valid_payload(agent_client.get(url), world)
    assert agent_client.post(url, payload).status_code == 302
    response = agent_client.post(url, payload)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_a_school_year_entered_twice_is_an_error_not_a_crash(agent_client, world):
    url = f"/offre-de-soins/dispositifs/{world.dispositif.pk}/annees-scolaires/"
    payload = valid_payload(agent_client.get(url), world)
    assert agent_client.post(url, payload).status_code == 302
    world.dispositif.refresh_from_db()
    payload["version"] = str(world.dispositif.version)  # the same page posted again, as if fresh
    response = agent_client.post(url, payload)
    assert response.status_code == 200
    assert world.dispositif.annees_scolaires.count() == 1


def test_an_axis_carrying_fiches_is_not_deleted(agent_client, world):
    url = f"/cls/{world.cls.pk}/axes/"
    payload = valid_payload(agent_client.get(url), world) | {"axes-0-DELETE": "on"}
    response = agent_client.post(url, payload)
    assert response.status_code == 200
    assert "porte encore des fiches actions" in str(response.context["formset"].non_form_errors())
    assert Axe.objects.filter(pk=world.fiche.axe_id).exists()


@pytest.mark.parametrize("typed", ["31/12/9999", "0000", "T1 0000", "T4 9999"])
def test_a_forecast_opening_out_of_range_is_refused_in_french(agent_client, world, typed):
    url = "/departements/10/offre-de-soins/nouvelle-structure/"
    response = post(agent_client, url, world, prevision=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["prevision"] == [
        "Saisissez une date comprise entre le 01/01/1900 et le 31/12/2100."
    ]
