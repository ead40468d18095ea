"""« Préparer le CLS suivant »: what is copied, the links, and the refusals (nothing written)."""

import pytest
from django.core.exceptions import ValidationError

from actions.models import FicheAction
from contracts.models import Cls, Signataire
from contracts.models import Organisation as Org
from evaluation.models import Atteinte, Evaluation, EvaluationAction
from evaluation.services import next_generation, prepare_next_cls


@pytest.fixture
def evaluated(small, coord_small):
    cls = small["cls"]
    Signataire.objects.create(cls=cls, organisation=Org.objects.get(nom="ARS Grand Est"))
    Signataire.objects.create(cls=cls, organisation=Org.objects.get(nom="CPAM de la Marne"))
    cls.partenaires.add(small["carrier"])
    Evaluation.objects.create(cls=cls, conclusions="Bilan.")
    EvaluationAction.objects.create(fiche=small["f11"], atteinte=Atteinte.PARTIEL, a_poursuivre=True)
    EvaluationAction.objects.create(fiche=small["f12"], atteinte=Atteinte.ATTEINT, a_poursuivre=False)
    EvaluationAction.objects.create(fiche=small["f21"], atteinte=Atteinte.ATTEINT, a_poursuivre=True)
    small["f11"].partenaires.add(small["carrier"])
    return small


@pytest.mark.parametrize(("generation", "expected"), [("1", "2"), ("2+", "3"), ("9", "10")])
def test_next_generation(generation, expected):
    assert next_generation(generation) == expected


def test_copies_perimeter_parties_axes_and_continuing_actions(evaluated, coord_small):
    old = evaluated["cls"]
    new = prepare_next_cls(cls=old)
    assert (new.nom, new.generation, new.predecesseur, new.porteur_commune) == (old.nom, "2", old, old.porteur_commune)
    assert new.date_signature is None and new.date_debut is None
    assert list(new.communes.values_list("code", flat=True)) == ["51507"]
    assert [e.commune.code for e in new.perimetre_elements.all()] == ["51507"]
    assert sorted(s.organisation.nom for s in new.signataires.all()) == ["ARS Grand Est", "CPAM de la Marne"]
    assert list(new.partenaires.all()) == [evaluated["carrier"]]
    assert list(new.coordinateurs.all()) == [coord_small]
    assert [str(a) for a in new.axes.all()] == ["Axe 1 : Prévention", "Axe 2 : Environnement"]
    fiches = {f.numero: f for f in FicheAction.objects.filter(cls=new)}
    assert sorted(fiches) == ["1.1", "2.1"]  # 1.2 (not to continue) and HA.1 (not evaluated) stay behind
    copy = fiches["1.1"]
    assert copy.predecesseur == evaluated["f11"] and copy.axe.cls == new
    assert (copy.titre, copy.porteur) == ("Accompagner", evaluated["carrier"])
    assert list(copy.partenaires.all()) == [evaluated["carrier"]]
    assert copy.etat == "" and not copy.indicateurs.exists() and not copy.financements.exists()
    assert list(evaluated["f11"].suites.all()) == [copy]
    assert new.history.filter(history_type="+").exists() and copy.history.filter(history_type="+").exists()


def test_refused_when_a_successor_exists_and_nothing_written(evaluated):
    old = evaluated["cls"]
    prepare_next_cls(cls=old)
    counts = (Cls.objects.count(), FicheAction.objects.count())
    with pytest.raises(ValidationError, match="existe déjà"):
        prepare_next_cls(cls=old)
    assert (Cls.objects.count(), FicheAction.objects.count()) == counts


def test_refused_without_evaluation(small):
    with pytest.raises(ValidationError, match="Rédigez d'abord l'évaluation"):
        prepare_next_cls(cls=small["cls"])
    assert not Cls.objects.filter(predecesseur=small["cls"]).exists()


def test_failure_midway_rolls_everything_back(evaluated, monkeypatch):
    """A copy that fails (here the second fiche) leaves no new CLS, axis or fiche behind."""
    from evaluation import services

    calls = []

    def failing_create_fiche(fiche, **kwargs):
        calls.append(fiche)
        if len(calls) == 2:
            raise ValidationError("Échec simulé")
        return services_create(fiche, **kwargs)

    services_create = services.create_fiche
    monkeypatch.setattr(services, "create_fiche", failing_create_fiche)
    before = (Cls.objects.count(), FicheAction.objects.count(), Signataire.objects.count())
    with pytest.raises(ValidationError):
        prepare_next_cls(cls=evaluated["cls"])
    assert (Cls.objects.count(), FicheAction.objects.count(), Signataire.objects.count()) == before
