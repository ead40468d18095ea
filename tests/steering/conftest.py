import datetime

import pytest

from actions.models import Indicateur
from core.models import Role
from steering import services
from steering.models import Instance, Membre, Reunion, TypeInstance
from tests.actions.conftest import coord_reims2, gem, plans, porteur_other, porteur_udaf, udaf_reims  # noqa: F401
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def coord_chalons1(demo):
    user = make_user("coordination.chalons1", role=Role.COORDINATEUR)
    demo["chalons1"].coordinateurs.add(user)
    return user


@pytest.fixture
def copil(demo):
    return Instance.objects.create(cls=demo["chalons1"], type=TypeInstance.COPIL, nom="COPIL de Châlons")


@pytest.fixture
def membre(copil):
    return Membre.objects.create(instance_gouvernance=copil, nom="Camille Martin", fonction="Directrice du CCAS")


@pytest.fixture
def reunion(copil):
    return services.save_reunion(
        Reunion(
            instance_gouvernance=copil,
            date=datetime.date(2030, 3, 12),
            heure=datetime.time(14, 30),
            lieu="Hôtel de ville",
        )
    )


@pytest.fixture
def udaf_indicateur(udaf_reims):  # noqa: F811
    return Indicateur.objects.create(fiche=udaf_reims, libelle="Personnes accompagnées", unite="personnes", cible=100)


@pytest.fixture
def campagne(demo, plans, udaf_indicateur, coord_reims2):  # noqa: F811
    return services.open_campaign(cls=demo["reims2"], annee=2024, user=coord_reims2, today=datetime.date(2025, 1, 10))
