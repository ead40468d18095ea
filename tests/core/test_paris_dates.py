"""« Today » and every date taken from a stored timestamp are Paris dates (Europe/Paris), never UTC's
or the process's: a change made at 00:30 in Paris on 26 November is shown as made on 26 November."""

import ast
import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings

from contracts.models import Cls
from public.queries import last_update
from tests.factories import ClsFactory

PARIS_HALF_PAST_MIDNIGHT = datetime.datetime(2026, 11, 25, 23, 30, tzinfo=datetime.UTC)  # 26/11 00:30 in Paris


@pytest.fixture
def changed_after_midnight_in_paris(db):
    cls = ClsFactory(in_force=True)
    Cls.objects.filter(pk=cls.pk).update(updated_at=PARIS_HALF_PAST_MIDNIGHT)
    return cls


def test_the_public_page_dates_a_change_made_after_midnight_in_paris_on_that_day(
    client, changed_after_midnight_in_paris
):
    assert last_update(changed_after_midnight_in_paris.pk) == datetime.date(2026, 11, 26)
    html = client.get(f"/public/cls/{changed_after_midnight_in_paris.pk}/").content.decode()
    assert "26 novembre 2026" in html
    assert "25 novembre 2026" not in html


def test_open_data_dates_a_change_made_after_midnight_in_paris_on_that_day(client, changed_after_midnight_in_paris):
    records = json.loads(client.get("/public/donnees/contrats.json").getvalue())
    (record,) = [r for r in records if r["nom"] == changed_after_midnight_in_paris.nom]
    assert record["date_mise_a_jour"] == "2026-11-26"


def test_the_project_runs_on_paris_time(settings):
    assert settings.TIME_ZONE == "Europe/Paris"


def _source_files():
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        parts = path.relative_to(settings.BASE_DIR).parts
        if parts[0] in {".venv", "tests", "var", "bench"} or "migrations" in parts:
            continue
        yield path


def _reads_the_process_clock(name: str, receiver: str, has_args: bool) -> bool:
    if name == "today":
        return receiver.endswith("date")
    if name in {"now", "utcnow"}:
        return receiver.endswith("datetime") and (name == "utcnow" or not has_args)
    if name == "date":  # .date() of a stored or current timestamp gives the UTC day
        return not has_args and any(mark in receiver for mark in ("_at", "modified", "now()"))
    return False


def _process_clock_dates(tree: ast.AST) -> list[int]:
    """Lines calling date.today(), datetime.now() / utcnow() without a zone, or .date() on a stored timestamp."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and _reads_the_process_clock(node.func.attr, ast.unparse(node.func.value), bool(node.args or node.keywords))
    ]


def test_no_code_takes_today_or_a_timestamp_date_from_the_process_clock():
    found = {
        str(path.relative_to(settings.BASE_DIR)): lines
        for path in _source_files()
        if (lines := _process_clock_dates(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}, "use django.utils.timezone.localdate() (Paris date) instead"


def test_the_source_check_sees_what_it_forbids():
    code = "date.today()\ndatetime.datetime.now()\nx.updated_at.date()\ntimezone.localdate()\nday.date"
    assert _process_clock_dates(ast.parse(code)) == [1, 2, 3]
