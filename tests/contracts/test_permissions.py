"""Who may change which CLS: one persona per role, on every editing screen."""

import pytest

from contracts.models import Cls

EDIT_URLS = [
    "/cls/{pk}/modifier/",
    "/cls/{pk}/perimetre/",
    "/cls/{pk}/signataires/",
    "/cls/{pk}/axes/",
    "/cls/{pk}/avenants/nouveau/",
]


@pytest.mark.parametrize("url", EDIT_URLS)
@pytest.mark.parametrize(
    ("persona", "cls_key", "status"),
    [
        ("ars_marne", "chalons1", 200),
        ("ars_ardennes", "chalons1", 403),
        ("ars_other_region", "chalons1", 403),
        ("coord_reims", "reims3", 200),
        ("coord_reims", "chalons1", 403),
        ("coord_chalons", "reims3", 403),
        ("lecteur", "reims3", 403),
    ],
)
def test_edit_screens_by_persona(client, demo, request, url, persona, cls_key, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url.format(pk=demo[cls_key].pk))
    assert response.status_code == status
    if status == 403:
        assert "Accès refusé" in response.content.decode()


def test_refused_post_changes_nothing(client, demo, coord_reims):
    chalons = demo["chalons1"]
    client.force_login(coord_reims)
    response = client.post(f"/cls/{chalons.pk}/modifier/", {"nom": "Piraté", "porteur": "51108"})
    assert response.status_code == 403
    assert Cls.objects.get(pk=chalons.pk).nom == "Contrat local de santé de Châlons-en-Champagne"


@pytest.mark.parametrize("url", ["/cls/", "/cls/{pk}/", *EDIT_URLS])
def test_anonymous_is_sent_to_login(client, demo, url):
    response = client.get(url.format(pk=demo["reims3"].pk))
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


@pytest.mark.parametrize("url", ["/", "/regions/44/", "/departements/51/", "/departements/51/carte.geojson"])
def test_coverage_pages_are_public(client, demo, url):
    assert client.get(url, follow=True).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("ars_marne", 200), ("coord_reims", 403), ("lecteur", 403)])
def test_only_ars_creates_a_cls(client, demo, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/cls/nouveau/").status_code == status


def test_ars_sees_edit_buttons_only_where_allowed(client, demo, ars_ardennes):
    client.force_login(ars_ardennes)
    page = client.get(f"/cls/{demo['reims3'].pk}/").content.decode()
    assert "Modifier le contrat" not in page
