import pytest
from django.conf import settings

from diagnostics.importers import import_indicators
from diagnostics.services import compute_surfaces

SHIPPED = settings.BASE_DIR / "data" / "indicateurs"


def import_shipped_indicators():
    """The shipped Grand Est extract, restricted to what the test database holds (the Marne)."""
    report = import_indicators(
        catalogue_path=SHIPPED / "catalogue.csv",
        values_path=SHIPPED / "valeurs.csv",
        departements={"51"},
        hospitals_path=SHIPPED / "etablissements.csv",
    )
    compute_surfaces()
    return report


@pytest.fixture
def indicateurs(db):
    return import_shipped_indicators()


@pytest.fixture(autouse=True)
def empty_cache():
    """Reference figures are cached by data version; each test starts without any."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
