import html
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import strip_tags

from contracts.models import Cls
from tests.pdf import A4, pdf_page_sizes, pdf_text

PUBLIC_NAMES = [
    "public_home",
    "public_region",
    "public_region_map",
    "public_cls",
    "public_cls_map",
    "public_cls_flyer",
    "public_opendata",
    "public_data_perimeters",
    "public_data_csv",
    "public_data_json",
    "public_data_schema",
]
EDITING = re.compile(r"(edit|create|remove|delete|import|nouveau|modifier|retirer|supprimer|mine|update)")


def text(response) -> str:
    """The page's text and markup, with entities and French number spaces normalised."""
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def all_patterns(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry)
        elif isinstance(entry, URLPattern):
            yield entry


def url_for(name: str, cls: Cls) -> str:
    if name in ("public_region", "public_region_map"):
        return reverse(name, args=["44"])
    if name in ("public_cls", "public_cls_map", "public_cls_flyer"):
        return reverse(name, args=[cls.pk])
    if name.startswith("public_data_") and name != "public_data_perimeters":
        return reverse(name, args=["contrats"])
    return reverse(name)


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_anonymous_visitors_reach_every_public_page(client, full_demo, name):
    response = client.get(url_for(name, full_demo["epernay"]), follow=True)
    assert response.status_code == 200
    assert not response.redirect_chain or "/connexion/" not in response.redirect_chain[-1][0]


def test_only_read_only_views_are_exempt_from_login():
    exempt = {p.name for p in all_patterns() if getattr(p.callback, "login_required", True) is False}
    assert set(PUBLIC_NAMES) <= exempt
    assert "public_contact_edit" not in exempt
    assert [name for name in exempt if name and EDITING.search(name)] == []


@pytest.mark.parametrize("name", ["public_contact_edit", "cls_edit", "cls_axes_edit", "cls_parties_edit"])
def test_editing_still_requires_login(client, full_demo, name):
    url = reverse(name, args=[full_demo["epernay"].pk])
    for response in (client.get(url), client.post(url, {"contact_coordination": "x@y.fr"})):
        assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    full_demo["epernay"].refresh_from_db()
    assert full_demo["epernay"].contact_coordination == ""


def test_visitors_menu_leads_to_public_pages_not_to_the_login_form(client, full_demo, lecteur):
    def menu(response) -> str:
        page = response.content.decode()
        start = page.index('<nav class="fr-nav"')
        return page[start : page.index("</nav>", start)]

    anonymous = menu(client.get(reverse("public_region", args=["44"])))
    assert reverse("public_home") in anonymous and reverse("public_opendata") in anonymous
    assert f'href="{reverse("cls_list")}"' not in anonymous
    client.force_login(lecteur)
    member = menu(client.get(reverse("public_region", args=["44"])))
    assert f'href="{reverse("cls_list")}"' in member


def test_region_page_lists_every_cls_with_its_state_and_the_map(client, full_demo):
    page = text(client.get("/public/regions/44/"))
    assert "<title>Les contrats locaux de santé — Grand Est — SantéLoc</title>" in page
    assert '<html lang="fr"' in page and 'class="fr-footer"' in page
    for cls in Cls.objects.all():
        assert reverse("public_cls", args=[cls.pk]) in page
    assert "Échu" in page and "En vigueur" in page and "Élaboration" in page
    assert "81 457" in page  # Pays d'Épernay
    features = client.get("/public/regions/44/carte.geojson").json()["features"]
    perimeters = [f for f in features if not f["properties"].get("fond")]
    labels = " ".join(f["properties"]["etiquette"] for f in perimeters)
    assert "Pays d'Épernay" in labels and "Reims (CLS 3) — élaboration" in labels
    assert "Sézanne" not in labels  # an intention is listed, not drawn


def test_cls_page_shows_its_public_fields(client, full_demo):
    cls = full_demo["reims2"]
    page = text(client.get(reverse("public_cls", args=[cls.pk])))
    assert "<h1>Contrat local de santé de Reims" in page
    assert "Qu’est-ce qu’un contrat local de santé ?" in page
    assert "Environnement favorable à la santé" in page  # an axis
    assert "CCAS de Reims" in page  # a signatory added by avenant
    assert "Accès personnalisé à la santé" in page and "UDAF de la Marne" in page  # an action and its carrier
    assert "Ligue de l'Enseignement de la Marne" in page  # the coordinating structure
    assert "Contact non renseigné" in page
    assert "Dernière mise à jour le" in page
    assert reverse("public_cls_flyer", args=[cls.pk]) in page


def test_the_contact_set_by_the_coordinator_is_published(client, full_demo, coord_reims, coord_chalons, lecteur):
    cls = full_demo["reims3"]
    url = reverse("public_contact_edit", args=[cls.pk])
    for outsider in (coord_chalons, lecteur):
        client.force_login(outsider)
        response = client.post(url, {"contact_coordination": "pirate@exemple.fr", "version": cls.version})
        assert response.status_code == 403
    client.force_login(coord_reims)
    response = client.post(url, {"contact_coordination": "cls@reims.fr — 03 26 77 00 00", "version": cls.version})
    assert response.status_code == 302
    client.logout()
    page = strip_tags(text(client.get(reverse("public_cls", args=[cls.pk]))))
    assert "cls@reims.fr — 03 26 77 00 00" in page
    rows = json.loads(client.get("/public/donnees/contrats.json").getvalue())
    assert next(r for r in rows if r["id"] == cls.pk)["contact_coordination"] == "cls@reims.fr — 03 26 77 00 00"
    assert cls.history.first().contact_coordination == "cls@reims.fr — 03 26 77 00 00"


def test_contact_form_refuses_a_stale_copy_and_a_personal_address(client, full_demo, coord_reims):
    cls = full_demo["reims3"]
    url = reverse("public_contact_edit", args=[cls.pk])
    client.force_login(coord_reims)
    assert client.post(url, {"contact_coordination": "cls@reims.fr", "version": cls.version}).status_code == 302
    stale = client.post(url, {"contact_coordination": "autre@reims.fr", "version": cls.version})
    assert "modifiée par quelqu'un d'autre" in text(stale)
    coord_reims.email = "marie.durand@reims.fr"
    coord_reims.save()
    cls.refresh_from_db()
    personal = client.post(url, {"contact_coordination": "Marie.Durand@reims.fr", "version": cls.version})
    assert "est l'adresse d'une personne" in text(personal)
    cls.refresh_from_db()
    assert cls.contact_coordination == "cls@reims.fr"


def test_flyers_are_one_a4_page_with_the_essentials(client, full_demo):
    for cls in Cls.objects.all():
        pdf = client.get(reverse("public_cls_flyer", args=[cls.pk])).content
        assert pdf_page_sizes(pdf) == [A4], cls.nom
    flyer = pdf_text(client.get(reverse("public_cls_flyer", args=[full_demo["argonne"].pk])).content)
    flat = " ".join(flyer.split())
    assert "Argonne Champenoise" in flat and "60 communes" in flat
    assert f"http://testserver/public/cls/{full_demo['argonne'].pk}/" in flat
    assert "Axe 12" in flat  # all twelve axes fit on the page


def test_cls_page_section_links_to_the_public_page(client, full_demo, coord_reims):
    client.force_login(coord_reims)
    page = text(client.get(reverse("cls_detail", args=[full_demo["reims3"].pk])))
    assert reverse("public_cls", args=[full_demo["reims3"].pk]) in page
    assert reverse("public_contact_edit", args=[full_demo["reims3"].pk]) in page
    other = text(client.get(reverse("cls_detail", args=[full_demo["epernay"].pk])))
    assert reverse("public_contact_edit", args=[full_demo["epernay"].pk]) not in other
