import datetime

import pytest

from contracts import services
from contracts.models import Cls, PerimetreElement
from territories.models import Commune, Epci

D = datetime.date


def test_department_page_shows_coverage_and_each_cls(client, demo):
    page = client.get("/departements/51/?date=2023-12-31").content.decode()
    assert "62,8 %" in page and "16,8 %" in page
    for name in ("Contrat local de santé du bassin vitryat", "Contrat local de santé de l'Argonne Champenoise"):
        assert name.replace("'", "&#x27;") in page
    assert "39 849" in page.replace("\u202f", " ").replace("\xa0", " ")


def test_department_page_explains_a_bad_date(client, demo):
    page = client.get("/departements/51/?date=demain").content.decode()
    assert "Date « demain » invalide" in page


def test_department_map_colours_covered_communes(client, demo):
    data = client.get("/departements/51/carte.geojson?date=2023-12-31").json()
    assert len(data["features"]) == 610
    reims = next(f for f in data["features"] if f["properties"]["code"] == "51454")
    assert reims["properties"]["couleur"]
    assert "Reims (CLS 3) (élaboration)" in reims["properties"]["etiquette"]
    uncovered = [f for f in data["features"] if not f["properties"]["couleur"]]
    assert len(uncovered) == 610 - 1 - 100 - 1 - 60 - 112


def test_department_page_query_count_does_not_grow_with_data(client, demo, marne):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/departements/51/")
    reims = Commune.objects.get(code="51454")
    for index in range(15):
        services.create_cls(
            Cls(
                nom=f"CLS supplémentaire {index}",
                generation="1",
                departement=marne,
                porteur_commune=reims,
                date_signature=D(2020, 1, 1),
            ),
            perimeter=[reims],
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/departements/51/")
    assert len(after) == len(before)


def test_cls_list_query_count_does_not_grow(client, demo, marne, lecteur):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lecteur)
    with CaptureQueriesContext(connection) as before:
        client.get("/cls/")
    epci = Epci.objects.get(code="200042703")
    for index in range(10):
        services.create_cls(
            Cls(nom=f"CLS supplémentaire {index}", generation="2", departement=marne, porteur_epci=epci),
            perimeter=[epci],
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/cls/")
    assert len(after) == len(before)


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("etat=en_vigueur", "bassin vitryat", "Sézanne"),
        ("etat=non_date", "Sézanne", "bassin vitryat"),
        ("generation=2%2B", "Reims", "bassin vitryat"),
        ("q=argonne", "Argonne", "Reims"),
    ],
)
def test_cls_list_filters(client, demo, lecteur, query, expected, absent):
    client.force_login(lecteur)
    page = client.get(f"/cls/?{query}").content.decode()
    assert expected in page
    assert absent not in page


def cls_form_data(cls, **changes):
    data = {
        "nom": cls.nom,
        "departement": cls.departement_id,
        "generation": cls.generation,
        "porteur": cls.porteur.code if cls.porteur_commune_id or cls.porteur_epci_id else cls.porteur.nom,
        "version": cls.version,
        "date_signature": cls.date_signature.isoformat() if cls.date_signature else "",
        "date_debut": cls.date_debut.isoformat() if cls.date_debut else "",
        "date_fin": cls.date_fin.isoformat() if cls.date_fin else "",
        "date_elaboration": cls.date_elaboration.isoformat() if cls.date_elaboration else "",
        "date_prefiguration": cls.date_prefiguration.isoformat() if cls.date_prefiguration else "",
        "date_engagement": cls.date_engagement.isoformat() if cls.date_engagement else "",
        "predecesseur": cls.predecesseur_id or "",
        "coordinateurs": [user.pk for user in cls.coordinateurs.all()],
    }
    return data | changes


def test_coordinator_edits_their_cls_and_history_says_who(client, demo, coord_reims):
    reims3 = Cls.objects.get(pk=demo["reims3"].pk)
    client.force_login(coord_reims)
    response = client.post(f"/cls/{reims3.pk}/modifier/", cls_form_data(reims3, date_signature="2024-03-01"))
    assert response.status_code == 302
    reims3.refresh_from_db()
    assert reims3.date_signature == D(2024, 3, 1)
    assert reims3.version == 2
    assert reims3.date_debut_effective == D(2024, 3, 1)
    last = reims3.history.first()
    assert last.history_user == coord_reims
    page = client.get(f"/cls/{reims3.pk}/").content.decode()
    assert "coordination.reims" in page and "signé le" in page


def test_stale_edit_is_refused_and_nothing_is_lost(client, demo, coord_reims, ars_marne):
    reims3 = Cls.objects.get(pk=demo["reims3"].pk)
    stale = cls_form_data(reims3, observations="Version de la coordination")
    client.force_login(ars_marne)
    assert (
        client.post(f"/cls/{reims3.pk}/modifier/", cls_form_data(reims3, observations="Version ARS")).status_code == 302
    )
    client.force_login(coord_reims)
    response = client.post(f"/cls/{reims3.pk}/modifier/", stale)
    assert response.status_code == 200
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    assert Cls.objects.get(pk=reims3.pk).observations == "Version ARS"


def test_form_errors_are_in_french_next_to_the_field(client, demo, ars_marne):
    cls = demo["chalons1"]
    client.force_login(ars_marne)
    response = client.post(
        f"/cls/{cls.pk}/modifier/", cls_form_data(cls, porteur="99999", date_fin="2019-01-01", generation="deux")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aucune commune, aucun EPCI ni aucun groupement ne correspond à « 99999 »" in page
    assert "La génération s&#x27;écrit avec un nombre" in page


def test_ars_creates_a_cls_with_its_perimeter(client, demo, ars_marne):
    client.force_login(ars_marne)
    response = client.post(
        "/cls/nouveau/",
        {
            "nom": "CLS de Sainte-Menehould",
            "departement": ars_marne.departement_id,
            "generation": "1",
            "porteur": "200042703",
            "perimetre": "200042703, 51108",
            "date_engagement": "2025-01-15",
        },
    )
    assert response.status_code == 302
    cls = Cls.objects.get(nom="CLS de Sainte-Menehould")
    assert cls.communes.count() == 61
    assert cls.porteur_epci.code == "200042703"


def test_create_refuses_unknown_perimeter_codes(client, demo, ars_marne):
    client.force_login(ars_marne)
    response = client.post(
        "/cls/nouveau/",
        {
            "nom": "X",
            "departement": ars_marne.departement_id,
            "generation": "1",
            "porteur": "51108",
            "perimetre": "51108, 00000",
        },
    )
    assert "Territoire(s) introuvable(s) : 00000" in response.content.decode()
    assert not Cls.objects.filter(nom="X").exists()


def test_perimeter_search_add_and_remove(client, demo, coord_reims):
    reims3 = demo["reims3"]
    client.force_login(coord_reims)
    page = client.get(f"/cls/{reims3.pk}/perimetre/?q=Bezannes").content.decode()
    assert "Bezannes" in page
    bezannes = Commune.objects.get(nom="Bezannes")
    client.post(f"/cls/{reims3.pk}/perimetre/", {"type": "commune", "id": bezannes.pk})
    assert reims3.communes.filter(pk=bezannes.pk).exists()
    element = PerimetreElement.objects.get(cls=reims3, commune=bezannes)
    client.post(f"/cls/{reims3.pk}/perimetre/{element.pk}/retirer/")
    assert not reims3.communes.filter(pk=bezannes.pk).exists()


def test_avenant_form_extends_the_contract(client, demo, ars_marne):
    argonne = demo["argonne"]
    client.force_login(ars_marne)
    response = client.post(
        f"/cls/{argonne.pk}/avenants/nouveau/",
        {"objet": "Prolongation d'un an", "date_signature": "2027-06-01", "nouvelle_date_fin": "2028-12-31"},
    )
    assert response.status_code == 302
    argonne.refresh_from_db()
    assert argonne.date_fin_effective == D(2028, 12, 31)


def test_axes_formset_adds_an_axis(client, demo, coord_reims):
    reims3 = demo["reims3"]
    client.force_login(coord_reims)
    data = {
        "axes-TOTAL_FORMS": "2",
        "axes-INITIAL_FORMS": "0",
        "axes-MIN_NUM_FORMS": "0",
        "axes-MAX_NUM_FORMS": "1000",
        "axes-0-type": "axe",
        "axes-0-numero": "1",
        "axes-0-intitule": "Santé mentale",
        "axes-1-type": "axe",
        "axes-1-numero": "",
        "axes-1-intitule": "",
    }
    assert client.post(f"/cls/{reims3.pk}/axes/", data).status_code == 302
    assert [str(a) for a in reims3.axes.all()] == ["Axe 1 : Santé mentale"]


def test_cls_list_is_paginated(client, demo, marne, lecteur):
    reims = Commune.objects.get(code="51454")
    for index in range(45):
        services.create_cls(
            Cls(nom=f"CLS paginé {index:02d}", generation="1", departement=marne, porteur_commune=reims),
            perimeter=[reims],
        )
    client.force_login(lecteur)
    first = client.get("/cls/").content.decode()
    assert "55 contrats" in first and "page 1 sur 2" in first
    second = client.get("/cls/?page=2").content.decode()
    assert second.count('href="/cls/') - second.count('href="/cls/nouveau') < first.count('href="/cls/')


def test_region_page_lists_each_department_with_its_rate(client, demo):
    page = client.get("/regions/44/?date=2023-12-31").content.decode()
    assert "Marne (51)" in page
    assert "16,8 %" in page and "62,8 %" in page


def test_coordinator_cannot_change_who_coordinates_nor_the_department(client, demo, coord_reims, ars_ardennes):
    reims3 = Cls.objects.get(pk=demo["reims3"].pk)
    coordinators = set(reims3.coordinateurs.all())
    assert coord_reims in coordinators
    client.force_login(coord_reims)
    data = cls_form_data(reims3, departement=ars_ardennes.departement_id, coordinateurs=[])
    assert client.post(f"/cls/{reims3.pk}/modifier/", data).status_code == 302
    reims3.refresh_from_db()
    assert reims3.departement.code == "51"
    assert set(reims3.coordinateurs.all()) == coordinators


def test_signatories_are_added_and_removed(client, demo, ars_marne):
    from contracts.models import Organisation

    vitry = demo["vitry"]
    client.force_login(ars_marne)
    ars = Organisation.objects.get(nom="ARS Grand Est")
    client.post(f"/cls/{vitry.pk}/signataires/", {"signataire": "1", "organisation": ars.pk})
    client.post(f"/cls/{vitry.pk}/signataires/", {"organisation": "1", "org-nom": "CC Test", "org-type": "epci"})
    assert set(vitry.signataires.values_list("organisation__nom", flat=True)) == {"ARS Grand Est", "CC Test"}
    signataire = vitry.signataires.get(organisation=ars)
    client.post(f"/cls/{vitry.pk}/signataires/{signataire.pk}/retirer/", {"version": signataire.version})
    assert list(vitry.signataires.values_list("organisation__nom", flat=True)) == ["CC Test"]
