import datetime

import pytest

from contracts.lifecycle import Etat, etat_at, months_between, state_filter
from contracts.models import Cls

D = datetime.date


@pytest.mark.parametrize(
    ("key", "day", "expected"),
    [
        ("reims1", D(2013, 12, 19), None),
        ("reims1", D(2014, 6, 1), Etat.EN_VIGUEUR),
        ("reims1", D(2018, 1, 1), Etat.ECHU),  # ends the day before CLS 2 starts
        ("reims2", D(2021, 6, 1), Etat.EN_VIGUEUR),  # extended by avenant to 2022
        ("reims2", D(2023, 1, 1), Etat.ECHU),
        ("reims3", D(2022, 5, 15), None),
        ("reims3", D(2023, 12, 31), Etat.ELABORATION),
        ("chalons1", D(2019, 12, 31), Etat.SIGNE),
        ("chalons1", D(2024, 12, 31), Etat.EN_VIGUEUR),
        ("chalons1", D(2025, 1, 1), Etat.ECHU),
        ("argonne", D(2022, 9, 1), Etat.INTENTION),
        ("epernay", D(2023, 12, 31), Etat.PREFIGURATION),
        ("epernay", D(2025, 2, 26), Etat.EN_VIGUEUR),
        ("sezanne", D(2023, 12, 31), Etat.NON_DATE),
    ],
)
def test_state_at_a_date_follows_the_seeds(demo, key, day, expected):
    cls = Cls.objects.get(pk=demo[key].pk)
    assert etat_at(cls, day) == expected


@pytest.mark.parametrize("day", [D(2013, 12, 31), D(2019, 12, 31), D(2022, 6, 1), D(2023, 12, 31), D(2026, 1, 1)])
def test_sql_state_filter_agrees_with_python(demo, day):
    for etat in Etat:
        in_sql = set(Cls.objects.filter(state_filter(etat, day)).values_list("pk", flat=True))
        in_python = {cls.pk for cls in Cls.objects.all() if etat_at(cls, day) == etat}
        assert in_sql == in_python, etat


def test_abandonment_wins_over_every_other_state(demo):
    cls = demo["argonne"]
    cls.date_abandon = D(2024, 1, 1)
    assert etat_at(cls, D(2024, 6, 1)) == Etat.ABANDONNE
    assert etat_at(cls, D(2023, 6, 1)) == Etat.EN_VIGUEUR


def test_months_between_counts_whole_months():
    assert months_between(D(2020, 1, 1), D(2022, 12, 31)) == 36
    assert months_between(D(2018, 1, 1), D(2022, 12, 31)) == 60
    assert months_between(D(2022, 12, 1), D(2027, 12, 31)) == 61
