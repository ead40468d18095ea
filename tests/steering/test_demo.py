"""The illustrative governance and review of the Marne demo."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Depense, Financement
from demo.steering import load_steering_demo
from steering.models import CampagneRevue, Decision, Instance, Reunion

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering_demo(demo, plans):
    load_steering_demo(demo, today=datetime.date(2026, 11, 23))
    return demo


def test_demo_content_is_illustrative_and_idempotent(steering_demo, demo):
    load_steering_demo(demo, today=datetime.date(2026, 11, 23))
    copil = Instance.objects.get(cls=demo["chalons1"])
    assert copil.illustratif and copil.organisations.count() == 11  # the contract's eleven signatories
    assert [r.date for r in copil.reunions.order_by("date")] == [datetime.date(2023, 6, 13), datetime.date(2024, 6, 18)]
    assert Reunion.objects.filter(illustratif=False).count() == 0
    assert Decision.objects.filter(reunion__instance_gouvernance=copil).count() == 2
    upcoming = Reunion.objects.get(instance_gouvernance__cls=demo["chalons2"])
    assert upcoming.date == datetime.date(2027, 1, 5)  # a Tuesday about six weeks after the load

    campagne = CampagneRevue.objects.get()
    assert (campagne.cls, campagne.annee, campagne.est_close, campagne.illustratif) == (
        demo["reims2"],
        2022,
        True,
        True,
    )
    udaf = campagne.reponses.get(fiche__programme__nom="Accès personnalisé à la santé")
    assert udaf.repondu_par.username == "porteur.udaf" and udaf.public_atteint == 48
    assert campagne.reponses.filter(repondu_le__isnull=False).count() == 4
    # closing reported the declared spending into the plan, visibly as an example
    depense = Depense.objects.get(fiche=udaf.fiche)
    assert (depense.annee, depense.montant, depense.libelle) == (
        2022,
        Decimal("12500.00"),
        "Revue annuelle 2022 (exemple illustratif)",
    )


def test_seed_facts_are_unchanged(steering_demo, demo, gem):
    chalons1 = demo["chalons1"]
    chalons1.refresh_from_db()
    assert (chalons1.date_signature, chalons1.date_debut) == (datetime.date(2019, 12, 20), datetime.date(2020, 1, 1))
    assert Financement.objects.filter(fiche=gem).total() == Decimal("226024.47")
    assert not Depense.objects.filter(fiche=gem).exists()


def test_pages_show_the_example_badge(client, steering_demo, demo, lecteur):
    client.force_login(lecteur)
    campagne = CampagneRevue.objects.get()
    for url in (
        reverse("steering_governance", args=[demo["chalons1"].pk]),
        reverse(
            "steering_meeting", args=[Reunion.objects.filter(instance_gouvernance__cls=demo["chalons1"]).first().pk]
        ),
        reverse("steering_campaign", args=[campagne.pk]),
        reverse("steering_answer", args=[campagne.reponses.first().pk]),
        reverse("steering_upcoming"),
    ):
        page = client.get(url).content.decode()
        assert "Exemple illustratif" in page, url
