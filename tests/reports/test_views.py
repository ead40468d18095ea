"""Report screens: who sees and downloads them, who writes the point de situation, the date parameter."""

import pytest

from contracts.models import Cls
from reports.documents import DOCX_TYPE, PDF_TYPE
from tests.reports.conftest import open_docx

READ_URLS = [
    "/rapports/",
    "/rapports/departements/51/",
    "/rapports/departements/51/rapport.docx",
    "/rapports/departements/51/rapport.pdf",
    "/rapports/regions/44/",
    "/rapports/regions/44/rapport.docx",
    "/cls/{pk}/contrat/",
    "/cls/{pk}/contrat/contrat.docx",
    "/cls/{pk}/contrat/contrat.pdf",
    "/cls/{pk}/point-de-situation/",
]


@pytest.mark.parametrize("url", READ_URLS)
def test_anonymous_is_sent_to_the_login_page(client, demo, url):
    response = client.get(url.format(pk=demo["vitry"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/rapports/departements/51/rapport.docx?date=2023-12-31", DOCX_TYPE),
        ("/rapports/departements/51/rapport.pdf?date=2023-12-31", PDF_TYPE),
        ("/rapports/regions/44/rapport.pdf?date=2023-12-31", PDF_TYPE),
    ],
)
def test_a_reader_downloads_the_files(client, demo, lecteur, url, content_type):
    client.force_login(lecteur)
    response = client.get(url.format(pk=demo["vitry"].pk))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")


def test_the_department_file_is_computed_at_the_date_asked(client, demo, lecteur):
    client.force_login(lecteur)
    response = client.get("/rapports/departements/51/rapport.docx?date=2023-12-31")
    assert 'filename="rapport-cls-51-2023-12-31.docx"' in response["Content-Disposition"]
    assert "5 contrats locaux de santé sont contractualisés" in "\n".join(
        p.text for p in open_docx(response.content).paragraphs
    )
    bad = client.get("/rapports/departements/51/rapport.docx?date=31/12/2023")
    assert bad.status_code == 400
    assert "invalide" in bad.content.decode()


def test_preview_shows_the_report_and_a_date_error_in_french(client, demo, lecteur):
    client.force_login(lecteur)
    page = client.get("/rapports/departements/51/?date=2023-12-31").content.decode()
    assert "Les contrats locaux de santé — Marne (51) — au 31/12/2023" in page
    assert "soit 62,8 %" in page
    assert 'href="/rapports/departements/51/rapport.docx?date=2023-12-31"' in page
    page = client.get("/rapports/departements/51/?date=demain").content.decode()
    assert "Date « demain » invalide" in page
    assert client.get("/rapports/departements/99/").status_code == 404


def test_the_index_links_to_each_department_of_the_region(client, demo, lecteur):
    client.force_login(lecteur)
    page = client.get("/rapports/?date=2023-12-31").content.decode()
    assert 'href="/rapports/departements/51/?date=2023-12-31"' in page
    assert 'href="/rapports/regions/44/?date=2023-12-31"' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("ars_marne", 200),
        ("ars_ardennes", 403),
        ("ars_other_region", 403),
        ("coord_chalons", 403),  # coordinators run their CLS; the point de situation is the ARS's
        ("lecteur", 403),
    ],
)
def test_only_the_ars_in_charge_edits_the_point_de_situation(client, demo, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = f"/cls/{demo['chalons2'].pk}/point-de-situation/"
    assert client.get(url).status_code == status
    data = {"point_de_situation": "Nouveau texte", "point_de_situation_date": "2024-01-10"}
    response = client.post(url, {**data, "version": demo["chalons2"].version})
    assert response.status_code == (302 if status == 200 else 403)
    saved = Cls.objects.get(pk=demo["chalons2"].pk).point_de_situation
    assert saved == ("Nouveau texte" if status == 200 else "")


def test_the_point_de_situation_is_saved_attributed_and_shown_on_the_cls_page(client, demo, ars_marne):
    chalons2 = demo["chalons2"]
    client.force_login(ars_marne)
    url = f"/cls/{chalons2.pk}/point-de-situation/"
    response = client.post(
        url,
        {
            "point_de_situation": "Signature attendue début 2025.",
            "point_de_situation_date": "2024-11-15",
            "version": chalons2.version,
        },
    )
    assert response.status_code == 302
    chalons2.refresh_from_db()
    assert chalons2.point_de_situation == "Signature attendue début 2025."
    assert chalons2.history.first().history_user == ars_marne
    page = client.get(f"/cls/{chalons2.pk}/").content.decode()
    assert "Signature attendue début 2025." in page
    assert f'href="/cls/{chalons2.pk}/point-de-situation/"' in page
    assert f'href="/cls/{chalons2.pk}/contrat/contrat.pdf"' in page


def test_a_text_without_its_date_is_refused(client, demo, ars_marne):
    client.force_login(ars_marne)
    response = client.post(
        f"/cls/{demo['vitry'].pk}/point-de-situation/",
        {"point_de_situation": "Bilan en cours.", "version": demo["vitry"].version},
    )
    assert response.status_code == 200
    assert "Indiquez la date de ce point de situation." in response.content.decode()


def test_two_people_editing_the_point_de_situation_do_not_overwrite_each_other(client, demo, ars_marne):
    vitry = demo["vitry"]
    read_version = vitry.version
    Cls.objects.filter(pk=vitry.pk).update(version=read_version + 1, point_de_situation="Écrit par un collègue.")
    client.force_login(ars_marne)
    response = client.post(
        f"/cls/{vitry.pk}/point-de-situation/",
        {"point_de_situation": "Ma version.", "point_de_situation_date": "2024-01-10", "version": read_version},
    )
    assert response.status_code == 200
    assert "modifiée par quelqu" in response.content.decode()
    assert Cls.objects.get(pk=vitry.pk).point_de_situation == "Écrit par un collègue."


def test_the_cls_page_shows_no_edit_link_to_a_reader(client, demo, lecteur):
    client.force_login(lecteur)
    page = client.get(f"/cls/{demo['vitry'].pk}/").content.decode()
    assert "Document du contrat" not in page  # for the coordination and the ARS in charge
    assert "/point-de-situation/" not in page
