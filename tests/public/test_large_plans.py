"""Public pages and open data of a large plan: paginated, streamed, in a constant number of queries."""

import html
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from public import opendata
from public import views as public_views
from public.fields import DATASETS, PublicContext
from tests.factories import ClsFactory, FicheActionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    """A CLS in force with 4 axes (a fiche in each); ``grow_to(n)`` gives it n fiches, each with two partners."""
    cls = ClsFactory(in_force=True)
    partners = OrganisationFactory.create_batch(2)
    fiches = [FicheActionFactory(axe__cls=cls) for _ in range(4)]
    axes = [fiche.axe for fiche in fiches]
    for fiche in fiches:
        fiche.partenaires.set(partners)

    def grow_to(total):
        for number in range(cls.fiches.count(), total):
            FicheActionFactory(axe=axes[number % 4]).partenaires.set(partners)

    return cls, grow_to


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        response.getvalue()  # a streamed file queries as it is read
    return len(captured)


@pytest.mark.parametrize("where", ["public CLS page", "actions.json", "actions.csv", "flyer"])
def test_public_page_and_actions_json_take_as_many_queries_for_200_fiches_as_for_20(
    client, plan, where, django_assert_max_num_queries
):
    cls, grow_to = plan
    address = {
        "public CLS page": reverse("public_cls", args=[cls.pk]),
        "actions.json": "/public/donnees/actions.json",
        "actions.csv": "/public/donnees/actions.csv",
        "flyer": reverse("public_cls_flyer", args=[cls.pk]),
    }[where]
    grow_to(20)
    with_20 = queries_of(client, address)
    grow_to(200)
    with django_assert_max_num_queries(with_20):
        response = client.get(address)
        response.getvalue()


def test_the_public_cls_page_shows_its_actions_50_at_a_time(client, plan):
    cls, grow_to = plan
    grow_to(120)
    url = reverse("public_cls", args=[cls.pk])
    first = html.unescape(client.get(url).content.decode())
    assert "Actions 1 à 50 sur 120 (page 1 sur 3)." in first
    assert first.count('class="fr-accordion__btn" aria-expanded="false" aria-controls="fiche-') == 50
    assert 'class="fr-pagination"' in first and "?page=2" in first
    last = html.unescape(client.get(url + "?page=last").content.decode())
    assert "Actions 101 à 120 sur 120 (page 3 sur 3)." in last
    assert last.count('aria-controls="fiche-') == 20
    for wrong in ("abc", "0", "99999999999999999999"):  # a bad page number shows a page, never an error
        assert client.get(url, {"page": wrong}).status_code == 200


def test_a_small_plan_has_no_pagination(client, plan):
    cls, grow_to = plan
    grow_to(4)
    page = client.get(reverse("public_cls", args=[cls.pk])).content.decode()
    assert "fr-pagination" not in page and "Actions 1 à" not in page
    assert page.count('aria-controls="fiche-') == 4


@pytest.mark.parametrize("slug", ["actions", "contrats"])
def test_streamed_open_data_files_are_the_files_written_at_once(client, plan, monkeypatch, slug):
    _cls, grow_to = plan
    grow_to(17)
    monkeypatch.setattr(public_views, "OPEN_DATA_CHUNK", 5)  # several chunks, the last one short
    context = PublicContext(today=timezone.localdate(), page_url=lambda pk: f"http://testserver/public/cls/{pk}/")
    records = opendata.dataset_rows(slug, context)
    dataset = DATASETS[slug]
    json_response = client.get(f"/public/donnees/{slug}.json")
    assert json_response.streaming
    body = json_response.getvalue()  # read once: a stream
    assert body == opendata.to_json(dataset, records)
    assert len(json.loads(body)) == len(records) > 0
    assert client.get(f"/public/donnees/{slug}.csv").getvalue() == opendata.to_csv(dataset, records)
    excel = client.get(f"/public/donnees/{slug}.csv?variante=excel").getvalue()
    assert excel == opendata.to_csv(dataset, records, excel=True)


def test_an_empty_dataset_is_an_empty_file(client, db):
    assert json.loads(client.get("/public/donnees/actions.json").getvalue()) == []
    assert client.get("/public/donnees/actions.csv").getvalue().count(b"\r\n") == 1  # the header alone
