import pytest

from demo.actions import load_actions_demo
from demo.careoffer import load_care_offer_demo
from demo.diagnostics import load_diagnostics_demo


@pytest.fixture
def full_demo(demo):
    """The Marne demo with its action plans and coordinated-care structures; returns the CLS by short name."""
    load_diagnostics_demo(demo)
    load_actions_demo(demo)
    load_care_offer_demo()
    return demo
