"""A CLS named with HTML in it: the map shows the name as text, and the browser's CSP stops the script
that a JavaScript regression would let through (issue 11, point 1)."""

import pytest
from playwright.sync_api import expect

from territories.models import CommuneContour
from tests.browser.conftest import assert_accessible, expect_csp_violations
from tests.factories import ClsFactory, CommuneFactory, DepartementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOSTILE_NAME = "Reims 3 <img src=x onerror=alert(document.domain)>"

# Each page records what the policy refused, from its first script on (a Playwright init script
# is given to the page by the browser itself: the page's own CSP does not apply to it).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.effectiveDirective);
});
"""


@pytest.fixture
def hostile_cls(live_server):
    """A CLS in force in the Aube, whose coordinator wrote an <img onerror> into its name."""
    aube = DepartementFactory()
    troyes = CommuneFactory(departement=aube, nom="Troyes", population=61_000)
    square = [[4.03, 48.27], [4.12, 48.27], [4.12, 48.32], [4.03, 48.32], [4.03, 48.27]]
    CommuneContour.objects.create(commune=troyes, geojson={"type": "Polygon", "coordinates": [square]})
    return ClsFactory(departement=aube, communes=[troyes], in_force=True, nom=HOSTILE_NAME)


@pytest.fixture
def dialogs(page):
    """The alert() boxes a script opened (there must be none)."""
    opened = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    page.add_init_script(RECORD_VIOLATIONS)
    return opened


def test_a_cls_name_with_html_shows_as_text_in_the_map_tooltip(page, hostile_cls, dialogs):
    page.goto("/departements/10/")
    carte = page.locator("#carte-departement")
    expect(carte).to_have_attribute("data-loaded", "true")

    carte.locator("path.leaflet-interactive").hover()
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(HOSTILE_NAME)
    expect(tooltip.locator("img")).to_have_count(0)
    # The legend and the table name it as text too.
    expect(page.get_by_text(HOSTILE_NAME).first).to_be_visible()
    assert page.locator("img[src='x']").count() == 0
    assert dialogs == []
    assert page.evaluate("window.cspViolations") == []
    assert_accessible(page)


def test_the_csp_stops_a_script_hidden_in_a_name_even_if_inserted_as_html(page, hostile_cls, dialogs):
    """What the map did before the fix (the name given to innerHTML), replayed on the page as served."""
    response = page.goto(f"/public/cls/{hostile_cls.pk}/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    carte = page.locator("#carte-cls")
    expect(carte).to_have_attribute("data-loaded", "true")
    assert_accessible(page)
    expect_csp_violations(page)

    page.evaluate(
        """async () => {
          const data = await (await fetch(document.querySelector("[data-geojson]").dataset.geojson)).json();
          const label = document.createElement("div");
          label.innerHTML = data.features[0].properties.etiquette;  // the bug, on purpose
          document.body.append(label);
          const script = document.createElement("script");
          script.textContent = "alert('inline script')";
          document.body.append(script);
        }"""
    )

    page.wait_for_function("window.cspViolations.includes('script-src-attr')")
    assert page.locator("body > div > img[src='x']").count() == 1  # the markup went in...
    assert dialogs == []  # ...but neither its onerror handler nor the inline script ran
    assert set(page.evaluate("window.cspViolations")) == {"script-src-attr", "script-src-elem"}
