"""Completeness: each part, the weighting, and the department comparison (constant queries)."""

import datetime

import pytest
from django.urls import reverse

from actions.models import ChangementEtat, Depense, FicheAction, NoteSuivi
from contracts.models import Cls
from evaluation.completeness import WEIGHTS, cls_completeness, completeness_of
from steering.models import CampagneRevue, Instance, ReponseRevue, Reunion, TypeInstance

TODAY = datetime.date(2026, 6, 15)
LONG_AGO = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def followed(small):
    """``small`` seen on 15/06/2026: every fiche last saved and changed in January 2025."""
    fiches = FicheAction.objects.filter(cls=small["cls"])
    fiches.update(updated_at=LONG_AGO)
    ChangementEtat.objects.filter(fiche__in=fiches).update(date=LONG_AGO.date())
    return small


def test_weights_sum_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_state_part_counts_changes_notes_and_review_answers_of_the_last_six_months(followed):
    """Running actions: 1.1, 2.1 and HA.1 (1.2 is done). 1.1 changed state, HA.1 got a note: 2 of 3."""
    assert cls_completeness(followed["cls"], TODAY).part("etat").numerateur == 0
    ChangementEtat.objects.create(fiche=followed["f11"], etat="en_retard", date=datetime.date(2026, 6, 1))
    NoteSuivi.objects.create(fiche=followed["fha"], date=datetime.date(2026, 5, 1), texte="Point d'étape")
    NoteSuivi.objects.create(fiche=followed["f21"], date=datetime.date(2025, 11, 1), texte="Trop ancien")
    part = cls_completeness(followed["cls"], TODAY).part("etat")
    assert (part.numerateur, part.denominateur, part.pourcentage) == (2, 3, 67)
    FicheAction.objects.filter(pk=followed["f21"].pk).update(
        updated_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    assert cls_completeness(followed["cls"], TODAY).part("etat").numerateur == 2  # a save is not a state update
    campagne = CampagneRevue.objects.create(cls=followed["cls"], annee=2025, ouverte_le=datetime.date(2026, 1, 5))
    answer = ReponseRevue.objects.create(
        campagne=campagne, fiche=followed["f21"], fiche_numero="2.1", fiche_titre="t", etat="en_cours"
    )
    assert cls_completeness(followed["cls"], TODAY).part("etat").numerateur == 2  # asked, not answered yet
    ReponseRevue.objects.filter(pk=answer.pk).update(repondu_le=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    assert cls_completeness(followed["cls"], TODAY).part("etat").numerateur == 3


def test_indicator_part_needs_a_measure_for_last_year(followed):
    """1.1 and 2.1 have 2025 measures; HA.1 has no indicator. A year later, nothing is measured for 2026."""
    part = cls_completeness(followed["cls"], TODAY).part("indicateurs")
    assert (part.numerateur, part.denominateur) == (2, 3)
    assert cls_completeness(followed["cls"], datetime.date(2027, 2, 1)).part("indicateurs").numerateur == 0


def test_money_part_counts_financing_or_spending(followed):
    assert cls_completeness(followed["cls"], TODAY).part("argent").numerateur == 2
    Depense.objects.create(fiche=followed["fha"], annee=2026, montant=10)
    assert cls_completeness(followed["cls"], TODAY).part("argent").numerateur == 3


def meet(instance, *days):
    for day in days:
        Reunion.objects.create(instance_gouvernance=instance, date=day)


def test_meetings_part_is_capped_per_body_and_score_is_weighted(followed):
    """COPIL (2 a year) met 3 times: counts 2; COTECH (3 a year) met once in 12 months: (2 + 1) / 5 = 60 %.

    Score = 30 × 0/3 + 25 × 2/3 + 20 × 2/3 + 25 × 3/5 = 0 + 16.67 + 13.33 + 15 = 45.
    """
    cls = followed["cls"]
    assert cls_completeness(cls, TODAY).part("reunions").denominateur == 0  # no body: counts 0
    copil = Instance.objects.create(cls=cls, type=TypeInstance.COPIL, nom="COPIL", reunions_par_an=2)
    cotech = Instance.objects.create(cls=cls, type=TypeInstance.COTECH, nom="COTECH", reunions_par_an=3)
    meet(copil, datetime.date(2025, 9, 1), datetime.date(2026, 1, 10), datetime.date(2026, 6, 1))
    meet(cotech, datetime.date(2026, 2, 2), datetime.date(2025, 6, 1))  # the second is more than 12 months old
    result = cls_completeness(cls, TODAY)
    part = result.part("reunions")
    assert (part.numerateur, part.denominateur, part.pourcentage) == (3, 5, 60)
    assert result.score == 45


def test_a_plan_without_actions_scores_zero(demo):
    result = cls_completeness(demo["chalons2"], TODAY)
    assert result.score == 0 and all(part.denominateur == 0 for part in result.parts)


def test_constant_number_of_queries(small, demo, django_assert_num_queries):
    with django_assert_num_queries(3):
        results = completeness_of(Cls.objects.all(), TODAY)
    assert len(results) == Cls.objects.count() > 5


def test_department_page_for_the_ars_sorted_by_score(small, demo, ars_marne, client, django_assert_max_num_queries):
    client.force_login(ars_marne)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("evaluation_departement", args=["51"]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.score for row in rows] == sorted((row.score for row in rows), reverse=True)
    assert small["cls"] in [row.cls for row in rows] and len(rows) == 5
    assert "Score sur 100 = 30 × « état à jour (6 derniers mois) »" in response.content.decode()


@pytest.mark.parametrize("persona", ["ars_ardennes", "ars_other_region", "coord_reims", "lecteur"])
def test_department_page_refused_outside_the_ars_in_scope(persona, request, client):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("evaluation_departement", args=["51"])).status_code == 403


def test_cls_page_shows_the_score_and_its_parts(small, coord_small, client):
    client.force_login(coord_small)
    page = client.get(reverse("cls_detail", args=[small["cls"].pk])).content.decode()
    assert "Score de complétude" in page
    assert "Indicateurs mesurés pour l&#x27;année passée" in page
