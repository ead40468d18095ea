"""A perimeter's figures are computed from its communes by each indicator's rule."""

import pytest

from diagnostics.aggregation import aggregate, aggregate_by, commune_figures
from diagnostics.models import Agregation, Direction, Indicateur, Niveau, Statut, Valeur
from diagnostics.queries import gap, perimeter_profile
from territories.models import Commune

pytestmark = pytest.mark.django_db


def _indicator(code, agregation=Agregation.SOMME, **fields):
    return Indicateur.objects.create(code=code, libelle=code, millesime=2021, agregation=agregation, **fields)


def _values(indicator, by_commune, statut=Statut.PUBLIEE, annee=2021):
    for commune, value in by_commune.items():
        Valeur.objects.create(
            indicateur=indicator,
            niveau=Niveau.COMMUNE,
            code=commune.code,
            commune=commune,
            annee=annee,
            valeur=value,
            statut=statut if value is None else Statut.PUBLIEE,
        )


@pytest.fixture
def three():
    return list(Commune.objects.filter(code__in=["51454", "51108", "51649"]).order_by("code"))


def test_ratio_of_sums_differs_from_mean_of_rates(three):
    chalons, reims, vitry = three  # 51108, 51454, 51649
    chomeurs = _indicator("chomeurs")
    actifs = _indicator("actifs")
    taux = _indicator("taux", Agregation.RATIO, numerateur=chomeurs, denominateur=actifs, facteur=100, unite="%")
    # Reims: 9,000 / 60,000 = 15 %; Châlons: 1,000 / 20,000 = 5 %; Vitry: 300 / 2,000 = 15 %.
    _values(chomeurs, {reims: 9000, chalons: 1000, vitry: 300})
    _values(actifs, {reims: 60000, chalons: 20000, vitry: 2000})

    figures = aggregate([taux, chomeurs], Commune.objects.filter(pk__in=[c.pk for c in three]))

    # (9,000 + 1,000 + 300) / (60,000 + 20,000 + 2,000) = 12.56 %, not the mean of rates (11.67 %).
    assert figures["taux"].value == pytest.approx(10300 / 82000 * 100)
    assert figures["taux"].value != pytest.approx((15 + 5 + 15) / 3)
    assert figures["chomeurs"].value == 10300
    assert figures["taux"].communes == 3


def test_weighted_mean_uses_the_weight_of_each_commune(three):
    chalons, reims, vitry = three
    poids = _indicator("pop_std")
    apl = _indicator("apl", Agregation.MOYENNE_PONDEREE, poids=poids)
    _values(poids, {reims: 180000, chalons: 45000, vitry: 13000})
    _values(apl, {reims: 4.5, chalons: 3.0, vitry: 2.0})
    from diagnostics.importers import refresh_weights

    refresh_weights()

    figure = aggregate([apl], [c.pk for c in three])["apl"]
    expected = (4.5 * 180000 + 3.0 * 45000 + 2.0 * 13000) / (180000 + 45000 + 13000)
    assert figure.value == pytest.approx(expected)
    assert figure.value != pytest.approx((4.5 + 3.0 + 2.0) / 3)


def test_a_median_is_never_averaged_and_secrecy_is_explained(three):
    chalons, reims, vitry = three
    median = _indicator("median", Agregation.AUCUNE)
    _values(median, {reims: 20000, chalons: 19000})
    _values(median, {vitry: None}, statut=Statut.SECRET)

    pair = aggregate([median], [reims.pk, chalons.pk])["median"]
    assert pair.value is None
    assert "commune par commune" in pair.reason

    with_secret = aggregate([median], [reims.pk, vitry.pk])["median"]
    assert with_secret.value is None and with_secret.secret == 1
    assert "secret statistique pour 1 commune" in with_secret.reason

    alone = aggregate([median], [reims.pk])["median"]
    assert alone.value == 20000


def test_values_of_another_year_are_not_mixed_in(three):
    chalons, reims, _vitry = three
    population = _indicator("pop")
    _values(population, {reims: 100, chalons: 50})
    _values(population, {reims: 1_000_000}, annee=2015)
    assert aggregate([population], [reims.pk, chalons.pk])["pop"].value == 150


def test_gap_is_coloured_only_where_the_direction_says():
    rate = Indicateur(code="t", unite="%", decimales=1, direction=Direction.HAUSSE_DEFAVORABLE, agregation="ratio")
    assert gap(rate, 14.0, 12.0).text == "+2,0 pt"
    assert gap(rate, 14.0, 12.0).tendance == "moins bien"
    apl = Indicateur(
        code="a",
        unite="consultations",
        decimales=2,
        direction=Direction.HAUSSE_FAVORABLE,
        agregation="moyenne_ponderee",
    )
    assert gap(apl, 3.0, 4.0).text == "× 0,75"
    assert gap(apl, 3.0, 4.0).tendance == "moins bien"
    assert gap(apl, 5.0, 4.0).tendance == "mieux"
    neutral = Indicateur(code="d", unite="hab./km²", decimales=1, direction=Direction.NEUTRE, agregation="ratio")
    assert gap(neutral, 30.0, 70.0).tendance is None
    count = Indicateur(code="p", unite="habitants", direction=Direction.NEUTRE, agregation="somme")
    assert gap(count, 40000, 560000) is None


def test_apl_of_the_marne_is_the_drees_figure(indicateurs, marne):
    apl = Indicateur.objects.get(code="apl_mg")
    figure = aggregate([apl], Commune.objects.filter(departement=marne))["apl_mg"]
    assert figure.value == pytest.approx(4.19, abs=0.005)
    assert figure.communes == 610


def test_unemployment_of_a_perimeter_from_the_shipped_extract(indicateurs, demo):
    vitry = demo["vitry"]
    taux = Indicateur.objects.get(code="taux_chomage")
    chomeurs = Valeur.objects.filter(indicateur__code="chomeurs_2021", commune__in=vitry.communes.all())
    actifs = Valeur.objects.filter(indicateur__code="actifs_2021", commune__in=vitry.communes.all())
    expected = sum(v.valeur for v in chomeurs) / sum(v.valeur for v in actifs) * 100
    assert aggregate([taux], vitry.communes.all())["taux_chomage"].value == pytest.approx(expected)


def test_filosofi_shown_only_where_published(indicateurs, demo):
    reims = perimeter_profile(demo["reims3"]).row("taux_pauvrete")
    assert reims.perimetre.value is not None  # a single large commune: INSEE publishes it
    vitry = perimeter_profile(demo["vitry"]).row("taux_pauvrete")
    assert vitry.perimetre.value is None
    assert "secret statistique" in vitry.perimetre.reason
    assert vitry.perimetre.secret > 90


def test_profile_compares_with_department_region_and_france(indicateurs, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):  # perimeter, department and region figures computed, then cached
        perimeter_profile(demo["vitry"])
    with django_assert_max_num_queries(5):
        profile = perimeter_profile(demo["vitry"])
    assert profile.territoires == ["Marne (51)", "Grand Est", "France"]
    apl = profile.row("apl_mg")
    assert [ref.value for ref in apl.references] == pytest.approx([4.185, 3.997, 3.745], abs=0.001)
    assert apl.perimetre.value < apl.references[0].value
    assert apl.ecart.tendance == "moins bien"
    # Age structure and mortality exist only by department: shown as context.
    assert {row.indicateur.code for row in profile.contexte} >= {"part_75_plus", "mortalite_standardisee"}


def test_density_from_contour_areas(indicateurs, marne):
    surface = Valeur.objects.get(indicateur__code="superficie", code="51454").valeur
    assert surface == pytest.approx(46.9, rel=0.03)  # Reims: 46.9 km² (INSEE)
    total = sum(
        Valeur.objects.filter(indicateur__code="superficie", commune__departement=marne).values_list(
            "valeur", flat=True
        )
    )
    assert total == pytest.approx(8162, rel=0.02)  # Marne: 8,162 km²


def test_commune_figures_are_those_of_the_grouped_sql_path(three, indicateurs):
    """``commune_figures`` (rows read as they are) gives, commune by commune, what the GROUP BY path gives:
    every rule (sum, ratio, weighted mean, published only), secrecy, reasons, counts."""
    chalons, reims, vitry = three
    median = _indicator("median", Agregation.AUCUNE)
    _values(median, {reims: 20000, chalons: None})
    _values(median, {vitry: None}, statut=Statut.SECRET)
    catalogue = list(Indicateur.objects.all())
    communes = Commune.objects.filter(departement__code="51")
    fast = commune_figures(catalogue, communes)
    grouped = aggregate_by(catalogue, communes, "commune_id")
    assert len(fast) == communes.count() == len(grouped)
    assert fast == grouped
    assert fast[vitry.pk]["median"].secret == 1 and fast[reims.pk]["median"].value == 20000
    assert fast[reims.pk]["taux_chomage"].value == pytest.approx(grouped[reims.pk]["taux_chomage"].value)
