"""The bounds of what a person types (``core.validators``): dates, amounts, values; checked by forms,
models and the database, with French messages."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from actions.models import Financement
from careoffer.forms import parse_subsidies
from contracts.forms import resolve_territory
from contracts.models import Cls
from core.dates import InvalidDate, parse_as_of
from core.limits import DATE_MAX, DATE_MIN, MONEY_MAX
from core.validators import (
    DATE_MESSAGE,
    BoundedDateField,
    clamp_date,
    date_in_range,
    money_field,
    value_field,
)
from steering.models import Instance, Reunion, TypeInstance
from tests.core.test_out_of_range_dates import update
from tests.factories import ClsFactory, FicheActionFactory, FinancementFactory


@pytest.mark.parametrize("day", [DATE_MIN, datetime.date(2025, 3, 1), DATE_MAX])
def test_dates_from_1900_to_2100_are_accepted(day):
    date_in_range(day)
    assert BoundedDateField().clean(day.isoformat()) == day


@pytest.mark.parametrize("text", ["0001-01-01", "31/12/9999", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_a_date_out_of_range_is_refused_in_french(text):
    with pytest.raises(ValidationError) as error:
        BoundedDateField().clean(text)
    assert error.value.messages == ["Saisissez une date comprise entre le 01/01/1900 et le 31/12/2100."]


@pytest.mark.parametrize("text", ["10000-01-01", "2024-02-30", "31/12/99999", "abc"])
def test_an_impossible_date_is_refused_as_invalid(text):
    with pytest.raises(ValidationError) as error:
        BoundedDateField().clean(text)
    assert error.value.messages == ["Saisissez une date valide."]


def test_date_inputs_tell_the_browser_the_range():
    html = BoundedDateField().widget.render("date", None)
    assert 'min="1900-01-01"' in html and 'max="2100-12-31"' in html


def test_clamp_brings_a_stored_date_within_the_bounds():
    assert clamp_date(datetime.date(9999, 12, 31)) == DATE_MAX
    assert clamp_date(datetime.date(1, 1, 1)) == DATE_MIN
    assert clamp_date(datetime.date(2025, 3, 1)) == datetime.date(2025, 3, 1)


@pytest.mark.parametrize("text", ["0", "1000.50", "9999999999.99"])
def test_amounts_up_to_ten_billion_euros_are_accepted(text):
    assert money_field().clean(text) == Decimal(text)


@pytest.mark.parametrize("text", ["-1", "10000000000", "1e30", "1e308", "NaN", "Infinity", "1.001"])
def test_an_amount_out_of_range_is_refused(text):
    with pytest.raises(ValidationError) as error:
        money_field().clean(text)
    assert all("Ensure" not in message and "Enter" not in message for message in error.value.messages)


@pytest.mark.parametrize("text", ["-999999999999.99", "0", "999999999999.99"])
def test_indicator_values_within_ten_to_the_twelfth_are_accepted(text):
    assert value_field().clean(text) == Decimal(text)


@pytest.mark.parametrize("text", ["1e12", "-1e13", "1e40", "1e308"])
def test_an_indicator_value_beyond_ten_to_the_twelfth_is_refused(text):
    with pytest.raises(ValidationError):
        value_field().clean(text)


@pytest.mark.parametrize("line", ["2023 : 1e30", "2023 : 1e308", "2023 : NaN", "2023 : Infinity", "2023 : 10000000000"])
def test_subsidies_text_with_a_huge_amount_is_an_error_not_a_crash(line):
    with pytest.raises(ValidationError) as error:
        parse_subsidies(line)
    assert error.value.messages[0].startswith("Ligne 1")


def test_subsidies_text_keeps_the_largest_amount():
    assert parse_subsidies("2023 : 9 999 999 999,99") == {2023: MONEY_MAX}


@pytest.mark.django_db
def test_a_carrier_name_of_100_kb_finds_nothing_rather_than_failing():
    assert resolve_territory("x" * 100_000) is None


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_a_report_date_out_of_range_is_refused_in_french(value):
    with pytest.raises(InvalidDate, match="hors limites"):
        parse_as_of(value)


@pytest.mark.django_db
def test_model_validation_refuses_a_date_out_of_range():
    cls = ClsFactory.build(date_fin=datetime.date(9999, 12, 31))
    with pytest.raises(ValidationError) as error:
        cls.full_clean(exclude=["porteur_commune", "departement"])
    assert error.value.message_dict["date_fin"] == [DATE_MESSAGE]


@pytest.mark.django_db
def test_the_database_refuses_a_meeting_in_year_9999():
    instance = Instance.objects.create(cls=ClsFactory(), type=TypeInstance.COPIL, nom="Comité de pilotage")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reunion.objects.create(instance_gouvernance=instance, date=datetime.date(9999, 12, 31))


@pytest.mark.django_db
def test_the_database_refuses_an_amount_beyond_ten_billion_euros():
    # SQLite checks the constraint (IntegrityError); PostgreSQL refuses the number first (DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        FinancementFactory(montant=Decimal("10000000000.00"))


@pytest.mark.django_db
def test_migration_brings_stored_values_within_the_bounds():
    cls = ClsFactory(in_force=True)
    fiche = FicheActionFactory(axe__cls=cls)
    funding = FinancementFactory(fiche=fiche)
    update(Cls, cls.pk, date_debut=datetime.date(2100, 12, 31), date_fin=datetime.date(9999, 12, 31))
    update(type(fiche), fiche.pk, debut_prevu=datetime.date(1, 1, 1), fin_prevue=datetime.date(9999, 1, 1))
    # SQLite stores any decimal; PostgreSQL's numeric(12, 2) never held more than the maximum.
    beyond = Decimal("1e20") if connection.vendor == "sqlite" else MONEY_MAX
    update(Financement, funding.pk, montant=beyond)

    for app, migration in (("contracts", "0005"), ("actions", "0007")):
        module = importlib.import_module(f"{app}.migrations.{migration}_clamp_out_of_range_values")
        module.clamp(apps, None)

    cls.refresh_from_db()
    fiche.refresh_from_db()
    funding.refresh_from_db()
    assert (cls.date_debut, cls.date_fin) == (DATE_MAX, None)  # an end on its start would break the contract
    assert (fiche.debut_prevu, fiche.fin_prevue) == (DATE_MIN, DATE_MAX)
    assert funding.montant == MONEY_MAX


@pytest.mark.django_db
def test_a_multiple_choice_beyond_the_database_integers_is_an_invalid_choice():
    from django import forms

    from contracts.models import Organisation

    field = forms.ModelMultipleChoiceField(queryset=Organisation.objects.all())
    with pytest.raises(ValidationError) as error:
        field.clean(["9223372036854775808"])
    assert error.value.code == "invalid_choice"
    assert list(Organisation.objects.filter(pk__in=[2**63, -(2**63) - 1])) == []
