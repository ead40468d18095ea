import datetime

from contracts import services
from contracts.coverage import coverage_by_departement, departement_coverage
from contracts.models import Cls
from territories.models import Commune

D = datetime.date


def test_marne_at_end_of_2023_matches_the_seed_picture(demo, marne):
    coverage = departement_coverage(marne, D(2023, 12, 31))
    assert coverage.population_totale == 563_076
    # In force: Vitry basin, Châlons (extended to 2024), Argonne.
    assert coverage.population_couverte_en_vigueur == 39_849 + 42_971 + 11_590
    # Plus Reims (CLS 3 in elaboration) and Épernay (préfiguration): five CLS, as the seed says.
    assert coverage.population_couverte_avec_preparation == 39_849 + 42_971 + 11_590 + 177_674 + 81_457
    assert str(coverage.taux_avec_preparation) == "62.8"
    assert str(coverage.taux_en_vigueur) == "16.8"
    assert coverage.millesime_population == 2026


def test_coverage_before_any_cls_is_zero(demo, marne):
    coverage = departement_coverage(marne, D(2010, 1, 1))
    assert coverage.population_couverte_avec_preparation == 0
    assert coverage.taux_en_vigueur == 0


def test_a_commune_covered_twice_counts_once(demo, marne):
    reims = Commune.objects.get(code="51454")
    before = departement_coverage(marne, D(2021, 6, 1)).population_couverte_en_vigueur
    services.create_cls(
        Cls(
            nom="Doublon",
            generation="1",
            departement=marne,
            porteur_commune=reims,
            date_debut=D(2021, 1, 1),
            date_fin=D(2023, 12, 31),
        ),
        perimeter=[reims],
    )
    assert departement_coverage(marne, D(2021, 6, 1)).population_couverte_en_vigueur == before


def test_avenant_changes_past_coverage_only_from_its_new_end(demo, marne):
    # Reims CLS 2+ was extended to 2022: in force in mid-2022, not in 2023.
    assert departement_coverage(marne, D(2022, 6, 1)).population_couverte_en_vigueur >= 177_674
    in_2023 = departement_coverage(marne, D(2023, 6, 1))
    reims_in_force = Cls.objects.in_force_at(D(2023, 6, 1)).filter(communes__code="51454").exists()
    assert not reims_in_force
    assert in_2023.population_couverte_en_vigueur < 177_674


def test_all_departments_in_one_query(demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = coverage_by_departement(D(2023, 12, 31))
    assert [row.code for row in rows] == ["51"]


def test_coverage_api_is_public_and_in_percent(client, demo):
    response = client.get("/api/v1/departements/51/couverture?date=2023-12-31")
    assert response.status_code == 200
    data = response.json()
    assert data["population_totale"] == 563_076
    assert data["population_couverte_en_vigueur"] == 94_410
    assert data["taux_en_vigueur"] == 16.8
    assert data["population_couverte_avec_preparation"] == 353_541
    assert data["taux_avec_preparation"] == 62.8


def test_coverage_api_explains_a_bad_date(client, db):
    response = client.get("/api/v1/departements/51/couverture?date=31/12/2023")
    assert response.status_code == 400
    assert "AAAA-MM-JJ" in response.json()["erreur"]


def test_coverage_api_unknown_department(client, db):
    assert client.get("/api/v1/departements/99/couverture").status_code == 404
