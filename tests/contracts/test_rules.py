import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contracts import services
from contracts.models import Cls
from territories.models import Commune, Epci

D = datetime.date


def new_cls(marne, **fields):
    reims = Commune.objects.get(code="51454")
    defaults = {"nom": "CLS d'essai", "generation": "1", "departement": marne, "porteur_commune": reims}
    return services.create_cls(Cls(**(defaults | fields)), perimeter=[reims])


def test_end_must_follow_start_with_a_french_message(marne):
    with pytest.raises(ValidationError) as error:
        new_cls(marne, date_debut=D(2024, 1, 1), date_fin=D(2023, 1, 1))
    assert error.value.message_dict["date_fin"] == ["La date de fin doit être postérieure à la date de début."]


def test_database_refuses_end_before_start_too(marne):
    cls = new_cls(marne, date_debut=D(2024, 1, 1), date_fin=D(2026, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Cls.objects.filter(pk=cls.pk).update(date_fin=D(2020, 1, 1))


def test_exactly_one_carrier(marne):
    with pytest.raises(ValidationError, match="un porteur et un seul"):
        new_cls(marne, porteur_epci=Epci.objects.get(code="200042703"))


def test_empty_perimeter_is_refused(marne):
    reims = Commune.objects.get(code="51454")
    with pytest.raises(ValidationError, match="ne peut pas être vide"):
        services.create_cls(Cls(nom="Vide", generation="1", departement=marne, porteur_commune=reims), perimeter=[])
    assert not Cls.objects.filter(nom="Vide").exists()


def test_last_perimeter_element_cannot_be_removed(marne):
    cls = new_cls(marne)
    with pytest.raises(ValidationError, match="ne peut pas être vide"):
        services.remove_from_perimeter(cls.perimetre_elements.get())
    assert cls.communes.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "flagged"),
    [
        (D(2020, 1, 1), D(2022, 12, 31), False),
        (D(2018, 1, 1), D(2022, 12, 31), False),
        (D(2020, 1, 1), D(2021, 12, 31), True),
        (D(2020, 1, 1), D(2026, 12, 31), True),
    ],
)
def test_duration_outside_three_to_five_years_is_flagged(marne, start, end, flagged):
    cls = new_cls(marne, date_debut=start, date_fin=end)
    warnings = services.warnings_for(cls)
    assert any("3 à 5 ans" in w for w in warnings) is flagged


def test_two_cls_in_force_on_the_same_commune_are_flagged(demo, marne):
    cls = new_cls(marne, nom="CLS concurrent", date_debut=D(2020, 6, 1), date_fin=D(2023, 5, 31))
    warnings = services.warnings_for(cls)
    assert any("Contrat local de santé de Reims (CLS 2+)" in w and "en vigueur en même temps" in w for w in warnings)
    assert any("CLS concurrent" in w for w in services.warnings_for(demo["reims2"]))


def test_successive_generations_do_not_overlap(demo):
    for key in ("reims1", "reims2", "chalons1"):
        assert not [w for w in services.warnings_for(Cls.objects.get(pk=demo[key].pk)) if "même temps" in w]


def test_population_is_derived_from_the_perimeter(demo):
    vitry = demo["vitry"]
    assert vitry.communes.count() == 100
    assert vitry.communes.total_population() == 39_849
    assert "population" not in {f.name for f in Cls._meta.get_fields()}


def test_avenant_extends_the_end_and_adds_a_signatory(demo):
    reims2 = Cls.objects.get(pk=demo["reims2"].pk)
    assert reims2.date_fin == D(2020, 12, 31)
    assert reims2.date_fin_effective == D(2022, 12, 31)
    assert reims2.signataires.count() == 9
    assert reims2.signataires.get(organisation__nom="CCAS de Reims").avenant.date_signature == D(2022, 3, 10)


def test_perimeter_by_grouping_follows_its_epcis(demo):
    epernay = demo["epernay"]
    assert epernay.communes.count() == 112
    assert epernay.communes.total_population() == 81_457
