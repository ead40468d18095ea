"""The diagnostic pages: who reads, who edits, history, concurrent edits, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.diagnostics import load_diagnostics_demo
from diagnostics.models import ApportQualitatif, Enjeu, Theme
from diagnostics.queries import cls_section_context

pytestmark = pytest.mark.django_db


def _enjeu_post(**extra):
    data = {
        "titre": "Faible densité de médecins généralistes",
        "description": "",
        "theme": Theme.ACCES_SOINS,
        "priorite": 1,
        "source": "",
    }
    data.update(extra)
    return data


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(f"/cls/{demo['vitry'].pk}/diagnostic/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_reader_reads_the_diagnostic_but_cannot_edit(client, lecteur, indicateurs, demo):
    vitry = demo["vitry"]
    load_diagnostics_demo(demo)
    client.force_login(lecteur)
    response = client.get(f"/cls/{vitry.pk}/diagnostic/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Consommation régulière élevée de boissons alcoolisées chez les jeunes de 17 ans" in page
    assert "Ajouter un enjeu" not in page
    assert client.get(f"/cls/{vitry.pk}/diagnostic/enjeux/nouveau/").status_code == 403
    assert client.post(f"/cls/{vitry.pk}/diagnostic/enjeux/nouveau/", _enjeu_post()).status_code == 403
    assert not Enjeu.objects.filter(titre="Faible densité de médecins généralistes").exists()


@pytest.mark.parametrize(
    ("persona", "cls_name", "allowed"),
    [
        ("coord_reims", "reims3", True),
        ("coord_reims", "vitry", False),
        ("ars_marne", "vitry", True),
        ("ars_ardennes", "vitry", False),
        ("ars_other_region", "vitry", False),
    ],
)
def test_who_records_issues(client, request, demo, persona, cls_name, allowed):
    user = request.getfixturevalue(persona)
    cls = demo[cls_name]
    client.force_login(user)
    response = client.post(f"/cls/{cls.pk}/diagnostic/enjeux/nouveau/", _enjeu_post())
    assert response.status_code == (302 if allowed else 403)
    assert Enjeu.objects.filter(cls=cls).exists() == allowed


def test_coordinator_records_an_interview_and_an_issue_supported_by_it(client, coord_reims, indicateurs, demo):
    reims3 = demo["reims3"]
    client.force_login(coord_reims)
    response = client.post(
        f"/cls/{reims3.pk}/diagnostic/apports/nouveau/",
        {
            "type": "focus_groupe",
            "date": "2023-05-12",
            "aupres_de": "Habitants du quartier Croix-Rouge",
            "participants": "14",
            "resume": "Difficulté à trouver un médecin traitant.",
            "themes": [Theme.ACCES_SOINS, Theme.PRECARITE],
        },
    )
    assert response.status_code == 302
    apport = ApportQualitatif.objects.get(cls=reims3)
    assert apport.themes_labels == ["Accès aux soins", "Précarité et inégalités sociales de santé"]
    assert apport.history.first().history_user == coord_reims

    from diagnostics.models import Indicateur

    apl = Indicateur.objects.get(code="apl_mg")
    response = client.post(
        f"/cls/{reims3.pk}/diagnostic/enjeux/nouveau/",
        _enjeu_post(indicateurs=[apl.pk], apports=[apport.pk]),
    )
    assert response.status_code == 302
    enjeu = Enjeu.objects.get(cls=reims3)
    assert list(enjeu.indicateurs.all()) == [apl] and list(enjeu.apports.all()) == [apport]
    assert enjeu.history.first().history_user == coord_reims
    page = client.get(f"/cls/{reims3.pk}/diagnostic/").content.decode()
    assert "Habitants du quartier Croix-Rouge" in page and "Faible densité de médecins généralistes" in page


def test_a_stale_edit_is_refused(client, coord_reims, demo):
    reims3 = demo["reims3"]
    enjeu = Enjeu.objects.create(cls=reims3, titre="Santé mentale", theme=Theme.SANTE_MENTALE)
    client.force_login(coord_reims)
    first = client.post(f"/cls/{reims3.pk}/diagnostic/enjeux/{enjeu.pk}/", _enjeu_post(titre="A", version=1))
    assert first.status_code == 302
    second = client.post(f"/cls/{reims3.pk}/diagnostic/enjeux/{enjeu.pk}/", _enjeu_post(titre="B", version=1))
    assert second.status_code == 200
    assert "a été modifiée par quelqu" in second.content.decode()
    assert Enjeu.objects.get(pk=enjeu.pk).titre == "A"


def test_an_issue_of_another_cls_is_not_found(client, coord_reims, demo):
    other = Enjeu.objects.create(cls=demo["vitry"], titre="X", theme=Theme.AUTRE)
    client.force_login(coord_reims)
    assert client.get(f"/cls/{demo['reims3'].pk}/diagnostic/enjeux/{other.pk}/").status_code == 404


def test_diagnostic_page_query_count_does_not_grow_with_the_perimeter(client, lecteur, indicateurs, demo):
    client.force_login(lecteur)
    for name in ("reims3", "epernay"):  # their figures and the Marne's and Grand Est's, now cached
        client.get(f"/cls/{demo[name].pk}/diagnostic/")
    counts = []
    for name in ("reims3", "epernay"):  # 1 commune, 112 communes
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cls/{demo[name].pk}/diagnostic/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 32
    url = f"/cls/{demo['epernay'].pk}/diagnostic/carte.geojson?indicateur=taux_chomage"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        geojson = client.get(url).json()
    assert len(queries) <= 12
    communes = [f for f in geojson["features"] if f["geometry"]["type"] != "Point"]
    assert len(communes) == 112 and all(f["properties"]["couleur"] for f in communes)


def test_map_geojson_carries_the_stored_contours_and_french_labels(client, lecteur, indicateurs, demo):
    """The contours are passed through as stored text: they must come out as the same geometry."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    from territories.models import Commune

    client.force_login(lecteur)
    geojson = client.get(f"/cls/{demo['epernay'].pk}/diagnostic/carte.geojson?indicateur=taux_chomage").json()
    by_code = {f["properties"]["code"]: f for f in geojson["features"] if f["geometry"]["type"] != "Point"}
    epernay = Commune.objects.select_related("contour").get(code="51230")
    feature = by_code["51230"]
    assert feature["geometry"] == epernay.contour.geojson
    assert feature["properties"]["etiquette"].startswith(f"Épernay (51230) — {intcomma(epernay.population)} hab. — ")
    assert "Taux de chômage" in feature["properties"]["etiquette"]
    hospitals = [f for f in geojson["features"] if f["geometry"]["type"] == "Point"]
    assert hospitals and all(len(f["geometry"]["coordinates"]) == 2 for f in hospitals)


def test_map_table_escapes_commune_names(client, lecteur, indicateurs, demo):
    from territories.models import Commune

    Commune.objects.filter(code="51230").update(nom="Épernay <b>&</b>")
    client.force_login(lecteur)
    page = client.get(f"/cls/{demo['epernay'].pk}/diagnostic/?indicateur=taux_chomage").content.decode()
    assert "<td>Épernay &lt;b&gt;&amp;&lt;/b&gt;</td>" in page and "<b>&</b>" not in page


def test_map_table_gives_each_commune_value_and_class(client, lecteur, indicateurs, demo):
    client.force_login(lecteur)
    page = client.get(f"/cls/{demo['argonne'].pk}/diagnostic/?indicateur=taux_chomage").content.decode()
    assert "Taux de chômage des 15-64 ans (recensement) par commune" in page
    assert "1 sur 5" in page


def test_cls_section_context(indicateurs, demo, django_assert_max_num_queries):
    load_diagnostics_demo(demo)
    with django_assert_max_num_queries(3):
        context = cls_section_context(demo["epernay"])
    assert context["diagnostic_chiffres"][0]["libelle"] == "Population municipale 2021"
    assert context["diagnostic_enjeux"] == 5


def test_demo_is_idempotent(indicateurs, demo):
    first = load_diagnostics_demo(demo)
    second = load_diagnostics_demo(demo)
    assert len(first) == len(second) == 10
    assert Enjeu.objects.count() == 10
    assert set(Enjeu.objects.filter(cls=demo["reims3"]).values_list("titre", flat=True)) == {
        "Environnement favorable à la santé",
        "Accès aux soins et prévention des risques sanitaires",
        "Mise en réseau des acteurs de la santé mentale",
        "Promotion, prévention et éducation pour la santé",
    }


def test_peers_hospitals_and_cls_coverage_on_the_profile(client, lecteur, indicateurs, demo):
    client.force_login(lecteur)
    argonne = demo["argonne"]
    response = client.get(f"/cls/{argonne.pk}/diagnostic/")
    pairs = response.context["pairs"]
    assert 0 < len(pairs) <= 5
    assert "CC de l'Argonne Champenoise" not in [p.epci.nom for p in pairs]  # the perimeter itself
    assert [p.distance for p in pairs] == sorted(p.distance for p in pairs)
    assert response.context["couverture"][0].code == "51"
    page = client.get(f"/cls/{demo['reims3'].pk}/diagnostic/").content.decode()
    assert "Hôpitaux représentés sur la carte" in page
    hospitals = client.get(f"/cls/{demo['reims3'].pk}/diagnostic/").context["hopitaux"]
    assert any(label.endswith(", Reims") for label in hospitals)  # « REIMS » in the source


def test_pages_work_before_any_indicator_is_imported(client, lecteur, demo):
    client.force_login(lecteur)
    assert client.get(f"/cls/{demo['vitry'].pk}/diagnostic/").status_code == 200
    assert client.get("/departements/51/zones-blanches/").status_code == 200
