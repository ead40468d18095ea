"""Two people edit the same body, member, meeting or decision: the second save never overwrites the first."""

import datetime

import pytest
from django.urls import reverse

from core.concurrency import StaleVersionError
from steering import services
from steering.models import Decision, Instance, Membre, Reunion
from tests.factories import (
    ClsFactory,
    DecisionFactory,
    InstanceFactory,
    MembreFactory,
    ReunionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STALE = "modifiée par quelqu"

# form -> (factory building the record in a CLS, edit page, a text field both people change)
FORMS = {
    "instance": (lambda cls: InstanceFactory(contrat=cls), "steering_instance_edit", "nom"),
    "membre": (lambda cls: MembreFactory(instance_gouvernance__cls=cls), "steering_member_edit", "fonction"),
    "reunion": (lambda cls: ReunionFactory(instance_gouvernance__cls=cls), "steering_meeting_edit", "lieu"),
    "decision": (
        lambda cls: DecisionFactory(reunion__instance_gouvernance__cls=cls),
        "steering_decision_edit",
        "texte",
    ),
}


def as_posted(form, **changes) -> dict:
    """What the browser sends back for the page's form, with ``changes`` typed in."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False, ""):
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif isinstance(value, datetime.date | datetime.time):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data | changes


@pytest.fixture
def two_coordinators():
    first, second = UserFactory(coordinateur=True), UserFactory(coordinateur=True)
    return ClsFactory(coordinateurs=[first, second]), first, second


@pytest.mark.parametrize("kind", FORMS)
def test_second_save_from_a_stale_page_is_refused_and_keeps_the_first(client, two_coordinators, kind):
    cls, first, second = two_coordinators
    build, url_name, field = FORMS[kind]
    record = build(cls)
    url = reverse(url_name, args=[record.pk])

    client.force_login(first)
    first_page = client.get(url).context["form"]
    client.force_login(second)
    second_page = client.get(url).context["form"]

    client.force_login(first)
    response = client.post(url, as_posted(first_page, **{field: "Saisie de la première personne"}))
    assert response.status_code == 302

    client.force_login(second)
    response = client.post(url, as_posted(second_page, **{field: "Saisie de la seconde personne"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert "Saisie de la seconde personne" in page  # the form comes back with what they typed
    record.refresh_from_db()
    assert getattr(record, field) == "Saisie de la première personne"
    assert record.version == 2


@pytest.mark.parametrize("kind", FORMS)
def test_a_post_without_the_version_does_not_overwrite(client, two_coordinators, kind):
    cls, first, _second = two_coordinators
    build, url_name, field = FORMS[kind]
    record = build(cls)
    url = reverse(url_name, args=[record.pk])
    client.force_login(first)
    data = as_posted(client.get(url).context["form"], **{field: "Sans version"})
    del data["version"]
    response = client.post(url, data)
    assert STALE in response.content.decode()
    record.refresh_from_db()
    assert getattr(record, field) != "Sans version"


def test_each_steering_edit_form_carries_the_version(client, two_coordinators):
    cls, first, _second = two_coordinators
    client.force_login(first)
    for build, url_name, _field in FORMS.values():
        record = build(cls)
        page = client.get(reverse(url_name, args=[record.pk])).content.decode()
        assert f'name="version" value="{record.version}"' in page, url_name


def test_members_are_edited_from_the_governance_page(client, two_coordinators):
    cls, first, _second = two_coordinators
    membre = MembreFactory(instance_gouvernance__cls=cls)
    client.force_login(first)
    page = client.get(reverse("steering_governance", args=[cls.pk])).content.decode()
    assert reverse("steering_member_edit", args=[membre.pk]) in page


def test_a_member_of_another_cls_cannot_be_edited(client, two_coordinators):
    _cls, first, _second = two_coordinators
    other = MembreFactory()
    client.force_login(first)
    response = client.post(
        reverse("steering_member_edit", args=[other.pk]), {"nom": "Piraté", "version": other.version}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.nom != "Piraté"


def test_models_edited_by_several_people_are_versioned():
    for model in (Instance, Membre, Reunion, Decision):
        assert model._meta.get_field("version").default == 1


def test_a_decision_deleted_while_someone_saves_it_is_not_recreated():
    decision = DecisionFactory()
    stale = Decision.objects.get(pk=decision.pk)
    decision.delete()
    stale.texte = "Modifiée après la suppression"
    with pytest.raises(StaleVersionError, match="supprimé par quelqu"):
        services.save_decision(stale, read_version=stale.version)
    assert not Decision.objects.filter(pk=stale.pk).exists()
