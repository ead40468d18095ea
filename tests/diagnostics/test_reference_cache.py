"""Figures computed from thousands of commune values are cached: the same figures, recomputed after an
import, a change of EPCIs or of the perimeter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnostics.aggregation import data_version
from diagnostics.models import Indicateur
from diagnostics.queries import peers, perimeter_profile
from territories.models import Commune, Epci

from .conftest import SHIPPED, import_shipped_indicators

pytestmark = pytest.mark.django_db


def _figures(profile):
    return {row.indicateur.code: [ref.value for ref in row.references] for row in profile.rows + profile.contexte}


def test_cached_references_are_the_computed_ones_and_save_queries(indicateurs, demo):
    epernay = demo["epernay"]
    with CaptureQueriesContext(connection) as first_queries:
        first = perimeter_profile(epernay)
        first_peers = peers(epernay, first)
    with CaptureQueriesContext(connection) as again_queries:
        again = perimeter_profile(epernay)
        again_peers = peers(epernay, again)
    assert _figures(again) == _figures(first)
    assert _figures(first)["densite"][0] is not None  # computed from the communes: nothing stored for it
    assert [(p.epci.pk, p.distance, p.textes) for p in again_peers[1]] == [
        (p.epci.pk, p.distance, p.textes) for p in first_peers[1]
    ]
    assert len(again_queries) < len(first_queries)


def test_an_import_that_changes_a_value_shows_at_once(tmp_path, indicateurs, demo):
    from diagnostics.importers import import_indicators

    epernay = demo["epernay"]
    before = perimeter_profile(epernay).row("apl_mg").references[0].value
    assert before == pytest.approx(4.185, abs=0.001)
    values = tmp_path / "valeurs.csv"
    values.write_text("niveau,code,indicateur,annee,valeur\ndepartement,51,apl_mg,2023,5.5\n", encoding="utf-8")
    import_indicators(catalogue_path=SHIPPED / "catalogue.csv", values_path=values, departements={"51"})
    assert perimeter_profile(epernay).row("apl_mg").references[0].value == 5.5


def test_data_version_follows_values_and_epci_memberships(indicateurs, demo):
    version = data_version()
    assert data_version() == version
    import_shipped_indicators()  # nothing changes
    assert data_version() == version

    commune = Commune.objects.get(code="51230")
    other = Epci.objects.exclude(communes=commune).filter(communes__departement__code="51").first()
    commune.epcis.set([other])
    moved = data_version()
    assert moved != version

    Indicateur.objects.get(code="apl_mg").save()  # an indicator edited
    assert data_version() != moved


def test_new_unemployment_figures_reach_the_rate_of_the_perimeter(tmp_path, indicateurs, demo):
    """Values of a base indicator (unemployed) change a cached ratio (unemployment rate)."""
    from diagnostics.importers import import_indicators

    argonne = demo["argonne"]
    before = perimeter_profile(argonne).row("taux_chomage").perimetre.value
    communes = list(argonne.communes.values_list("code", flat=True))
    values = tmp_path / "valeurs.csv"
    lines = [f"commune,{code},chomeurs_2021,2021,0" for code in communes]
    values.write_text("niveau,code,indicateur,annee,valeur\n" + "\n".join(lines) + "\n", encoding="utf-8")
    import_indicators(catalogue_path=SHIPPED / "catalogue.csv", values_path=values, departements={"51"})
    assert before > 0
    assert perimeter_profile(argonne).row("taux_chomage").perimetre.value == 0


def test_a_new_perimeter_is_computed_afresh(indicateurs, demo):
    epernay = demo["epernay"]
    population = perimeter_profile(epernay).row("population_2021").perimetre.value
    reims = Commune.objects.get(code="51454")
    epernay.communes.add(reims)
    grown = perimeter_profile(epernay).row("population_2021").perimetre.value
    reims_population = perimeter_profile(demo["reims3"]).row("population_2021").perimetre.value
    assert grown == population + reims_population
