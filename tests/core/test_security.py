"""Security headers, the French 500 page, the admin's address and HSTS preload (issue 11, points 1 and 8).

The browser side of the Content-Security-Policy (a blocked script) is in tests/browser/test_security.py.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse

from tests.core.test_production import PRODUCTION_ENV, manage
from tests.core.test_templates import project_templates
from tests.factories import ClsFactory, CommuneFactory, DepartementFactory, FicheActionFactory, UserFactory

HOSTILE_NAME = "Reims 3 <img src=x onerror=alert(document.domain)>"
# Templates rendered to PDF by WeasyPrint, never shown in a browser: the CSP does not apply.
PDF_TEMPLATE = re.compile(r"/print/|_print\.html$|/flyer\.html$")


def browser_templates():
    return [t for t in project_templates() if not PDF_TEMPLATE.search(str(t))]


@login_not_required
def failing_view(request):
    raise RuntimeError("a bug in a view")


@login_not_required
def forbidden_view(request):
    raise PermissionDenied


# The project's addresses plus two views that fail, for the error pages (``pytest.mark.urls``).
urlpatterns = [
    path("essai/erreur/", failing_view),
    path("essai/interdit/", forbidden_view),
    path("", include(settings.ROOT_URLCONF)),
]
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.fixture
def aube_cls(db):
    aube = DepartementFactory()
    troyes = CommuneFactory(departement=aube, nom="Troyes")
    cls = ClsFactory(departement=aube, communes=[troyes], in_force=True, nom=HOSTILE_NAME)
    FicheActionFactory(axe__cls=cls, debut_prevu=datetime.date(2025, 1, 1), fin_prevue=datetime.date(2026, 6, 30))
    return cls


PAGES = [
    # (persona, address builder, expected status)
    ("anonyme", lambda cls: "/connexion/", 200),
    ("anonyme", lambda cls: "/departements/10/", 200),
    ("anonyme", lambda cls: "/departements/10/carte.geojson", 200),
    ("anonyme", lambda cls: f"/public/cls/{cls.pk}/", 200),
    ("anonyme", lambda cls: "/public/regions/44/", 200),
    ("anonyme", lambda cls: "/departements/00/", 404),
    ("anonyme", lambda cls: "/essai/interdit/", 403),
    ("anonyme", lambda cls: "/essai/erreur/", 500),
    ("ars", lambda cls: f"/cls/{cls.pk}/", 200),
    ("ars", lambda cls: f"/cls/{cls.pk}/modifier/", 200),
    ("ars", lambda cls: f"/cls/{cls.pk}/plan/?vue=calendrier", 200),
    ("admin", lambda cls: reverse("admin:index"), 200),
    ("admin", lambda cls: reverse("admin:contracts_cls_change", args=[cls.pk]), 200),
    ("anonyme", lambda cls: reverse("admin:login"), 200),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("persona", "address", "status"), PAGES)
def test_every_kind_of_page_forbids_inline_scripts_through_its_csp_header(client, aube_cls, persona, address, status):
    if persona == "ars":
        client.force_login(UserFactory(ars=True))
    elif persona == "admin":
        client.force_login(UserFactory(username="admin.essai", is_staff=True, is_superuser=True))
    client.raise_request_exception = False
    response = client.get(address(aube_cls))
    assert response.status_code == status
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert "unsafe" not in response.headers["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)


class RefusedByCsp(HTMLParser):
    """What a page holds that the policy refuses: inline scripts, event handlers, styles."""

    def __init__(self, page: str):
        super().__init__()
        self.found: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"{name}= on <{tag}>" for name in names if name.startswith("on") or name == "style"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("persona", "address", "status"), [p for p in PAGES if p[0] != "admin" and p[2] != 500])
def test_our_pages_need_nothing_the_csp_refuses(client, aube_cls, persona, address, status):
    if persona == "ars":
        client.force_login(UserFactory(ars=True))
    response = client.get(address(aube_cls))
    if response["Content-Type"].startswith("text/html"):
        assert RefusedByCsp(response.content.decode()).found == []


def test_no_template_shown_in_a_browser_carries_inline_script_or_style():
    offenders = []
    for template in browser_templates():
        text = re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", template.read_text(), flags=re.S)
        for rule in (INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, re.compile("<style", re.I)):
            if rule.search(text):
                offenders.append(f"{template.relative_to(settings.BASE_DIR)}: {rule.search(text).group(0)[:80]}")
    assert offenders == []


def test_the_hostile_name_reaches_the_page_escaped(client, aube_cls):
    page = client.get("/departements/10/").content.decode()
    assert "Reims 3 &lt;img src=x onerror=alert(document.domain)&gt;" in page
    assert "<img src=x" not in page


@pytest.mark.urls(__name__)
def test_a_crash_shows_a_french_500_page_without_touching_the_database(client, db, django_assert_num_queries):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/essai/erreur/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "<title>Erreur inattendue — SantéLoc</title>" in page
    assert "n’a pas pu afficher cette page" in page
    assert "dsfr.min.css" in page
    assert "a bug in a view" not in page


def test_the_admin_is_not_at_the_obvious_address(client, db):
    client.force_login(UserFactory(username="admin.essai", is_staff=True, is_superuser=True))
    assert settings.ADMIN_URL == "gestion-interne/"
    assert client.get("/admin/").status_code == 404
    assert client.get("/gestion-interne/").status_code == 200


def test_the_admin_address_comes_from_the_environment():
    command = "from django.urls import reverse; print(reverse('admin:index'))"
    result = manage("shell", "-c", command, env=PRODUCTION_ENV | {"ADMIN_URL": "outils-7f3a/"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "/outils-7f3a/"


def test_a_malformed_admin_address_stops_the_start_up():
    result = manage("check", env=PRODUCTION_ENV | {"ADMIN_URL": "/admin"})
    assert result.returncode != 0
    assert "ADMIN_URL must be a path" in result.stderr


@pytest.mark.parametrize(("asked", "preload"), [(None, "False"), ("true", "True")])
def test_hsts_preload_only_when_asked_and_deploy_checks_stay_clean(asked, preload):
    env = PRODUCTION_ENV | ({"SECURE_HSTS_PRELOAD": asked} if asked else {})
    command = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD, settings.SECURE_HSTS_SECONDS)"
    result = manage("shell", "-c", command, env=env)
    assert result.stdout.splitlines()[-1].split() == [preload, "31536000"], result.stderr
    check = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
