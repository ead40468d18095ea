"""Cells of imported files: any input gives a value within range or a French ``CellError``, never a crash."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cells import CellError, parse_amount, parse_date, parse_value
from core.limits import DATE_MAX, DATE_MIN, MONEY_MAX, VALUE_ABS_MAX

ANY_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=40),
    st.from_regex(r"-?[0-9 ]{1,16}([,.][0-9]{0,4})?( ?€)?|[0-9.]{1,4}[eE][+-]?[0-9]{1,4}", fullmatch=True),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=150, deadline=None)
@given(ANY_CELL)
def test_an_amount_is_within_0_and_the_maximum_to_the_cent_or_a_french_error(value):
    try:
        amount = parse_amount(value)
    except CellError as error:
        assert str(error).endswith(".")
        return
    assert amount is None or (0 <= amount <= MONEY_MAX and amount == amount.quantize(Decimal("0.01")))


@settings(max_examples=150, deadline=None)
@given(ANY_CELL)
def test_an_indicator_value_is_within_ten_to_the_twelve_or_a_french_error(value):
    try:
        number = parse_value(value)
    except CellError:
        return
    assert number is None or abs(number) < VALUE_ABS_MAX


@settings(max_examples=100, deadline=None)
@given(ANY_CELL)
def test_a_date_is_between_1900_and_2100_or_a_french_error(value):
    try:
        day = parse_date(value)
    except CellError:
        return
    assert day is None or DATE_MIN <= day <= DATE_MAX


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12,345", "«\u202f12,345\u202f»\u202f: deux décimales au plus."),
        ("1e30", "«\u202f1e30\u202f»\u202f: 9\u202f999\u202f999\u202f999,99\u00a0€ au plus."),
        (1e308, "«\u202f1e+308\u202f»\u202f: 9\u202f999\u202f999\u202f999,99\u00a0€ au plus."),
        ("nan", "«\u202fnan\u202f» n’est pas un montant."),
        ("-0,01", "«\u202f-0,01\u202f» n’est pas un montant positif ou nul."),
    ],
)
def test_amount_errors_say_what_is_wrong_in_french(value, message):
    with pytest.raises(CellError) as error:
        parse_amount(value)
    assert str(error.value) == message


def test_a_french_amount_with_spaces_and_the_euro_sign_is_read():
    assert parse_amount("1 000,50 €") == parse_amount("1\u202f000,50\u00a0€") == Decimal("1000.50")


def test_dates_at_the_edges_of_the_range_are_accepted():
    assert parse_date("01/01/1900") == DATE_MIN and parse_date(datetime.datetime(2100, 12, 31, 23, 59)) == DATE_MAX
