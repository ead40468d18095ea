import json
import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from territories.importer import TerritoryFileError, import_territories
from territories.models import Commune, Epci, EpciType

SHIPPED = settings.SHIPPED_TERRITORIES_DIR


@pytest.fixture
def source_copy(tmp_path):
    """A writable copy of the shipped files, restricted to what the Marne needs."""
    target = tmp_path / "source"
    shutil.copytree(SHIPPED / "cog", target / "cog")
    (target / "geo").mkdir()
    shutil.copy(SHIPPED / "geo" / "communes-51-marne.geojson", target / "geo")
    return target


def rewrite(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_marne_is_imported_with_official_codes_and_populations(db):
    marne = Commune.objects.filter(departement__code="51")
    assert marne.count() == 610
    assert marne.total_population() == 563_076
    reims = Commune.objects.get(code="51454")
    assert (reims.nom, reims.population, reims.population_millesime) == ("Reims", 177_674, 2026)
    assert Epci.objects.get(code="200066876").type == EpciType.CA
    assert Epci.objects.get(code="200042703").communes.count() == 60
    assert not marne.filter(contour__isnull=True).exists()


def test_second_run_changes_nothing_and_says_so(db):
    report = import_territories(SHIPPED, departements={"51"})
    assert not report.changed
    assert report.counts["communes"].unchanged == 610
    assert report.lines()[-1] == "Aucun changement."


def test_population_change_is_applied(db, source_copy):
    def bump(rows):
        next(r for r in rows if r["code"] == "51108")["population"] = 43_000

    rewrite(source_copy / "cog" / "communes.json", bump)
    report = import_territories(source_copy, departements={"51"})
    assert report.counts["communes"].updated == 1
    assert Commune.objects.get(code="51108").population == 43_000


def test_merged_communes_contours_join_their_current_commune(db):
    report = import_territories(SHIPPED, departements={"51"})
    assert report.merged_contours > 0
    features = json.loads((SHIPPED / "geo" / "communes-51-marne.geojson").read_text())["features"]
    old_shapes = {f["properties"]["code"]: shape(f["geometry"]) for f in features}
    # The 2018 contours of 51063 and 51637 are now parts of the commune 51457.
    merged = shape(Commune.objects.get(code="51457").contour.geojson)
    expected = old_shapes["51457"].union(old_shapes["51063"]).union(old_shapes["51637"])
    assert merged.area == pytest.approx(expected.area, rel=0.01)
    assert merged.area > old_shapes["51457"].area * 1.1
    assert not Commune.objects.filter(code__in=["51063", "51637"]).exists()


def test_contour_without_commune_is_reported(db, source_copy):
    def add_unknown(collection):
        feature = dict(collection["features"][0])
        feature["properties"] = {"code": "51999", "nom": "Inconnue"}
        collection["features"].append(feature)

    rewrite(source_copy / "geo" / "communes-51-marne.geojson", add_unknown)
    report = import_territories(source_copy, departements={"51"})
    assert report.unmatched_contours == ["51999"]
    assert any("51999" in line for line in report.lines())


def test_bad_population_names_file_record_and_field_and_writes_nothing(db, source_copy):
    def corrupt(rows):
        index = next(i for i, r in enumerate(rows) if r["code"] == "51108")
        rows[index]["population"] = "beaucoup"
        rows[0]["nom"] = "Nom changé qui ne doit pas être écrit"

    rewrite(source_copy / "cog" / "communes.json", corrupt)
    rows = json.loads((source_copy / "cog" / "communes.json").read_text())
    expected_record = next(i for i, r in enumerate(rows, start=1) if r["code"] == "51108")
    with pytest.raises(TerritoryFileError) as error:
        import_territories(source_copy, departements={"51"})
    message = str(error.value)
    assert "communes.json" in message
    assert f"enregistrement n° {expected_record}" in message
    assert "« population »" in message
    assert Commune.objects.get(code="51108").population == 42_971


def test_command_reports_error_in_french_and_exit_non_zero(db, source_copy):
    (source_copy / "cog" / "epci.json").write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match=r"rien n'a été écrit.*epci\.json.*JSON invalide"):
        call_command("import_territories", str(source_copy), "--departement", "51")


def test_command_prints_no_change_on_second_run(db, capsys):
    call_command("import_territories", str(SHIPPED), "--departement", "51")
    assert "Aucun changement." in capsys.readouterr().out


def test_unknown_department_is_refused(db):
    with pytest.raises(TerritoryFileError, match="département\\(s\\) inconnu\\(s\\) : 00"):
        import_territories(SHIPPED, departements={"00"})


def test_commune_search_by_name_or_code(db):
    assert list(Commune.objects.search("51454").values_list("nom", flat=True)) == ["Reims"]
    assert "Châlons-en-Champagne" in Commune.objects.search("châlons").values_list("nom", flat=True)
