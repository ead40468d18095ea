"""White zones: communes and EPCIs no CLS covers at a date, ranked by a need score with given weights."""

import datetime
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnostics.models import Agregation, Direction, Indicateur, Niveau, Valeur
from diagnostics.queries import parse_weights, white_zones
from territories.models import Commune

pytestmark = pytest.mark.django_db
DAY = datetime.date(2023, 12, 31)
# Reims (covered by its CLS), and four communes no CLS covered at the end of 2023.
CODES = ["51454", "51003", "51004", "51005", "51008"]


def _indicator(code, direction):
    return Indicateur.objects.create(
        code=code, libelle=code, millesime=2021, agregation=Agregation.SOMME, direction=direction
    )


@pytest.fixture
def scored(demo):
    communes = {c.code: c for c in Commune.objects.filter(code__in=CODES)}
    acces = _indicator("acces", Direction.HAUSSE_FAVORABLE)
    chomage = _indicator("chomage", Direction.HAUSSE_DEFAVORABLE)
    table = {"51454": (9, 9), "51003": (1, 10), "51004": (2, 20), "51005": (3, 30), "51008": (6, 0)}
    for code, (a, c) in table.items():
        for indicator, value in ((acces, a), (chomage, c)):
            Valeur.objects.create(
                indicateur=indicator, niveau=Niveau.COMMUNE, code=code, commune=communes[code], annee=2021, valeur=value
            )
    return Commune.objects.filter(code__in=CODES)


def _z(values):
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return [(v - mean) / std for v in values]


def test_ranking_follows_the_weights(scored):
    zones = white_zones(scored, DAY, {"acces": 2, "chomage": 1})
    assert [t.code for t in zones.communes] != [] and "51454" not in [t.code for t in zones.communes]
    # By hand, over the four uncovered communes: need = −z(access) × 2 + z(unemployment) × 1.
    za, zc = _z([1, 2, 3, 6]), _z([10, 20, 30, 0])
    expected = {code: -2 * za[i] + zc[i] for i, code in enumerate(["51003", "51004", "51005", "51008"])}
    assert {t.code: t.score for t in zones.communes} == pytest.approx(expected)
    assert [t.code for t in zones.communes] == sorted(expected, key=lambda code: -expected[code])
    assert zones.communes[-1].code == "51008"  # best access, no unemployment

    only_unemployment = white_zones(scored, DAY, {"chomage": 1, "acces": 0})
    assert [t.code for t in only_unemployment.communes] == ["51005", "51004", "51003", "51008"]


def test_a_commune_covered_later_is_a_white_zone_before(scored, demo):
    before_first_cls = white_zones(scored, datetime.date(2010, 1, 1), {"acces": 1})
    assert "51454" in [t.code for t in before_first_cls.communes]


def test_weights_come_from_the_query_string():
    assert parse_weights({"poids_apl_mg": "2,5", "poids_taux_chomage": "0", "date": "2023-12-31"}) == {
        "apl_mg": 2.5,
        "taux_chomage": 0.0,
    }
    assert parse_weights({"poids_apl_mg": "beaucoup"}) == {}
    assert parse_weights({})["apl_mg"] == 2.0  # defaults, shown on the page


def test_query_count_does_not_grow_with_the_territory(indicateurs, demo, marne):
    weights = {"apl_mg": 2, "taux_chomage": 1}
    with CaptureQueriesContext(connection) as small:
        white_zones(Commune.objects.filter(code__in=CODES), DAY, weights)
    with CaptureQueriesContext(connection) as whole:
        zones = white_zones(Commune.objects.filter(departement=marne), DAY, weights)
    assert len(whole) == len(small) <= 8
    assert len(zones.communes) > 300
    assert {e.nom for e in zones.epcis} >= {"CC du Sud Marnais"}


def test_page_and_csv(client, ars_marne, indicateurs, demo):
    client.force_login(ars_marne)
    response = client.get("/departements/51/zones-blanches/?date=2023-12-31&poids_apl_mg=1&poids_taux_chomage=1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accessibilité potentielle localisée aux médecins généralistes × 1,0" in page
    csv_response = client.get("/departements/51/zones-blanches/?date=2023-12-31&poids_apl_mg=1&format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "rang;niveau;code;nom;population;score;apl_mg;contribution_apl_mg"
    assert lines[1].startswith("1;commune;")
    geojson = client.get("/departements/51/zones-blanches/carte.geojson?date=2023-12-31").json()
    assert len(geojson["features"]) == 610
    reims = next(f for f in geojson["features"] if f["properties"]["code"] == "51454")
    assert reims["geometry"] == Commune.objects.get(code="51454").contour.geojson
    assert reims["properties"]["etiquette"] == "Reims (51454) — couverte par un CLS"
    region = client.get("/regions/44/zones-blanches/?date=2023-12-31")
    assert region.status_code == 200


def _ranking(items):
    """Order, populations, scores and values, to 9 decimals: PostgreSQL and Python may add floats
    in a different order, which changes the last bits, never what anybody reads."""

    def rounded(number):
        return None if number is None else round(number, 9)

    return [
        (t.code, t.population, rounded(t.score), {c: rounded(f.value) for c, f in t.valeurs.items()}) for t in items
    ]


def test_cached_commune_and_epci_figures_give_the_same_ranking_at_any_date(indicateurs, demo, marne):
    weights = {"apl_mg": 2, "taux_chomage": 1, "taux_mortalite_brut": 1}
    communes = Commune.objects.filter(departement=marne)
    counts = []
    for day in (DAY, datetime.date(2010, 1, 1)):  # the cache holds every commune and EPCI of the Marne
        direct = white_zones(communes, day, weights)
        counts.append(len(direct.epcis))
        cached_first = white_zones(communes, day, weights, scope_key=f"departement:{marne.pk}")
        cached_again = white_zones(communes, day, weights, scope_key=f"departement:{marne.pk}")
        assert _ranking(cached_first.epcis) == _ranking(cached_again.epcis) == _ranking(direct.epcis)
        assert _ranking(cached_again.communes) == _ranking(direct.communes)
    assert counts[1] > counts[0]  # more EPCIs uncovered before the first CLS: served from the same cache entry
