import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careoffer import services
from careoffer.models import Structure, TypeStructure
from careoffer.queries import cls_section_context
from core.models import Role
from territories.models import Commune
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def ars_grand_est(marne):
    return make_user("agent.ars.ge", role=Role.ARS, region=marne.region)


def test_department_page_is_public_and_shows_counts_projects_and_schemes(client, care):
    response = client.get(reverse("careoffer_departement", args=["51"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Offre de soins — Marne (51)" in html
    assert "<strong>20</strong> au 31/12/2023" in html  # declared MSP beside the 0 recorded
    assert "T1 2024" in html and "MSP de Sainte-Menehould" in html
    assert "GEM Autisme de Reims" in html and "UEMA d&#x27;Épernay" in html
    assert "1\u00a0120\u00a0000 €" in html  # four UEMA in 2023/2024
    assert "Exporter tout (XLSX)" in html and "Nouvelle structure" not in html  # anonymous: no edit links


def test_department_page_queries_do_not_grow_with_data(client, care, marne, django_assert_max_num_queries):
    url = reverse("careoffer_departement", args=["51"])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    reims = Commune.objects.get(code="51454")
    for number in range(15):
        services.save_structure(
            Structure(departement=marne, type=TypeStructure.ESP, nom=f"ESP {number}", commune=reims),
            read_version=None,
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_filters_and_map(client, care):
    url = reverse("careoffer_departement", args=["51"])
    html = client.get(url, {"type": "mmg"}).content.decode()
    assert "1 structure enregistrée (filtrées)" in html
    data = client.get(reverse("careoffer_map", args=["51"]), {"etat": "projet"}).json()
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    assert len(points) == 3 and all(p["properties"]["projet"] for p in points)
    everything = client.get(reverse("careoffer_map", args=["51"])).json()
    labels = [f["properties"]["etiquette"] for f in everything["features"]]
    assert "MMG — Maison médicale de garde de Châlons-en-Champagne (Châlons-en-Champagne, en fonctionnement)" in labels
    lon, lat = next(f for f in everything["features"] if "Sainte-Menehould" in f["properties"]["etiquette"])[
        "geometry"
    ]["coordinates"]
    assert 4.8 < lon < 5.0 and 49.0 < lat < 49.2  # inside Sainte-Menehould


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.datetime(2024, 3, 16, 15, 0, tzinfo=PARIS), "Ouverte en ce moment"),
        (
            datetime.datetime(2024, 3, 13, 15, 0, tzinfo=PARIS),
            "Prochaine ouverture : samedi 16 mars 2024 de 14h00 à 17h00",
        ),
        (datetime.datetime(2024, 5, 7, 12, 0, tzinfo=PARIS), "Prochaine ouverture : mercredi 8 mai 2024 de 10h00"),
    ],
)
def test_mmg_page_says_whether_open_now(client, care, monkeypatch, moment, expected):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    html = client.get(reverse("careoffer_structure", args=[care["mmg_chalons"].pk])).content.decode()
    assert expected in html
    assert "de 10h à 12h, de 14h à 17h, de 20h à 22h" in html  # Sunday and public holidays
    assert "66,7 %" in html and "33,3 %" in html


def test_msp_page_flags_members(client, care, marne):
    msp = services.save_structure(
        Structure(
            departement=marne, type="msp", nom="MSP seule", commune=Commune.objects.get(code="51250"), nb_medecins=1
        ),
        read_version=None,
    )
    html = client.get(reverse("careoffer_structure", args=[msp.pk])).content.decode()
    assert "Une MSP réunit au moins deux médecins : 1 renseigné." in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("ars_marne", 200),
        ("ars_ardennes", 403),
        ("ars_other_region", 403),
        ("ars_grand_est", 200),
        ("coord_reims", 403),
        ("lecteur", 403),
    ],
)
def test_who_edits_and_imports(client, care, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("careoffer_structure_edit", args=[care["msp_vitry"].pk]),
        reverse("careoffer_structure_create", args=["51"]),
        reverse("careoffer_import", args=["51"]),
    ):
        assert client.get(url).status_code == status


def test_anonymous_is_sent_to_login_for_edits(client, care):
    response = client.get(reverse("careoffer_structure_edit", args=[care["msp_vitry"].pk]))
    assert response.status_code == 302 and "/connexion/" in response.url


def form_data(structure, **changes):
    """What the edit form posts when the user changes only ``changes``."""

    def value(field):
        current = getattr(structure, field)
        return "" if current is None else current.isoformat() if hasattr(current, "isoformat") else current

    data = {
        "type": structure.type,
        "nom": structure.nom,
        "commune_code": structure.commune.code,
        "territoire": ", ".join(c.code for c in structure.communes.all()),
        "prevision": structure.prevision,
        "version": structure.version,
        "horaires": "",
        "porteur": structure.porteur_id or "",
    }
    for field in (
        "adresse",
        "date_projet",
        "date_ouverture",
        "date_fermeture",
        "nb_medecins",
        "nb_autres_professionnels",
        "nb_professions_paramedicales",
        "source",
        "observations",
    ):
        data[field] = value(field)
    return data | changes


def test_agent_edits_a_project_and_a_stale_form_is_refused(client, care, ars_marne):
    client.force_login(ars_marne)
    msp = care["msp_vitry"]
    url = reverse("careoffer_structure_edit", args=[msp.pk])
    stale = form_data(msp, nb_medecins="4")
    response = client.post(
        url, form_data(msp, date_ouverture="2024-03-04", nb_medecins="3", nb_professions_paramedicales="2")
    )
    assert response.status_code == 302
    msp.refresh_from_db()
    assert msp.date_ouverture == datetime.date(2024, 3, 4) and msp.nb_medecins == 3
    assert msp.history.first().history_user == ars_marne
    response = client.post(url, stale)
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    msp.refresh_from_db()
    assert msp.nb_medecins == 3


def test_agent_creates_an_mmg_with_its_hours(client, care, ars_marne):
    client.force_login(ars_marne)
    response = client.post(
        reverse("careoffer_structure_create", args=["51"]),
        {
            "type": "mmg",
            "nom": "MMG d'Épernay",
            "commune_code": "51230",
            "prevision": "2025",
            "horaires": "Samedi : 14h-18h\nJours fériés : 9h30-12h",
        },
    )
    mmg = Structure.objects.get(nom="MMG d'Épernay")
    assert response.url == reverse("careoffer_structure", args=[mmg.pk])
    assert [str(c) for c in mmg.creneaux.all()] == ["Samedi 14:00-18:00", "Jours fériés 09:30-12:00"]
    assert mmg.prevision == "2025"


def test_form_errors_in_french(client, care, ars_marne):
    client.force_login(ars_marne)
    response = client.post(
        reverse("careoffer_structure_create", args=["51"]),
        {"type": "msp", "nom": "X", "commune_code": "08105", "prevision": "bientôt", "horaires": "Samedi : 14h-18h"},
    )
    html = response.content.decode()
    assert "Aucune commune n&#x27;a le code INSEE « 08105 »." in html
    assert "Prévision illisible" in html
    assert "concernent les maisons médicales de garde" in html


def test_export_is_public_and_unknown_format_is_404(client, care):
    assert client.get(reverse("careoffer_export", args=["51", "csv"])).status_code == 200
    assert client.get(reverse("careoffer_export", args=["51", "pdf"])).status_code == 404


def test_dispositif_page(client, care):
    html = client.get(reverse("careoffer_dispositif", args=[care["gem_reims"].pk])).content.decode()
    assert "Association Papillons Blancs en Champagne" in html
    assert "226\u00a0024,47 €" in html
    assert "au moins 35 heures par semaine" in html


def test_cls_section_fragment(care, demo):
    html = render_to_string("careoffer/includes/_cls_section.html", {"data": cls_section_context(demo["chalons2"])})
    assert "Offre de soins sur le territoire" in html
    assert "Maison médicale de garde de Châlons-en-Champagne" in html
    assert "UEEA de Châlons-en-Champagne" in html and "rentrée 2023/2024" in html
    assert 'href="/departements/51/offre-de-soins/"' in html
    empty = render_to_string("careoffer/includes/_cls_section.html", {"data": cls_section_context(demo["suippes"])})
    assert "Aucune structure d&#x27;exercice coordonné" in empty or "Aucune structure d'exercice coordonné" in empty


def test_menu_entry_lists_the_region_or_opens_the_agent_department(
    client, care, ars_marne, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        response = client.get(reverse("careoffer_home"))
    html = response.content.decode()
    assert "Offre de soins — Grand Est" in html
    assert 'href="/departements/51/offre-de-soins/"' in html
    client.force_login(ars_marne)
    assert client.get(reverse("careoffer_home")).url == reverse("careoffer_departement", args=["51"])


def test_situation_at_a_past_date(client, care):
    url = reverse("careoffer_departement", args=["51"])
    before = client.get(url, {"date": "2023-09-04", "etat": "fonctionnement"}).content.decode()
    assert "Aucune structure enregistrée (filtrées)" in before
    after = client.get(url, {"date": "2023-09-05", "etat": "fonctionnement"}).content.decode()
    assert "1 structure enregistrée (filtrées)" in after
    data = client.get(reverse("careoffer_map", args=["51"]), {"date": "2023-09-04", "type": "mmg"}).json()
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    assert [p["properties"]["projet"] for p in points] == [True]  # not yet open: drawn as a project
    bad = client.get(url, {"date": "2023-13-45"})
    assert bad.status_code == 200 and "Saisissez une date valide" in bad.content.decode()


def scheme_data(dispositif, **changes):
    data = {
        "type": dispositif.type,
        "nom": dispositif.nom,
        "commune_code": dispositif.commune.code,
        "parrain": dispositif.parrain_id or "",
        "date_ouverture": dispositif.date_ouverture.isoformat() if dispositif.date_ouverture else "",
        "heures_hebdo": dispositif.heures_hebdo or "",
        "subventions_texte": "2022 : 41 500\n2023 : 94 188,23\n2024 : 90 336,24",
        "version": dispositif.version,
    }
    return data | changes


def test_agent_edits_the_gem_subsidies_and_stale_forms_are_refused(client, care, ars_marne):
    client.force_login(ars_marne)
    gem = care["gem_reims"]
    url = reverse("careoffer_dispositif_edit", args=[gem.pk])
    page = client.get(url).content.decode()
    assert "2023 : 94188,23" in page and "Subventions de « ARS Grand Est » par année" in page
    stale = scheme_data(gem)
    response = client.post(
        url, scheme_data(gem, subventions_texte="2022 : 41 500\n2023 : 94 188,23\n2024 : 90 336,24\n2025 : 91 000")
    )
    assert response.status_code == 302
    assert [s.annee for s in gem.subventions.all()] == [2022, 2023, 2024, 2025]
    assert gem.subventions.get(annee=2023).history.count() == 1  # unchanged years are not rewritten
    response = client.post(url, stale)
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    assert gem.subventions.count() == 4


def test_gem_form_refuses_fewer_than_35_hours_and_bad_amounts(client, care, ars_marne):
    client.force_login(ars_marne)
    gem = care["gem_reims"]
    html = client.post(
        reverse("careoffer_dispositif_edit", args=[gem.pk]),
        scheme_data(gem, heures_hebdo="30", subventions_texte="2023 : beaucoup"),
    ).content.decode()
    assert "Un GEM est ouvert au moins 35 heures par semaine." in html
    assert "Ligne 1 : « beaucoup » n’est pas un montant." in html


@pytest.mark.parametrize(("persona", "status"), [("ars_marne", 200), ("ars_ardennes", 403), ("coord_chalons", 403)])
def test_who_edits_schemes(client, care, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("careoffer_dispositif_edit", args=[care["uema_chalons"].pk])).status_code == status
    assert client.get(reverse("careoffer_dispositif_create", args=["51"])).status_code == status


def test_history_is_shown_to_logged_in_users_only(client, care, ars_marne, lecteur):
    msp = care["msp_vitry"]
    client.force_login(ars_marne)
    client.post(reverse("careoffer_structure_edit", args=[msp.pk]), form_data(msp, nb_medecins="2"))
    client.logout()
    url = reverse("careoffer_structure", args=[msp.pk])
    assert "Historique des modifications" not in client.get(url).content.decode()
    client.force_login(lecteur)
    html = client.get(url).content.decode()
    assert "Historique des modifications" in html
    assert "agent.ars.51" in html
    assert re.search(r"modification<br>médecins : [^<]* → 2</td>", html)  # only the changed field, old → new


def test_cls_page_shows_the_care_offer_plan_and_diagnostic_sections(client, care, demo, lecteur):
    client.force_login(lecteur)
    page = client.get(f"/cls/{demo['chalons2'].pk}/").content.decode()
    assert "Offre de soins sur le territoire" in page
    assert "Maison médicale de garde de Châlons-en-Champagne" in page
    assert "Diagnostic territorial" in page
    assert "Plan d" in page
