import pytest

from actions.models import FicheAction, Indicateur
from core.models import Role
from demo.actions import load_actions_demo
from demo.diagnostics import load_diagnostics_demo
from tests.conftest import make_user


@pytest.fixture
def plans(demo):
    """The demo CLS with the diagnostic's issues and the seeds' actions; returns the notable fiches by short name."""
    load_diagnostics_demo(demo)
    return load_actions_demo(demo)


@pytest.fixture
def gem(plans):
    return plans["gem"]


@pytest.fixture
def udaf_reims(plans):
    return plans["reims2:Accès personnalisé à la santé"]


@pytest.fixture
def coord_reims2(demo):
    user = make_user("coordination.reims2", role=Role.COORDINATEUR)
    demo["reims2"].coordinateurs.add(user)
    return user


@pytest.fixture
def porteur_udaf(plans, udaf_reims):
    return make_user("porteur.udaf.test", role=Role.PORTEUR, organisation=udaf_reims.porteur)


@pytest.fixture
def porteur_other(plans, gem):
    return make_user("porteur.papillons", role=Role.PORTEUR, organisation=gem.porteur)


@pytest.fixture
def cjc(plans):
    """The Vitry young consumers' consultation, answering the alcohol issue of the Vitry diagnostic."""
    return plans["vitry:cjc"]


@pytest.fixture
def indicateur(udaf_reims):
    return Indicateur.objects.create(fiche=udaf_reims, libelle="Personnes accompagnées", unite="personnes", cible=100)


def fiche(cls, axe, titre="Action de test", **fields) -> FicheAction:
    from actions import services

    return services.create_fiche(FicheAction(cls=cls, axe=axe, titre=titre, **fields))
