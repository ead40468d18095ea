"""Editing an MMG's activity by period and a unit's school years in the product, not only in the admin."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from careoffer.history import dispositif_history, structure_history

pytestmark = pytest.mark.django_db


def rows_data(parent, rows, *, initial, version=None):
    """What the rows page posts: ``rows`` are dicts of field values, ``initial`` how many already existed."""
    data = {
        "lignes-TOTAL_FORMS": str(len(rows)),
        "lignes-INITIAL_FORMS": str(initial),
        "lignes-MIN_NUM_FORMS": "0",
        "lignes-MAX_NUM_FORMS": "1000",
        "version": str(parent.version if version is None else version),
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lignes-{index}-{key}"] = "" if value is None else str(value)
    return data


def activity_row(activity=None, **changes):
    row = {"debut": "", "fin": "", "consultations_par_weekend": "", "part_centre15": "", "part_urgences": ""}
    row["source"] = ""
    if activity is not None:
        row |= {
            "id": activity.pk,
            "structure": activity.structure_id,
            "debut": activity.debut.isoformat(),
            "fin": activity.fin.isoformat() if activity.fin else "",
            "consultations_par_weekend": activity.consultations_par_weekend,
            "part_centre15": activity.part_centre15,
            "part_urgences": activity.part_urgences,
            "source": activity.source,
        }
    return row | changes


def year_row(year=None, **changes):
    row = {"annee": "", "enfants_inscrits": "", "budget": "", "source": ""}
    if year is not None:
        row |= {
            "id": year.pk,
            "dispositif": year.dispositif_id,
            "annee": year.annee,
            "enfants_inscrits": year.enfants_inscrits,
            "budget": year.budget,
            "source": year.source,
        }
    return row | changes


def test_agent_adds_an_activity_period_and_a_stale_page_is_refused(client, care, ars_marne):
    client.force_login(ars_marne)
    mmg = care["mmg_chalons"]
    url = reverse("careoffer_structure_activity", args=[mmg.pk])
    detail = client.get(reverse("careoffer_structure", args=[mmg.pk])).content.decode()
    assert url in detail  # the « Saisir l'activité » button
    assert "Nouvelle ligne" in client.get(url).content.decode()
    existing = mmg.activites.get()
    stale = rows_data(mmg, [activity_row(existing, consultations_par_weekend="40")], initial=1)
    new_period = activity_row(
        debut="2024-01-01", fin="2024-06-30", consultations_par_weekend="38,5", part_centre15="70", part_urgences="25"
    )
    response = client.post(url, rows_data(mmg, [activity_row(existing, fin="2023-12-31"), new_period], initial=1))
    assert response.status_code == 302 and response.url == reverse("careoffer_structure", args=[mmg.pk])
    periods = list(mmg.activites.order_by("debut"))
    assert [(p.debut, p.fin, p.consultations_par_weekend) for p in periods] == [
        (datetime.date(2023, 9, 5), datetime.date(2023, 12, 31), Decimal("33.0")),
        (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30), Decimal("38.5")),
    ]
    assert periods[1].history.first().history_user == ars_marne
    assert any(change.what.startswith("Activité") for change in structure_history(mmg))
    detail = client.get(reverse("careoffer_structure", args=[mmg.pk])).content.decode()
    assert "du 01/01/2024 au 30/06/2024" in detail and "38,5" in detail

    html = client.post(url, stale).content.decode()
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in html
    assert (
        mmg.activites.count() == 2
        and mmg.activites.get(debut=datetime.date(2023, 9, 5)).consultations_par_weekend == 33
    )


def test_activity_errors_in_french_and_nothing_written(client, care, ars_marne):
    client.force_login(ars_marne)
    mmg = care["mmg_chalons"]
    existing = mmg.activites.get()
    html = client.post(
        reverse("careoffer_structure_activity", args=[mmg.pk]),
        rows_data(
            mmg,
            [
                activity_row(existing, part_centre15="80", part_urgences="30"),
                activity_row(debut="2023-09-05", consultations_par_weekend="10"),
            ],
            initial=1,
        ),
    ).content.decode()
    assert "Les parts orientées par le Centre 15 et par les urgences dépassent 100 %." in html
    assert "Une autre période commence à cette date." in html
    existing.refresh_from_db()
    assert existing.part_centre15 == Decimal("66.7") and mmg.activites.count() == 1


def test_agent_deletes_a_period(client, care, ars_marne):
    client.force_login(ars_marne)
    mmg = care["mmg_chalons"]
    existing = mmg.activites.get()
    response = client.post(
        reverse("careoffer_structure_activity", args=[mmg.pk]),
        rows_data(mmg, [activity_row(existing, DELETE="on")], initial=1),
    )
    assert response.status_code == 302 and not mmg.activites.exists()


def test_activity_page_only_for_mmg(client, care, ars_marne):
    client.force_login(ars_marne)
    assert client.get(reverse("careoffer_structure_activity", args=[care["msp_vitry"].pk])).status_code == 404


def test_agent_records_a_school_year(client, care, ars_marne):
    client.force_login(ars_marne)
    unit = care["ueea_chalons"]
    url = reverse("careoffer_dispositif_years", args=[unit.pk])
    assert url in client.get(reverse("careoffer_dispositif", args=[unit.pk])).content.decode()
    current = unit.annees_scolaires.get(annee=2023)
    response = client.post(
        url,
        rows_data(
            unit,
            [
                year_row(current, enfants_inscrits="6"),
                year_row(annee="2024", enfants_inscrits="9", budget="145 000", source="Rapport 2025"),
            ],
            initial=1,
        ),
    )
    assert response.status_code == 302
    assert [(y.annee, y.enfants_inscrits, y.budget) for y in unit.annees_scolaires.order_by("annee")] == [
        (2023, 6, Decimal("140000.00")),
        (2024, 9, Decimal("145000.00")),
    ]
    assert any(change.what.startswith("Année scolaire") for change in dispositif_history(unit))
    unit.refresh_from_db()
    assert unit.version == 2  # the unit's version guards its rows


def test_school_year_errors(client, care, ars_marne):
    client.force_login(ars_marne)
    unit = care["ueea_chalons"]  # 10 places
    current = unit.annees_scolaires.get(annee=2023)
    html = client.post(
        reverse("careoffer_dispositif_years", args=[unit.pk]),
        rows_data(unit, [year_row(current, enfants_inscrits="12"), year_row(annee="2023", budget="-5")], initial=1),
    ).content.decode()
    assert "Plus d&#x27;enfants que de places (10)." in html
    assert "Cette année scolaire figure déjà plus haut." in html
    assert unit.annees_scolaires.count() == 1


@pytest.mark.parametrize(("persona", "status"), [("ars_marne", 200), ("ars_ardennes", 403), ("coord_chalons", 403)])
def test_who_edits_rows(client, care, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("careoffer_dispositif_years", args=[care["uema_chalons"].pk])).status_code == status
    assert client.get(reverse("careoffer_structure_activity", args=[care["mmg_chalons"].pk])).status_code == status


def test_lecteur_sees_no_edit_buttons(client, care, lecteur):
    client.force_login(lecteur)
    html = client.get(reverse("careoffer_structure", args=[care["mmg_chalons"].pk])).content.decode()
    assert "Saisir l&#x27;activité" not in html
