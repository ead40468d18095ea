"""Who may do what on the action plans, edit conflicts, history, and the pages themselves."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ChangementEtat, FicheAction, Mesure
from actions.services import cls_section_context
from tests.actions.conftest import fiche

pytestmark = pytest.mark.django_db

PERSONAS = ["ars_marne", "ars_ardennes", "ars_other_region", "coord_reims2", "coord_chalons", "porteur_udaf", "lecteur"]
# Edit the whole fiche (content, funding, indicators) of the UDAF action of Reims CLS 2+.
CAN_EDIT = {"ars_marne", "coord_reims2"}
# Record its progress (state, notes, steps, measures, spending).
CAN_UPDATE = CAN_EDIT | {"porteur_udaf"}


@pytest.fixture
def persona(request, plans):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_everyone_logged_in_reads_plans_and_fiches(client, persona, udaf_reims, demo):
    client.force_login(persona)
    for url in (
        reverse("actions_plan", args=[demo["reims2"].pk]),
        reverse("actions_fiche", args=[udaf_reims.pk]),
        reverse("actions_departement", args=["51"]),
        reverse("actions_programme", args=[udaf_reims.programme_id]),
        reverse("actions_programmes"),
        reverse("actions_mine"),
        reverse("actions_export_xlsx", args=[demo["reims2"].pk]),
        reverse("actions_export_csv", args=[demo["reims2"].pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_the_login_page(client, udaf_reims):
    response = client.get(reverse("actions_fiche", args=[udaf_reims.pk]))
    assert response.status_code == 302 and "/connexion/" in response.url


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_permission_matrix(client, persona, udaf_reims, indicateur, request):
    name = request.node.callspec.params["persona"]
    client.force_login(persona)
    pk = udaf_reims.pk
    edit_urls = [
        reverse("actions_fiche_edit", args=[pk]),
        reverse("actions_fiche_funding", args=[pk]),
        reverse("actions_fiche_indicator", args=[pk]),
        reverse("actions_fiche_create", args=[udaf_reims.cls_id]),
        reverse("actions_import", args=[udaf_reims.cls_id]),
    ]
    update_urls = [
        reverse("actions_fiche_state", args=[pk]),
        reverse("actions_fiche_note", args=[pk]),
        reverse("actions_fiche_step", args=[pk]),
        reverse("actions_fiche_spending", args=[pk]),
        reverse("actions_indicator_measure", args=[pk, indicateur.pk]),
    ]
    for url in edit_urls:
        assert client.get(url).status_code == (200 if name in CAN_EDIT else 403), url
    for url in update_urls:
        assert client.get(url).status_code == (200 if name in CAN_UPDATE else 403), url
    page = client.get(reverse("actions_fiche", args=[pk])).content.decode()
    assert ("Modifier la fiche" in page) == (name in CAN_EDIT)
    assert ("Saisir une valeur" in page) == (name in CAN_UPDATE)


def test_carrier_does_not_update_another_carriers_action(client, porteur_udaf, gem):
    client.force_login(porteur_udaf)
    response = client.post(reverse("actions_fiche_note", args=[gem.pk]), {"date": "2024-01-10", "texte": "Essai"})
    assert response.status_code == 403
    assert "pas portée par votre structure" in response.content.decode()
    assert not gem.notes.exists()


def test_carrier_records_a_measure_and_it_shows_with_progress(client, porteur_udaf, udaf_reims, indicateur):
    client.force_login(porteur_udaf)
    url = reverse("actions_indicator_measure", args=[udaf_reims.pk, indicateur.pk])
    response = client.post(url, {"annee": 2024, "periode": "", "valeur": "40", "source": "Bilan UDAF"})
    assert response.status_code == 302
    mesure = Mesure.objects.get(indicateur=indicateur)
    assert mesure.valeur == Decimal("40.00")
    page = client.get(reverse("actions_fiche", args=[udaf_reims.pk])).content.decode()
    assert "Progression vers la cible : 40 %" in page
    record = mesure.history.first()
    assert record.history_user == porteur_udaf


def test_missing_measure_for_last_year_is_visible(client, lecteur, udaf_reims, indicateur):
    client.force_login(lecteur)
    last_year = datetime.date.today().year - 1
    page = client.get(reverse("actions_fiche", args=[udaf_reims.pk])).content.decode()
    assert f"Aucune mesure pour {last_year}" in page
    Mesure.objects.create(indicateur=indicateur, annee=last_year, valeur=3)
    page = client.get(reverse("actions_fiche", args=[udaf_reims.pk])).content.decode()
    assert f"Aucune mesure pour {last_year}" not in page


def test_carrier_changes_the_state_with_date_and_reason(client, porteur_udaf, udaf_reims):
    client.force_login(porteur_udaf)
    response = client.post(
        reverse("actions_fiche_state", args=[udaf_reims.pk]),
        {"etat": "en_pause", "date": "2024-03-01", "motif": "Départ de la référente", "version": udaf_reims.version},
    )
    assert response.status_code == 302
    change = ChangementEtat.objects.get(fiche=udaf_reims)
    assert (change.ancien_etat, change.etat, change.date, change.motif, change.auteur) == (
        "",
        "en_pause",
        datetime.date(2024, 3, 1),
        "Départ de la référente",
        porteur_udaf,
    )


def _edit_data(fiche_obj, **changes):
    data = {
        "axe": fiche_obj.axe_id,
        "rang": fiche_obj.rang,
        "titre": fiche_obj.titre,
        "porteur": fiche_obj.porteur_id or "",
        "tout_le_perimetre": "on",
        "version": fiche_obj.version,
        "publics": [p.pk for p in fiche_obj.publics.all()],
    }
    data.update(changes)
    return data


def test_second_save_of_the_same_fiche_is_refused_and_nothing_is_lost(client, coord_reims2, ars_marne, udaf_reims):
    url = reverse("actions_fiche_edit", args=[udaf_reims.pk])
    stale = _edit_data(udaf_reims, objectif_prs="Objectif du coordinateur")
    client.force_login(ars_marne)
    assert client.post(url, _edit_data(udaf_reims, description="Texte de l'ARS")).status_code == 302
    client.force_login(coord_reims2)
    response = client.post(url, stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in page
    assert "Objectif du coordinateur" in page  # the refused input is still in the form
    udaf_reims.refresh_from_db()
    assert udaf_reims.description == "Texte de l'ARS"
    assert udaf_reims.objectif_prs == ""


def test_state_change_from_a_stale_page_is_refused(client, porteur_udaf, coord_reims2, udaf_reims):
    version = udaf_reims.version
    client.force_login(coord_reims2)
    client.post(reverse("actions_fiche_edit", args=[udaf_reims.pk]), _edit_data(udaf_reims, priorite="haute"))
    client.force_login(porteur_udaf)
    response = client.post(
        reverse("actions_fiche_state", args=[udaf_reims.pk]),
        {"etat": "realisee", "date": "2024-03-01", "version": version},
    )
    assert response.status_code == 200
    udaf_reims.refresh_from_db()
    assert (udaf_reims.etat, udaf_reims.priorite) == ("", "haute")


def test_history_shows_who_when_and_old_new_values(client, coord_reims2, udaf_reims):
    client.force_login(coord_reims2)
    client.post(
        reverse("actions_fiche_edit", args=[udaf_reims.pk]), _edit_data(udaf_reims, titre="Accès à la santé (UDAF)")
    )
    page = client.get(reverse("actions_fiche", args=[udaf_reims.pk])).content.decode()
    assert "intitulé : Accès personnalisé à la santé → Accès à la santé (UDAF)" in page
    assert "coordination.reims2" in page


def test_coordinator_creates_a_fiche_numbered_in_its_axis(client, coord_reims2, demo, plans):
    reims2 = demo["reims2"]
    axe1 = reims2.axes.get(numero=1)
    client.force_login(coord_reims2)
    response = client.post(
        reverse("actions_fiche_create", args=[reims2.pk]),
        {"axe": axe1.pk, "titre": "Qualité de l'air intérieur", "tout_le_perimetre": "on", "date_ajout": "2022-04-01"},
    )
    assert response.status_code == 302
    created = FicheAction.objects.get(titre="Qualité de l'air intérieur")
    assert (created.numero, created.date_ajout) == ("1.8", datetime.date(2022, 4, 1))


def test_plan_filters(client, lecteur, demo, plans):
    client.force_login(lecteur)
    url = reverse("actions_plan", args=[demo["reims2"].pk])
    axe3 = demo["reims2"].axes.get(numero=3)
    page = client.get(url, {"axe": axe3.pk}).content.decode()
    assert "Groupe d&#x27;entraide mutuelle" in page and "Vaccinations" not in page
    ars = plans["gem"].financements.first().financeur
    page = client.get(url, {"financeur": ars.pk}).content.decode()
    assert "1 action" in page


def test_plan_page_query_count_does_not_grow_with_actions(client, lecteur, demo, plans):
    reims2 = demo["reims2"]
    client.force_login(lecteur)
    url = reverse("actions_plan", args=[reims2.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    axe = reims2.axes.get(numero=4)
    for i in range(20):
        fiche(reims2, axe, titre=f"Action supplémentaire {i}")
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert "34 actions" in response.content.decode()
    assert len(after) == len(before)


def test_department_table_query_count_is_constant(client, ars_marne, demo, plans, django_assert_max_num_queries):
    client.force_login(ars_marne)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("actions_departement", args=["51"]))
    assert f"{FicheAction.objects.count()} actions" in response.content.decode()


def test_my_actions_lists_the_carriers_actions(client, porteur_udaf, plans):
    client.force_login(porteur_udaf)
    page = client.get(reverse("actions_mine")).content.decode()
    assert "5 actions" in page  # one UDAF fiche in each Marne CLS that has axes
    assert "Vaccinations" not in page


def test_cls_section_context(gem, demo, coord_reims2):
    context = cls_section_context(demo["reims2"], coord_reims2)
    assert context["count"] == 14
    assert context["total_financement"] == Decimal("226024.47")
    assert context["can_edit"]


def test_cls_section_template_renders(gem, demo, coord_reims2):
    from django.template.loader import render_to_string

    data = cls_section_context(demo["reims2"], coord_reims2)
    html = render_to_string("actions/includes/_cls_section.html", {"data": data})
    text = " ".join(html.replace("\xa0", " ").replace("\u202f", " ").split())
    assert "14 fiches actions ; financements inscrits : 226 024,47 €." in text
    assert reverse("actions_plan", args=[demo["reims2"].pk]) in html
    assert reverse("actions_import", args=[demo["reims2"].pk]) in html


def test_calendar_view_has_a_table_alternative(client, lecteur, demo, gem):
    client.force_login(lecteur)
    page = client.get(reverse("actions_plan", args=[demo["reims2"].pk]), {"vue": "calendrier"}).content.decode()
    assert "Calendrier des actions" in page and "01/07/2023" in page


def test_cls_page_shows_the_plan_section(client, lecteur, demo, gem):
    client.force_login(lecteur)
    page = client.get(reverse("cls_detail", args=[demo["reims2"].pk])).content.decode()
    assert "Voir le plan d&#x27;action" in page or "Voir le plan d'action" in page


def test_plan_rows_show_number_carrier_state_late_and_funding(client, lecteur, demo, gem):
    gem.fin_prevue = datetime.date(2020, 12, 31)
    gem.etat = "en_cours"
    gem.save()
    client.force_login(lecteur)
    page = client.get(reverse("actions_plan", args=[demo["reims2"].pk])).content.decode()
    row = next(tr for tr in page.split("<tr>") if gem.titre.replace("'", "&#x27;") in tr)
    assert f'href="{reverse("actions_fiche", args=[gem.pk])}"' in row
    assert gem.numero in row and str(gem.porteur) in row and gem.axe.intitule in row
    assert "En cours" in row and "En retard" in row and "31/12/2020" in row
    assert "226\u202f024,47" in row


def test_programme_page_links_each_fiche_with_its_cls_state_and_funding(client, lecteur, udaf_reims):
    client.force_login(lecteur)
    page = client.get(reverse("actions_programme", args=[udaf_reims.programme_id])).content.decode()
    assert f'href="{reverse("actions_fiche", args=[udaf_reims.pk])}"' in page
    assert str(udaf_reims.cls) in page
