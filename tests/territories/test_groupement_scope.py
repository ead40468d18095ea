"""Groupings have a scope: the departments of their communes (issue 11, points 2 and 6)."""

import pytest

from contracts.models import PerimetreElement
from territories.models import Commune, Epci, Groupement
from tests.factories import ClsFactory, CommuneFactory, DepartementFactory, EpciFactory, GroupementFactory, UserFactory


@pytest.fixture
def aube(db):
    departement = DepartementFactory(code="10", nom="Aube")
    agglo = EpciFactory(code="200069250", nom="CA Troyes Champagne Métropole")
    troyes = CommuneFactory(departement=departement, code="10387", nom="Troyes", epcis=[agglo])
    pays = GroupementFactory(nom="Pays d’Othe aubois", epcis=[agglo])
    return {"departement": departement, "agglo": agglo, "troyes": troyes, "pays": pays}


@pytest.fixture
def marne_groupement(marne):
    return GroupementFactory(nom="Pays rémois", communes=list(Commune.objects.filter(code__in=["51454", "51058"])))


def post_data(groupement: Groupement, **changes) -> dict:
    data = {
        "nom": groupement.nom,
        "type": groupement.type,
        "epci_codes": ", ".join(groupement.epcis.values_list("code", flat=True)),
        "commune_codes": ", ".join(groupement.communes.values_list("code", flat=True)),
        "version": groupement.version,
    }
    return data | changes


def test_marne_agent_cannot_open_nor_post_an_aube_grouping(client, aube, ars_marne):
    pays = aube["pays"]
    client.force_login(ars_marne)
    assert client.get(f"/groupements/{pays.pk}/modifier/").status_code == 404
    response = client.post(f"/groupements/{pays.pk}/modifier/", post_data(pays, nom="Pays pris par la Marne"))
    assert response.status_code == 404
    assert Groupement.objects.get(pk=pays.pk).nom == "Pays d’Othe aubois"


def test_marne_agent_sees_the_aube_grouping_without_an_edit_link(client, aube, ars_marne, marne_groupement):
    client.force_login(ars_marne)
    page = client.get("/groupements/").content.decode()
    assert "Pays d’Othe aubois" in page
    assert f"/groupements/{aube['pays'].pk}/modifier/" not in page
    assert f"/groupements/{marne_groupement.pk}/modifier/" in page


@pytest.mark.parametrize(
    "field, code", [("epci_codes", "200069250"), ("commune_codes", "10387")], ids=["epci", "commune"]
)
def test_marne_agent_cannot_put_aube_territories_in_a_grouping(client, aube, ars_marne, marne_groupement, field, code):
    client.force_login(ars_marne)
    response = client.post(
        f"/groupements/{marne_groupement.pk}/modifier/", post_data(marne_groupement, **{field: code})
    )
    assert response.status_code == 200
    assert f"hors de votre périmètre d’action (autre département) : {code}" in response.content.decode()
    assert not marne_groupement.all_communes().filter(departement=aube["departement"]).exists()


def test_an_epci_straddling_the_border_is_not_a_marne_agents_to_group(client, aube, ars_marne, marne):
    straddling = EpciFactory(nom="CC à cheval")
    Commune.objects.get(code="51058").epcis.add(straddling)
    aube["troyes"].epcis.add(straddling)
    client.force_login(ars_marne)
    response = client.post("/groupements/nouveau/", {"nom": "À cheval", "type": "pays", "epci_codes": straddling.code})
    assert "hors de votre périmètre" in response.content.decode()
    assert not Groupement.objects.filter(nom="À cheval").exists()


def test_region_agent_edits_a_grouping_of_either_department(client, aube, marne):
    agent = UserFactory(ars_region=True, region=marne.region)
    client.force_login(agent)
    pays = aube["pays"]
    response = client.post(f"/groupements/{pays.pk}/modifier/", post_data(pays, nom="Pays d’Othe"))
    assert response.status_code == 302
    assert Groupement.objects.get(pk=pays.pk).nom == "Pays d’Othe"


def test_editing_a_grouping_recomputes_the_perimeter_of_the_cls_built_on_it(client, ars_marne, marne, marne_groupement):
    cls = ClsFactory(departement=marne, porteur_groupement=marne_groupement, porteur_commune=None)
    PerimetreElement.objects.create(cls=cls, groupement=marne_groupement)
    cls.communes.set(marne_groupement.all_communes())
    assert set(cls.communes.values_list("code", flat=True)) == {"51454", "51058"}
    client.force_login(ars_marne)
    response = client.post(
        f"/groupements/{marne_groupement.pk}/modifier/",
        post_data(marne_groupement, commune_codes="51454, 51230", epci_codes="200067684"),
    )
    assert response.status_code == 302
    codes = set(cls.communes.values_list("code", flat=True))
    assert "51058" not in codes
    assert codes == {"51454"} | set(Epci.objects.get(code="200067684").communes.values_list("code", flat=True))


def test_stale_grouping_edit_is_refused_and_nothing_is_lost(client, ars_marne, marne_groupement):
    stale = post_data(marne_groupement, nom="Pays rémois (version périmée)")
    client.force_login(ars_marne)
    fresh = post_data(marne_groupement, nom="Pays de Reims")
    assert client.post(f"/groupements/{marne_groupement.pk}/modifier/", fresh).status_code == 302
    response = client.post(f"/groupements/{marne_groupement.pk}/modifier/", stale)
    assert response.status_code == 200
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    groupement = Groupement.objects.get(pk=marne_groupement.pk)
    assert groupement.nom == "Pays de Reims"
    assert groupement.version == 2


def test_a_grouping_used_by_a_marne_cls_cannot_spill_into_the_aube(client, aube, marne, marne_groupement):
    cls = ClsFactory(departement=marne)
    PerimetreElement.objects.create(cls=cls, groupement=marne_groupement)
    cls.communes.set(marne_groupement.all_communes())
    agent = UserFactory(ars_region=True, region=marne.region)
    client.force_login(agent)
    response = client.post(
        f"/groupements/{marne_groupement.pk}/modifier/", post_data(marne_groupement, commune_codes="51454, 10387")
    )
    assert response.status_code == 200
    assert "il ne peut pas prendre de communes hors du département" in response.content.decode()
    assert not marne_groupement.communes.filter(code="10387").exists()
    assert not cls.communes.filter(code="10387").exists()
