"""A Marne user never reaches the Aube: predecessor, perimeter, carrier, coverage (issue 11, point 2)."""

import datetime

import pytest
from django.utils import timezone

from contracts.coverage import departement_coverage
from contracts.models import Cls, PerimetreElement
from territories.models import Commune
from tests.factories import (
    ClsFactory,
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    GroupementFactory,
    UserFactory,
)


@pytest.fixture
def aube(db):
    """The Aube, which the shipped data lacks: Troyes, its agglomeration, a Pays and a CLS in force."""
    departement = DepartementFactory(code="10", nom="Aube")
    agglo = EpciFactory(code="200069250", nom="CA Troyes Champagne Métropole")
    troyes = CommuneFactory(departement=departement, code="10387", nom="Troyes", population=62_000, epcis=[agglo])
    other = CommuneFactory(departement=departement, code="10033", nom="Bar-sur-Seine", population=3_000)
    pays = GroupementFactory(nom="Pays d’Othe aubois", communes=[other])
    cls = ClsFactory(
        nom="CLS de Troyes",
        departement=departement,
        porteur_commune=troyes,
        communes=[troyes],
        in_force=True,
    )
    PerimetreElement.objects.create(cls=cls, commune=troyes)
    return {"departement": departement, "troyes": troyes, "agglo": agglo, "pays": pays, "cls": cls}


@pytest.fixture
def reims(marne):
    return Commune.objects.get(code="51454")


@pytest.fixture
def marne_cls(marne, reims):
    cls = ClsFactory(nom="CLS de Reims", departement=marne, porteur_commune=reims, communes=[reims], in_force=True)
    PerimetreElement.objects.create(cls=cls, commune=reims)
    return cls


@pytest.fixture
def coordinator(marne_cls):
    user = UserFactory(coordinateur=True, username="coordination.reims")
    marne_cls.coordinateurs.add(user)
    return user


def aube_rate(aube):
    return departement_coverage(aube["departement"], timezone.localdate()).taux_en_vigueur


def form_data(cls: Cls, **changes) -> dict:
    data = {
        "nom": cls.nom,
        "departement": cls.departement_id,
        "generation": cls.generation,
        "porteur": cls.porteur.code,
        "version": cls.version,
        "date_engagement": cls.date_engagement.isoformat() if cls.date_engagement else "",
        "date_signature": cls.date_signature.isoformat() if cls.date_signature else "",
        "date_debut": cls.date_debut.isoformat() if cls.date_debut else "",
        "date_fin": cls.date_fin.isoformat() if cls.date_fin else "",
        "predecesseur": cls.predecesseur_id or "",
    }
    return data | changes


def test_coordinator_is_not_offered_another_departments_cls_as_predecessor(client, aube, marne_cls, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/cls/{marne_cls.pk}/modifier/").content.decode()
    assert 'name="predecesseur"' in page
    assert "CLS de Troyes" not in page


def test_coordinator_cannot_end_the_aube_cls_by_posting_it_as_predecessor(client, aube, marne_cls, coordinator):
    rate = aube_rate(aube)
    assert rate > 0
    client.force_login(coordinator)
    response = client.post(f"/cls/{marne_cls.pk}/modifier/", form_data(marne_cls, predecesseur=aube["cls"].pk))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert Cls.objects.get(pk=marne_cls.pk).predecesseur_id is None
    assert Cls.objects.get(pk=aube["cls"].pk).date_fin_effective == datetime.date(2029, 5, 31)
    assert aube_rate(aube) == rate


def test_coordinator_keeps_the_predecessor_already_recorded(client, marne, marne_cls, coordinator):
    # Coordinated by two people, one of them this coordinator: listed once, not twice.
    earlier = ClsFactory(
        nom="CLS de Reims, première génération",
        departement=marne,
        coordinateurs=[coordinator, UserFactory(coordinateur=True)],
    )
    Cls.objects.filter(pk=marne_cls.pk).update(predecesseur=earlier)
    marne_cls.refresh_from_db()
    client.force_login(coordinator)
    response = client.post(f"/cls/{marne_cls.pk}/modifier/", form_data(marne_cls, observations="Relu"))
    assert response.status_code == 302
    assert Cls.objects.get(pk=marne_cls.pk).predecesseur == earlier


def test_perimeter_search_offers_nothing_of_the_aube(client, aube, marne_cls, coordinator):
    client.force_login(coordinator)
    for text in ("Troyes", "Othe", "10387"):
        page = client.get(f"/cls/{marne_cls.pk}/perimetre/", {"q": text}).content.decode()
        assert "Aucun territoire ne correspond" in page, text
    assert "Bezannes" in client.get(f"/cls/{marne_cls.pk}/perimetre/", {"q": "Bezannes"}).content.decode()


@pytest.mark.parametrize("kind", ["commune", "epci", "groupement"])
def test_coordinator_cannot_add_an_aube_territory_to_a_marne_perimeter(client, aube, marne_cls, coordinator, kind):
    territory = {"commune": aube["troyes"], "epci": aube["agglo"], "groupement": aube["pays"]}[kind]
    rate = aube_rate(aube)
    client.force_login(coordinator)
    response = client.post(f"/cls/{marne_cls.pk}/perimetre/", {"type": kind, "id": territory.pk}, follow=True)
    assert "est hors du département du CLS" in response.content.decode()
    assert list(marne_cls.perimetre_elements.values_list("commune__code", flat=True)) == ["51454"]
    assert not marne_cls.communes.filter(departement=aube["departement"]).exists()
    assert aube_rate(aube) == rate


@pytest.mark.parametrize("porteur", ["10387", "200069250", "Pays d’Othe aubois"])
def test_coordinator_cannot_name_an_aube_carrier(client, aube, marne_cls, coordinator, porteur):
    client.force_login(coordinator)
    response = client.post(f"/cls/{marne_cls.pk}/modifier/", form_data(marne_cls, porteur=porteur))
    assert response.status_code == 200
    assert "est hors du département du CLS" in response.content.decode()
    assert Cls.objects.get(pk=marne_cls.pk).porteur_commune.code == "51454"


def test_ars_cannot_create_a_marne_cls_on_aube_territories(client, aube, ars_marne, marne):
    client.force_login(ars_marne)
    response = client.post(
        "/cls/nouveau/",
        {
            "nom": "CLS débordant",
            "departement": marne.pk,
            "generation": "1",
            "porteur": "51454",
            "perimetre": "51454, 10387",
        },
    )
    assert response.status_code == 200
    assert "est hors du département du CLS" in response.content.decode()
    assert not Cls.objects.filter(nom="CLS débordant").exists()


def test_department_ars_agent_cannot_allow_a_cross_border_cls(client, aube, marne_cls, ars_marne):
    client.force_login(ars_marne)
    response = client.post(f"/cls/{marne_cls.pk}/perimetre/hors-departement/", {"autoriser": "1"}, follow=True)
    assert "Seul un agent de l’ARS compétent sur plusieurs départements" in response.content.decode()
    assert Cls.objects.get(pk=marne_cls.pk).hors_departement_autorise_par is None


def test_region_ars_agent_allows_a_cross_border_cls_and_the_page_says_so(client, aube, marne, marne_cls, coordinator):
    agent = UserFactory(ars_region=True, region=marne.region, first_name="Alice", last_name="Régionale")
    client.force_login(agent)
    page = client.get(f"/cls/{marne_cls.pk}/perimetre/").content.decode()
    assert "Autoriser ce CLS à déborder du département" in page
    client.post(f"/cls/{marne_cls.pk}/perimetre/hors-departement/", {"autoriser": "1"})
    marne_cls.refresh_from_db()
    assert marne_cls.hors_departement_autorise_par == agent
    assert marne_cls.hors_departement_autorise_le == timezone.localdate()

    client.force_login(coordinator)
    client.post(f"/cls/{marne_cls.pk}/perimetre/", {"type": "commune", "id": aube["troyes"].pk})
    assert marne_cls.communes.filter(code="10387").exists()
    page = client.get(f"/cls/{marne_cls.pk}/").content.decode()
    assert "Ce CLS déborde du département" in page
    assert "autorisé par Alice Régionale le" in page

    # The permission cannot be withdrawn while Troyes is in the perimeter.
    client.force_login(agent)
    response = client.post(f"/cls/{marne_cls.pk}/perimetre/hors-departement/", {"autoriser": "0"}, follow=True)
    assert "Retirez d’abord du périmètre" in response.content.decode()
    assert Cls.objects.get(pk=marne_cls.pk).hors_departement_autorise_par == agent


def test_an_ordinary_cls_page_says_nothing_of_crossing_borders(client, marne_cls, coordinator):
    client.force_login(coordinator)
    assert "déborde du département" not in client.get(f"/cls/{marne_cls.pk}/").content.decode()


# --- Bad input on the perimeter and the searches: a French message, never a 500 (issue 11, point 4) -----


@pytest.mark.parametrize(
    "data, message",
    [
        ({"type": "commune", "id": "abc"}, "Choix de territoire invalide."),
        ({"type": "commune", "id": "1e30"}, "Choix de territoire invalide."),
        ({"type": "commune", "id": str(10**30)}, "Choix de territoire invalide."),
        ({"type": "commune"}, "Choix de territoire invalide."),
        ({"type": "region", "id": "1"}, "Choix de territoire invalide."),
        ({"type": "epci", "id": "999999999"}, "Ce territoire n’existe pas (ou plus)."),
    ],
)
def test_bad_perimeter_post_gives_a_french_message(client, marne_cls, coordinator, data, message):
    client.force_login(coordinator)
    response = client.post(f"/cls/{marne_cls.pk}/perimetre/", data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert marne_cls.perimetre_elements.count() == 1


HUGE = "Troyes%_" * 12_800  # 100 KB, the size that made SQLite give up (« LIKE pattern too complex »)


def test_huge_carrier_name_is_refused_in_french(client, marne_cls, coordinator):
    client.force_login(coordinator)
    response = client.post(f"/cls/{marne_cls.pk}/modifier/", form_data(marne_cls, porteur=HUGE))
    assert response.status_code == 200
    assert "au plus 200 caractères" in response.content.decode()


def test_huge_initial_perimeter_is_refused_in_french(client, ars_marne, marne):
    client.force_login(ars_marne)
    response = client.post(
        "/cls/nouveau/",
        {"nom": "CLS", "departement": marne.pk, "generation": "1", "porteur": "51454", "perimetre": HUGE},
    )
    assert response.status_code == 200
    assert "au plus 20" in response.content.decode()  # Django's French max_length message, 20 000 characters
    assert not Cls.objects.filter(nom="CLS").exists()


@pytest.mark.parametrize("url", ["/cls/?q={q}", "/cls/{pk}/perimetre/?q={q}"])
def test_huge_search_term_is_refused_in_french(client, marne_cls, coordinator, url):
    client.force_login(coordinator)
    response = client.get(url.format(q=HUGE, pk=marne_cls.pk))
    assert response.status_code == 200
    assert "au plus 100 caractères" in response.content.decode()


def test_huge_organisation_name_is_refused_in_french(client, marne_cls, coordinator):
    client.force_login(coordinator)
    response = client.post(
        f"/cls/{marne_cls.pk}/signataires/", {"organisation": "1", "org-nom": HUGE, "org-type": "association"}
    )
    assert response.status_code == 200
    assert "au plus 200 caractères" in response.content.decode()
    assert not marne_cls.signataires.exists()


def test_a_carrier_recorded_before_the_rule_does_not_block_other_changes(client, aube, marne_cls, coordinator):
    Cls.objects.filter(pk=marne_cls.pk).update(porteur_commune=aube["troyes"])
    marne_cls.refresh_from_db()
    client.force_login(coordinator)
    response = client.post(f"/cls/{marne_cls.pk}/modifier/", form_data(marne_cls, observations="Relu"))
    assert response.status_code == 302
    assert Cls.objects.get(pk=marne_cls.pk).observations == "Relu"
