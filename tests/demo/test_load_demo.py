"""``make run`` again after people used the demo: ``load_demo`` keeps every change and the server starts."""

from io import StringIO

import pytest
from django.core.management import call_command

from actions.models import FicheAction
from contracts.models import Cls
from core.models import User
from demo.models import ChargementDemo
from steering.models import Instance
from tests.factories import ClsFactory

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", sans_debug=True, stdout=out)
    return out.getvalue()


def test_rerunning_the_demo_keeps_renames_and_deletions():
    first = load_demo()
    assert "Démonstration de la Marne chargée" in first and "coord.reims" in first
    fiche = FicheAction.objects.filter(numero="1.5").first()
    fiche.titre = "Titre changé par la coordination"
    fiche.save()
    cls = Cls.objects.get(pk=fiche.cls_id)
    cls.nom = "Nom changé par l'ARS"
    cls.save()
    Instance.objects.filter(nom__startswith="Comité de pilotage du CLS de l'agglomération").delete()
    User.objects.filter(username="lecteur").delete()
    counts = (Cls.objects.count(), FicheAction.objects.count(), Instance.objects.count())

    again = load_demo()

    assert "Démo déjà chargée" in again and "rien n’est modifié" in again
    assert "coord.reims" in again and "lecteur " not in again
    fiche.refresh_from_db()
    cls.refresh_from_db()
    assert (fiche.titre, cls.nom) == ("Titre changé par la coordination", "Nom changé par l'ARS")
    assert (Cls.objects.count(), FicheAction.objects.count(), Instance.objects.count()) == counts
    assert not User.objects.filter(username="lecteur").exists()
    assert ChargementDemo.objects.count() == 1


def test_the_demo_is_never_loaded_over_existing_contracts():
    own = ClsFactory(nom="CLS saisi à la main")
    output = load_demo()
    assert "rien n’est modifié" in output
    assert list(Cls.objects.all()) == [own]
    assert not ChargementDemo.objects.exists()
