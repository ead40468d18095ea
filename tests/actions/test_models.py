"""Numbering, money totals, rates and the database's own checks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions import services
from actions.models import Depense, FicheAction, Financement, Indicateur, Mesure, Stade
from contracts.models import Organisation
from tests.actions.conftest import fiche

pytestmark = pytest.mark.django_db


def test_demo_fiches_keep_the_seed_numbers(plans, demo):
    numbers = set(FicheAction.objects.filter(cls=demo["reims2"]).values_list("numero", flat=True))
    assert {"1.5", "1.7", "2.1", "2.8", "3.3", "3.5", "4.8", "4.9", "4.10", "4.16"} <= numbers
    assert plans["crise"].numero == "HA.1"  # the seed gives no number nor axis for the crisis action


def test_demo_is_idempotent(plans, demo):
    count, money = FicheAction.objects.count(), Financement.objects.count()
    from demo.actions import load_actions_demo

    load_actions_demo(demo)
    assert (FicheAction.objects.count(), Financement.objects.count()) == (count, money)


def test_new_fiche_is_numbered_after_the_last_of_its_axis(plans, demo):
    reims2 = demo["reims2"]
    axe4 = reims2.axes.get(numero=4)
    last = FicheAction.objects.filter(cls=reims2, axe=axe4).order_by("-rang").first()
    new = fiche(reims2, axe4)
    assert new.numero == f"4.{last.rang + 1}"


def test_number_is_unique_within_a_cls_only(plans, demo):
    reims2, argonne = demo["reims2"], demo["argonne"]
    with pytest.raises(ValidationError, match=r"4\.8"):
        fiche(reims2, reims2.axes.get(numero=4), rang=8)
    assert fiche(argonne, argonne.axes.get(numero=4), rang=8).numero == "4.8"


def test_axis_must_belong_to_the_cls(demo, db):
    with pytest.raises(ValidationError, match="n'appartient pas"):
        fiche(demo["reims2"], demo["argonne"].axes.get(numero=1))


def test_renumbering_an_axis_closes_the_gaps(plans, demo):
    reims2 = demo["reims2"]
    axe1 = reims2.axes.get(numero=1)
    moved = services.renumber_axe(cls=reims2, axe=axe1)
    assert moved == 2
    assert list(FicheAction.objects.filter(cls=reims2, axe=axe1).order_by("rang").values_list("numero", flat=True)) == [
        "1.1",
        "1.2",
    ]


def test_renumbered_axis_renumbers_its_fiches(plans, demo):
    reims2 = demo["reims2"]
    axe1 = reims2.axes.get(numero=1)
    axe1.numero = 9
    axe1.save()
    assert services.refresh_numeros(cls=reims2) == 2
    assert set(FicheAction.objects.filter(axe=axe1).values_list("numero", flat=True)) == {"9.5", "9.7"}


def test_moving_a_fiche_to_another_axis_gives_it_the_next_rank_there(plans, demo):
    reims2 = demo["reims2"]
    sdf = FicheAction.objects.get(cls=reims2, numero="2.8")
    sdf.axe = reims2.axes.get(numero=1)
    services.save_fiche(sdf, read_version=sdf.version)
    sdf.refresh_from_db()
    assert sdf.numero == "1.8"


def test_gem_autisme_totals_226_024_47(gem):
    """Seed 000: 41 500 € (2022) + 94 188,23 € (2023) + 90 336,24 € (2024).

    The seed announces « 226 024 € »; the three yearly amounts it lists add up to 226 024,47 €.
    """
    money = services.fiche_money(gem)
    assert money["total"] == Decimal("226024.47")
    assert {row["annee"]: Decimal(row["total"]) for row in money["par_annee"]} == {
        2022: Decimal("41500.00"),
        2023: Decimal("94188.23"),
        2024: Decimal("90336.24"),
    }
    assert Decimal(money["par_financeur"][0]["total"]).quantize(Decimal("0.01")) == Decimal("226024.47")


def test_totals_by_axis_funder_and_year_over_a_cls(gem, demo):
    reims2 = demo["reims2"]
    cpam = Organisation.objects.get(nom="CPAM de la Marne")
    vaccination = FicheAction.objects.get(cls=reims2, numero="2.1")
    Financement.objects.create(fiche=vaccination, financeur=cpam, annee=2022, montant=Decimal("0.10"))
    Financement.objects.create(fiche=vaccination, financeur=cpam, annee=2022, montant=Decimal("0.20"))
    money = services.plan_money(reims2)
    assert money["total"] == Decimal("226024.77")
    by_axis = {row["fiche__axe__numero"]: Decimal(row["total"]).quantize(Decimal("0.01")) for row in money["par_axe"]}
    assert by_axis == {2: Decimal("0.30"), 3: Decimal("226024.47")}
    by_year = {row["annee"]: Decimal(row["total"]).quantize(Decimal("0.01")) for row in money["par_annee"]}
    assert by_year[2022] == Decimal("41500.30")
    by_funder = {
        row["financeur__nom"]: Decimal(row["total"]).quantize(Decimal("0.01")) for row in money["par_financeur"]
    }
    assert by_funder["CPAM de la Marne"] == Decimal("0.30")
    annotated = FicheAction.objects.filter(cls=reims2).with_totals().get(pk=vaccination.pk)
    assert Decimal(annotated.total_finance).quantize(Decimal("0.01")) == Decimal("0.30")


def test_granted_total_leaves_requested_money_out(gem):
    Financement.objects.create(
        fiche=gem, financeur=Organisation.objects.get(nom="CAF de la Marne"), annee=2025, montant=1000
    )
    money = services.fiche_money(gem)
    assert money["total"] == Decimal("227024.47")
    assert money["total_acquis"] == Decimal("226024.47")


def test_database_refuses_negative_amounts_and_odd_years(gem):
    ars = Organisation.objects.get(nom="ARS Grand Est")
    with pytest.raises(IntegrityError), transaction.atomic():
        Financement.objects.create(fiche=gem, financeur=ars, annee=2023, montant=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Depense.objects.create(fiche=gem, annee=1899, montant=Decimal("1"))
    with pytest.raises(ValidationError):
        Financement(fiche=gem, financeur=ars, annee=2023, montant=Decimal("-1"), stade=Stade.ACQUIS).full_clean()


def test_rates_are_summed_as_numerators_over_denominators(udaf_reims, plans):
    """(9/10 and 1/90) is 10 %, not the mean of 90 % and 1.1 %."""
    other = plans["argonne:Accès personnalisé à la santé"]
    first = Indicateur.objects.create(fiche=udaf_reims, libelle="Part des personnes orientées", est_taux=True)
    second = Indicateur.objects.create(fiche=other, libelle="Part des personnes orientées", est_taux=True)
    Mesure.objects.create(indicateur=first, annee=2023, numerateur=9, denominateur=10)
    Mesure.objects.create(indicateur=second, annee=2023, numerateur=1, denominateur=90)
    assert Mesure.objects.filter(indicateur__libelle="Part des personnes orientées").rate() == Decimal("10.00")
    assert Mesure.objects.get(indicateur=first).value == Decimal("90.00")


def test_rate_measure_needs_numerator_and_denominator(udaf_reims):
    rate = Indicateur.objects.create(fiche=udaf_reims, libelle="Taux", est_taux=True)
    with pytest.raises(ValidationError) as error:
        Mesure(indicateur=rate, annee=2023, valeur=5).full_clean()
    assert set(error.value.message_dict) == {"numerateur", "denominateur"}


def test_progress_towards_the_target(indicateur):
    indicateur.valeur_initiale = Decimal("20")
    assert indicateur.progress(Decimal("60")) == 50
    assert indicateur.progress(Decimal("150")) == 100
    assert indicateur.progress(None) is None


def test_measure_for_the_same_period_replaces_the_previous_value(indicateur):
    services.record_measure(Mesure(indicateur=indicateur, annee=2024, valeur=10))
    _mesure, created = services.record_measure(Mesure(indicateur=indicateur, annee=2024, valeur=12, source="UDAF"))
    assert not created
    assert list(indicateur.mesures.values_list("valeur", "source")) == [(Decimal("12.00"), "UDAF")]


def test_late_actions(plans, demo):
    import datetime

    vaccination = FicheAction.objects.get(cls=demo["reims2"], numero="2.1")
    vaccination.fin_prevue = datetime.date(2022, 12, 31)
    vaccination.etat = "en_cours"
    vaccination.save()
    late = FicheAction.objects.late(datetime.date(2023, 1, 15))
    assert vaccination in late
    assert vaccination.is_late(datetime.date(2023, 1, 15))
    vaccination.etat = "realisee"
    vaccination.save()
    assert vaccination not in FicheAction.objects.late(datetime.date(2023, 1, 15))


def test_late_annotation_agrees_with_is_late_for_every_case(plans, demo):
    """The plan's rows read ``late`` from the database: it must say what ``FicheAction.is_late`` says."""
    import datetime

    today = datetime.date(2023, 1, 15)
    fiches = list(FicheAction.objects.filter(cls=demo["reims2"]).order_by("pk")[:4])
    cases = [  # (etat, fin_prevue, fin_reelle)
        ("en_cours", datetime.date(2022, 12, 31), None),  # ended before today: late
        ("realisee", datetime.date(2022, 12, 31), None),  # done: not late
        ("en_retard", None, None),  # flagged late
        ("", datetime.date(2022, 12, 31), datetime.date(2022, 12, 20)),  # actually ended: not late
    ]
    for fiche_, (etat, fin_prevue, fin_reelle) in zip(fiches, cases, strict=True):
        FicheAction.objects.filter(pk=fiche_.pk).update(etat=etat, fin_prevue=fin_prevue, fin_reelle=fin_reelle)
    annotated = FicheAction.objects.filter(cls=demo["reims2"]).with_late(today)
    flags = {fiche_.pk: fiche_.late for fiche_ in annotated}
    assert [flags[f.pk] for f in fiches] == [True, False, True, False]
    assert all(fiche_.late is fiche_.is_late(today) for fiche_ in annotated)


def test_totals_can_be_limited_to_the_ones_shown(gem):
    annotated = FicheAction.objects.with_totals("total_finance").get(pk=gem.pk)
    assert annotated.total_finance == Decimal("226024.47")
    assert not hasattr(annotated, "total_acquis") and not hasattr(annotated, "total_depense")
