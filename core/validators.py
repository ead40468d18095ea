"""The ranges of what a person may type, in one place: dates, amounts, indicator values, counts.

Model fields carry the validators (so ``full_clean`` and every ``ModelForm`` check them), the
database mirrors them with check constraints where it can, and forms use the same bounds before
anything reaches a model (``BoundedDateField``, ``DATE_WIDGET``, ``money_field``,
``value_field``). Pages that render dates stored before these bounds existed use
``clamp_date`` rather than crash.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.limits import DATE_MAX, DATE_MIN, MONEY_MAX, VALUE_ABS_MAX

DATE_MESSAGE = "Saisissez une date comprise entre le {min} et le {max}.".format(
    min=DATE_MIN.strftime("%d/%m/%Y"), max=DATE_MAX.strftime("%d/%m/%Y")
)
MONEY_TEXT = "9\u202f999\u202f999\u202f999,99\u00a0€"
VALUE_TEXT = "1\u202f000\u202f000\u202f000\u202f000"


# Dates ---------------------------------------------------------------------------------------------------------


def date_in_range(value: datetime.date | None) -> None:
    """Refuse a date before 1900-01-01 or after 2100-12-31 (a typo: 0001, 9999…)."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(DATE_MESSAGE, code="date_out_of_range")


DATE_VALIDATORS = [date_in_range]


def clamp_date(value: datetime.date) -> datetime.date:
    """``value`` brought within the bounds: for computing with a date stored before they existed."""
    return min(max(value, DATE_MIN), DATE_MAX)


DATE_WIDGET = forms.DateInput(
    attrs={"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}, format="%Y-%m-%d"
)


class BoundedDateField(forms.DateField):
    """A date typed in a form, refused outside 1900-01-01 … 2100-12-31 with a French message."""

    widget = DATE_WIDGET
    default_validators = [date_in_range]

    def to_python(self, value):
        try:
            return super().to_python(value)
        except (OverflowError, ValueError):  # a year beyond 9999 typed by hand
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BoundedDateModelField(models.DateField):
    """A model date a person types: validated by ``date_in_range``, and given a ``BoundedDateField`` in forms.

    Add ``dates_in_range_constraint`` to the model's ``Meta.constraints`` so that the database
    refuses the same values.
    """

    default_validators = [date_in_range]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": BoundedDateField, **kwargs})


def _all_within(fields: tuple[str, ...], low, high) -> Q:
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return condition


def dates_in_range_constraint(name: str, *fields: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=_all_within(fields, DATE_MIN, DATE_MAX), name=name, violation_error_message=DATE_MESSAGE
    )


# Amounts -------------------------------------------------------------------------------------------------------

MONEY_VALIDATORS = [
    MinValueValidator(Decimal("0"), message="Un montant ne peut pas être négatif."),
    MaxValueValidator(MONEY_MAX, message=f"Un montant ne peut pas dépasser {MONEY_TEXT}."),
]
# Field options of an amount in euros: ``models.DecimalField("montant (€)", **MONEY)``.
MONEY = {"max_digits": 12, "decimal_places": 2, "validators": MONEY_VALIDATORS}


def money_in_range_constraint(name: str, *fields: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=_all_within(fields, Decimal("0"), MONEY_MAX),
        name=name,
        violation_error_message=f"Un montant est compris entre 0 et {MONEY_TEXT}.",
    )


def money_field(**kwargs) -> forms.DecimalField:
    """A form field for an amount in euros, within 0 … 9 999 999 999,99."""
    return forms.DecimalField(min_value=Decimal("0"), max_value=MONEY_MAX, max_digits=12, decimal_places=2, **kwargs)


# Indicator values and measures ---------------------------------------------------------------------------------

VALUE_VALIDATORS = [
    MinValueValidator(-VALUE_ABS_MAX, message=f"Une valeur ne peut pas être inférieure à −{VALUE_TEXT}."),
    MaxValueValidator(VALUE_ABS_MAX, message=f"Une valeur ne peut pas dépasser {VALUE_TEXT}."),
]
# Field options of an indicator value: ``models.DecimalField("valeur", **VALUE, null=True, blank=True)``.
VALUE = {"max_digits": 14, "decimal_places": 2, "validators": VALUE_VALIDATORS}


def values_in_range_constraint(name: str, *fields: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=_all_within(fields, -VALUE_ABS_MAX, VALUE_ABS_MAX),
        name=name,
        violation_error_message=f"Une valeur est comprise entre −{VALUE_TEXT} et {VALUE_TEXT}.",
    )


def value_field(**kwargs) -> forms.DecimalField:
    """A form field for an indicator value, within ±10¹²."""
    return forms.DecimalField(
        min_value=-VALUE_ABS_MAX, max_value=VALUE_ABS_MAX, max_digits=14, decimal_places=2, **kwargs
    )


# Counts --------------------------------------------------------------------------------------------------------

COUNT_VALIDATORS = [MinValueValidator(0, message="Un nombre ne peut pas être négatif.")]


# Values stored before the bounds existed -----------------------------------------------------------------------


def clamp_stored(queryset, *, dates=(), money=(), values=()) -> int:
    """Bring the values of ``queryset`` within the bounds (data migrations run before the constraints).

    Clamping keeps the order of two dates (a start stays before its end) and the far-future or
    far-past meaning of a typo; one UPDATE per model, no history written. Returns the rows changed.
    """
    bounds = [(f, DATE_MIN, DATE_MAX) for f in dates] + [(f, Decimal("0"), MONEY_MAX) for f in money]
    bounds += [(f, -VALUE_ABS_MAX, VALUE_ABS_MAX) for f in values]
    if not bounds:
        return 0
    outside = Q()
    changes = {}
    for field, low, high in bounds:
        outside |= Q(**{f"{field}__lt": low}) | Q(**{f"{field}__gt": high})
        output = queryset.model._meta.get_field(field)
        changes[field] = models.Case(
            models.When(**{f"{field}__lt": low}, then=models.Value(low, output_field=output)),
            models.When(**{f"{field}__gt": high}, then=models.Value(high, output_field=output)),
            default=models.F(field),
        )
    return queryset.filter(outside).update(**changes)
