import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import shape

from contracts import services
from contracts.models import Cls
from diagnostics.geometry import area_km2
from public.fields import DATASETS
from territories.models import Commune, CommuneContour
from tests.public.table_schema import validate

DATASET_SLUGS = list(DATASETS)


def read_csv(content: bytes, delimiter: str = ",") -> tuple[list[str], list[dict]]:
    reader = csv.reader(io.StringIO(content.decode("utf-8")), delimiter=delimiter)
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture
def schemas(client, full_demo):
    return {slug: client.get(f"/public/donnees/{slug}.schema.json").json() for slug in DATASET_SLUGS}


@pytest.mark.parametrize("slug", DATASET_SLUGS)
def test_csv_validates_against_its_table_schema(client, schemas, slug):
    response = client.get(f"/public/donnees/{slug}.csv")
    content = response.getvalue()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not content.startswith(b"\xef\xbb\xbf"), "UTF-8 without BOM, as data.gouv.fr recommends"
    header, records = read_csv(content)
    assert records, f"{slug}: no rows in the demo"
    assert validate(schemas[slug], header, records, from_csv=True) == []


@pytest.mark.parametrize("slug", DATASET_SLUGS)
def test_json_validates_against_its_table_schema(client, schemas, slug):
    records = json.loads(client.get(f"/public/donnees/{slug}.json").getvalue())
    header = list(records[0])
    assert validate(schemas[slug], header, records, from_csv=False) == []


def test_excel_variant_has_a_bom_and_semicolons_and_the_same_rows(client, full_demo):
    plain = read_csv(client.get("/public/donnees/contrats.csv").getvalue())
    excel = client.get("/public/donnees/contrats.csv?variante=excel").getvalue()
    assert excel.startswith(b"\xef\xbb\xbf")
    assert read_csv(excel[3:], delimiter=";") == plain


def test_the_validator_catches_a_broken_file(schemas):
    header, records = ["id", "nom"], [{"id": "x", "nom": ""}]
    errors = validate(schemas["contrats"], header, records, from_csv=True)
    assert any("colonnes" in e for e in errors)
    broken = dict.fromkeys(DATASETS["contrats"].field_names, "")
    broken |= {"id": "1", "nom": "X", "generation": "deux", "departement": "51", "porteur": "Reims"}
    broken |= {"porteur_type": "ville", "nombre_communes": "un", "population": "-3", "etat_au": "23/11/2026"}
    broken |= {"page_publique": "ailleurs", "date_mise_a_jour": "2026-11-23", "communes_insee": "51454,51108"}
    errors = validate(schemas["contrats"], list(broken), [broken, broken], from_csv=True)
    for expected in (
        "generation = 'deux' : ne respecte pas le motif",
        "porteur_type = 'ville' : hors de la liste",
        "population = '-3' : inférieur à 0",
        "nombre_communes = 'un' : entier attendu",
        "etat_au = '23/11/2026'",
        "page_publique = 'ailleurs' : adresse web attendue",
        "communes_insee = '51454,51108' : ne respecte pas le motif",
        "ligne 2, id = '1' : valeur en double",
    ):
        assert any(expected in e for e in errors), (expected, errors)


def test_schemas_document_every_field_and_the_licence(schemas):
    for slug, schema in schemas.items():
        assert schema["licenses"][0]["name"] == "etalab-2.0"
        assert "Licence Ouverte" in schema["licenses"][0]["title"]
        assert schema["primaryKey"] == "id"
        assert [f["name"] for f in schema["fields"]] == list(DATASETS[slug].field_names)
        for field in schema["fields"]:
            assert field["title"] and len(field["description"]) > 10, field
            if field["type"] == "date":
                assert field["format"] == "%Y-%m-%d"
        assert schema["path"].endswith(f"/public/donnees/{slug}.csv")


def test_cls_rows_carry_perimeter_codes_dates_state_and_population(client, full_demo):
    _header, records = read_csv(client.get("/public/donnees/contrats.csv").getvalue())
    by_id = {int(r["id"]): r for r in records}
    assert len(records) == Cls.objects.count()
    epernay = by_id[full_demo["epernay"].pk]
    codes = epernay["communes_insee"].split(" ")
    assert len(codes) == int(epernay["nombre_communes"]) == 112
    assert "51230" in codes  # Épernay
    assert epernay["population"] == "81457" and epernay["population_millesime"] == "2026"
    assert epernay["date_signature"] == "2025-02-26" and epernay["departement"] == "51"
    assert epernay["porteur_type"] == "groupement" and epernay["porteur_code"] == ""
    assert epernay["etat"] == "En vigueur"
    reims2 = by_id[full_demo["reims2"].pk]
    assert reims2["generation"] == "2+" and reims2["cls_precedent_id"] == str(full_demo["reims1"].pk)
    assert reims2["date_fin_effective"] == "2022-12-31" and reims2["etat"] == "Échu"
    assert "CCAS de Reims" in reims2["signataires"].split(" ; ")
    assert reims2["page_publique"] == f"http://testserver/public/cls/{full_demo['reims2'].pk}/"


def test_perimeters_are_one_valid_polygon_per_cls_the_union_of_its_communes(client, full_demo):
    response = client.get("/public/donnees/perimetres.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    features = {f["properties"]["id"]: f for f in data["features"]}
    assert len(data["features"]) == len(features) == Cls.objects.count()
    for cls in Cls.objects.all():
        geometry = shape(features[cls.pk]["geometry"])
        assert geometry.is_valid and geometry.geom_type in {"Polygon", "MultiPolygon"}
        communes_area = sum(area_km2(c.geojson) for c in CommuneContour.objects.filter(commune__cls=cls))
        assert area_km2(features[cls.pk]["geometry"]) == pytest.approx(communes_area, rel=0.005), cls.nom
    vitry = features[full_demo["vitry"].pk]
    assert vitry["geometry"]["type"] == "Polygon"  # 100 contiguous communes, no sliver left
    assert vitry["properties"]["population"] == 39849 and vitry["properties"]["etat"] == "En vigueur"


def test_exports_and_region_page_take_a_constant_number_of_queries(client, full_demo, marne):
    urls = ["/public/donnees/contrats.csv", "/public/donnees/perimetres.geojson", "/public/donnees/actions.json"]
    urls += ["/public/regions/44/", "/public/regions/44/carte.geojson"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                assert response.status_code == 200
                response.getvalue()  # a streamed file queries as it is read
            result.append(len(queries))
        return result

    def drawn():
        features = client.get("/public/regions/44/carte.geojson").json()["features"]
        return len([f for f in features if not f["properties"].get("fond")])

    before, drawn_before = counts(), drawn()
    for code in ("51001", "51002", "51003"):
        commune = Commune.objects.get(code=code)
        cls = services.create_cls(
            Cls(
                nom=f"CLS test {code}",
                departement=marne,
                generation="1",
                porteur_commune=commune,
                date_signature=datetime.date(2024, 1, 15),
            ),
            perimeter=[commune],
        )
        cls.signataires.create(organisation=full_demo["reims2"].signataires.first().organisation)
    assert counts() == before
    assert drawn() == drawn_before + 3
