import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import shape

from contracts import services
from contracts.models import PerimetreContour
from contracts.perimeter_shape import communes_key, perimeter_geojson
from diagnostics.geometry import area_km2
from territories.importer import import_territories
from territories.models import Commune, CommuneContour
from tests.factories import ClsFactory


@pytest.fixture
def marne_cls(marne):
    """A Marne CLS whose perimeter is two communes with a contour, added through the services."""
    first, second = Commune.objects.filter(departement=marne, contour__isnull=False).order_by("code")[:2]
    cls = ClsFactory(departement=marne, porteur_commune=first, in_force=True)
    services.add_to_perimeter(cls, commune=first)
    services.add_to_perimeter(cls, commune=second)
    return cls


def _contour_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if CommuneContour._meta.db_table in q["sql"]]


def _area_of_communes(cls) -> float:
    return sum(area_km2(c.geojson) for c in CommuneContour.objects.filter(commune__cls=cls))


def test_perimeter_change_through_services_stores_the_new_shape_at_once(marne, marne_cls):
    stored = PerimetreContour.objects.get(cls=marne_cls)
    assert stored.communes_key == communes_key(marne_cls.communes.values_list("pk", flat=True))
    assert area_km2(stored.geojson) == pytest.approx(_area_of_communes(marne_cls), rel=0.005)
    third = Commune.objects.filter(departement=marne, contour__isnull=False).exclude(cls=marne_cls).first()
    services.add_to_perimeter(marne_cls, commune=third)
    stored.refresh_from_db()
    assert marne_cls.communes.count() == 3
    assert stored.communes_key == communes_key(marne_cls.communes.values_list("pk", flat=True))
    assert area_km2(stored.geojson) == pytest.approx(_area_of_communes(marne_cls), rel=0.005)


@pytest.mark.parametrize("page", ["perimeter file", "region map"])
def test_public_maps_serve_the_stored_shape_without_recomputing_unions(client, marne, marne_cls, page):
    url = {
        "perimeter file": "/public/donnees/perimetres.geojson",
        "region map": f"/public/regions/{marne.region.code}/carte.geojson",
    }[page]
    stored = PerimetreContour.objects.get(cls=marne_cls)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    geometries = [f["geometry"] for f in json.loads(response.content)["features"] if not f["properties"].get("fond")]
    assert [shape(g).equals(shape(stored.geojson)) for g in geometries] == [True]
    assert _contour_queries(queries) == []  # no commune contour read: no union computed
    assert PerimetreContour.objects.get(cls=marne_cls).geojson == stored.geojson


def test_missing_shape_is_computed_on_first_public_read_then_reused(client, marne_cls):
    PerimetreContour.objects.all().delete()
    client.get("/public/donnees/perimetres.geojson")
    stored = PerimetreContour.objects.get(cls=marne_cls)
    assert area_km2(stored.geojson) == pytest.approx(_area_of_communes(marne_cls), rel=0.005)
    with CaptureQueriesContext(connection) as queries:
        client.get("/public/donnees/perimetres.geojson")
    assert _contour_queries(queries) == []


def test_communes_changed_outside_services_give_the_new_shape_on_next_read(marne, marne_cls):
    before = area_km2(perimeter_geojson([marne_cls.pk])[marne_cls.pk])
    others = Commune.objects.filter(departement=marne, contour__isnull=False).exclude(cls=marne_cls)[:3]
    marne_cls.communes.set([*marne_cls.communes.all(), *others])
    geometry = perimeter_geojson([marne_cls.pk])[marne_cls.pk]
    assert area_km2(geometry) > before
    assert area_km2(geometry) == pytest.approx(_area_of_communes(marne_cls), rel=0.005)
    assert shape(geometry).is_valid
    stored = PerimetreContour.objects.get(cls=marne_cls)
    assert stored.communes_key == communes_key(marne_cls.communes.values_list("pk", flat=True))


def test_new_commune_contours_from_the_importer_make_the_stored_shape_drawn_again(marne_cls):
    commune = marne_cls.communes.order_by("code").first()
    real = commune.contour.geojson
    CommuneContour.objects.filter(pk=commune.pk).update(geojson={"type": "Polygon", "coordinates": [[[4, 49]] * 4]})
    assert PerimetreContour.objects.filter(cls=marne_cls).exists()  # stored when the perimeter was made

    import_territories(settings.SHIPPED_TERRITORIES_DIR, departements={"51"})  # puts the real contour back

    assert CommuneContour.objects.get(pk=commune.pk).geojson == real
    assert not PerimetreContour.objects.filter(cls=marne_cls).exists()  # drawn again on the next read
