"""Shared fixtures: the Marne territories, the demo CLS and one persona per role."""

import pytest
from django.conf import settings

from core.models import Role, User
from demo.marne import create_demo_accounts, load_marne_demo
from territories.importer import import_territories
from territories.models import Departement, Region


def import_marne():
    return import_territories(settings.SHIPPED_TERRITORIES_DIR, departements={"51"})


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The Marne's 610 communes, from the shipped data, once for the session."""
    with django_db_blocker.unblock():
        import_marne()


@pytest.fixture
def demo(db):
    """The Marne demo CLS, by short name (reims1, reims2, reims3, vitry, chalons1…)."""
    clss = load_marne_demo()
    create_demo_accounts(clss)
    return clss


@pytest.fixture
def marne(db):
    return Departement.objects.get(code="51")


def make_user(username, **fields):
    return User.objects.create_user(username=username, password="x-password-x", **fields)


@pytest.fixture
def ars_marne(marne):
    return make_user("agent.ars.51", role=Role.ARS, region=marne.region, departement=marne)


@pytest.fixture
def ars_ardennes(marne):
    ardennes, _ = Departement.objects.get_or_create(code="08", defaults={"nom": "Ardennes", "region": marne.region})
    return make_user("agent.ars.08", role=Role.ARS, region=marne.region, departement=ardennes)


@pytest.fixture
def ars_other_region(db):
    region, _ = Region.objects.get_or_create(code="11", defaults={"nom": "Île-de-France"})
    return make_user("agent.ars.idf", role=Role.ARS, region=region)


@pytest.fixture
def coord_reims(demo):
    user = make_user("coordination.reims", role=Role.COORDINATEUR)
    demo["reims3"].coordinateurs.add(user)
    return user


@pytest.fixture
def coord_chalons(demo):
    user = make_user("coordination.chalons", role=Role.COORDINATEUR)
    demo["chalons2"].coordinateurs.add(user)
    return user


@pytest.fixture
def lecteur(db):
    return make_user("lecteur.simple", role=Role.LECTEUR)
