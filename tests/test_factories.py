"""The factories build a coherent second department, which the Marne demo lacks."""

import pytest

from tests.factories import (
    ClsFactory,
    CommuneFactory,
    FicheActionFactory,
    FinancementFactory,
    StructureFactory,
    UserFactory,
)


@pytest.mark.django_db
def test_an_aube_cls_in_force_has_its_commune_fiche_money_and_personas():
    troyes = CommuneFactory(nom="Troyes")
    cls = ClsFactory(communes=[troyes], in_force=True)
    fiche = FicheActionFactory(axe__cls=cls)
    FinancementFactory(fiche=fiche)

    assert cls.departement.code == "10" and troyes.departement == cls.departement
    assert cls.date_debut_effective is not None
    assert fiche.cls == cls and fiche.numero == f"{fiche.axe.numero}.{fiche.rang}"
    assert UserFactory(ars=True).departement.code == "10"
    assert StructureFactory().commune.departement.code == "10"
