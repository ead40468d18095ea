import pytest

from demo.careoffer import load_care_offer_demo


@pytest.fixture
def care(demo):
    """The Marne demo CLS plus the care offer of seed 000, by short name (mmg_chalons, cpts_reims…)."""
    return load_care_offer_demo()
