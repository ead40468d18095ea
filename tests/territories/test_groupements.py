import pytest

from territories.models import Groupement


def test_ars_creates_a_grouping_of_epcis_and_communes(client, ars_marne):
    client.force_login(ars_marne)
    response = client.post(
        "/groupements/nouveau/",
        {"nom": "Pays test", "type": "pays", "epci_codes": "200042703, 200042620", "commune_codes": "51108"},
    )
    assert response.status_code == 302
    groupement = Groupement.objects.get(nom="Pays test")
    assert groupement.all_communes().count() == 60 + 16 + 1
    page = client.get("/groupements/").content.decode()
    assert "Pays test" in page


def test_unknown_codes_are_named(client, ars_marne):
    client.force_login(ars_marne)
    response = client.post("/groupements/nouveau/", {"nom": "X", "type": "pays", "epci_codes": "123456789"})
    assert "EPCI introuvable(s) : 123456789." in response.content.decode()
    assert not Groupement.objects.filter(nom="X").exists()


def test_empty_grouping_is_refused(client, ars_marne):
    client.force_login(ars_marne)
    response = client.post("/groupements/nouveau/", {"nom": "Vide", "type": "pays"})
    assert "au moins un EPCI ou une commune" in response.content.decode()


@pytest.mark.parametrize("persona", ["coord_reims", "lecteur"])
def test_only_ars_edits_groupings(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/groupements/nouveau/").status_code == 403
    assert client.get("/groupements/").status_code == 200
