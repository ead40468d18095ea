"""Counts and budgets per department and school year; the region page listing its departments."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from careoffer import queries
from careoffer.models import AnneeScolaireDispositif, Dispositif, Structure, TypeDispositif, TypeStructure
from territories.models import Commune

pytestmark = pytest.mark.django_db


def cells(html, testid):
    """The texts of the cells of the row ``data-testid=testid``."""
    row = re.search(rf'<tr data-testid="{testid}">(.*?)</tr>', html, flags=re.S)[1]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


def test_school_year_totals_from_the_demo(care, marne):
    totals = {(row["annee"], row["type_court"]): row for row in queries.school_year_rows(marne)}
    uema, ueea = totals[(2023, "UEMA")], totals[(2023, "UEEA")]
    assert (uema["unites"], uema["places"], uema["enfants"], uema["budget"]) == (4, 28, 28, Decimal("1120000"))
    assert (uema["unites_declarees"].valeur, uema["enfants_declares"].valeur) == (4, 28)
    # The two UEEA's children are only known as a department figure: 13 declared, none per unit.
    assert (ueea["unites"], ueea["places"], ueea["enfants_renseignes"], ueea["budget"]) == (2, 20, 0, Decimal("280000"))
    assert (ueea["unites_declarees"].valeur, ueea["enfants_declares"].valeur) == (2, 13)


def test_department_page_shows_the_school_year_table(client, care):
    html = client.get(reverse("careoffer_departement", args=["51"])).content.decode()
    assert cells(html, "annee-2023-uema") == ["2023/2024", "UEMA", "4", "4", "28", "28", "28", "1\u00a0120\u00a0000 €"]
    assert cells(html, "annee-2023-ueea") == [
        "2023/2024",
        "UEEA",
        "2",
        "2",
        "20",
        "non renseigné",
        "13",
        "280\u00a0000 €",
    ]
    assert cells(html, "annee-2022-uema")[:3] == ["2022/2023", "UEMA", "3"]


def test_region_page_counts_by_department_and_kind(client, care, marne, django_assert_max_num_queries):
    url = reverse("careoffer_region", args=[marne.region.code])
    with django_assert_max_num_queries(7):
        html = client.get(url).content.decode()
    assert "Offre de soins — Grand Est" in html
    marne_row = cells(html, "region-51")
    # MSP: 0 recorded in operation (20 declared), 2 projects; ESP 0 (3); CPTS 0 (4), 1 project; MMG 1 (5).
    assert marne_row == ["Marne (51)", "0 (20)", "2", "0 (3)", "0", "0 (4)", "1", "1 (5)", "0", "0", "0"]
    assert cells(html, "region-total")[1:3] == ["0 (20)", "2"]
    assert "1\u00a0120\u00a0000 €" in html and "Marne (51)" in html
    # The department page links back to its region.
    assert url in client.get(reverse("careoffer_departement", args=["51"])).content.decode()


def test_region_page_queries_do_not_grow_with_data(client, care, marne, django_assert_max_num_queries):
    commune = Commune.objects.get(code="51649")
    for number in range(5):
        Structure.objects.create(
            type=TypeStructure.MSP,
            nom=f"MSP {number}",
            departement=marne,
            commune=commune,
            date_ouverture=datetime.date(2020, 1, 1),
        )
        unit = Dispositif.objects.create(
            type=TypeDispositif.UEMA, nom=f"UEMA {number}", departement=marne, commune=commune, capacite=7
        )
        AnneeScolaireDispositif.objects.create(dispositif=unit, annee=2023, enfants_inscrits=6, budget=280000)
    url = reverse("careoffer_region", args=[marne.region.code])
    with django_assert_max_num_queries(7):
        html = client.get(url).content.decode()
    assert cells(html, "region-51")[1:3] == ["5 (20)", "2"]
    assert cells(html, "region-total")[1:3] == ["5 (20)", "2"]
