"""A small CLS whose evaluation figures are computed by hand in the tests' docstrings."""

import datetime
from decimal import Decimal

import pytest

from actions.models import Depense, Etat, FicheAction, Financement, Indicateur, Mesure, Stade
from actions.services import create_fiche
from contracts.models import Axe, Cls, Organisation, OrganisationType
from contracts.services import create_cls
from core.models import Role
from diagnostics.models import Enjeu
from territories.models import Commune
from tests.conftest import make_user


@pytest.fixture
def small(marne):
    """CLS « Test » (Sainte-Menehould), two axes, four fiches, four indicators, money and two issues.

    - 1.1 en cours: « Personnes accompagnées » 0 → 100, last measure 120 (2025) → reached;
      « Ateliers » target 50, measures 10 (2024) then 30 (2025) → not reached;
      ARS 2024 1 000 € acquis + ARS 2024 500 € sollicité + ARS 2025 2 000 € versé; spent 400 € in 2024.
    - 1.2 réalisée: « Guide diffusé » target 10, no measure → not assessed.
    - 2.1 en cours: « Taux de fumeurs » (rate) 100 → 80, last measure 70/100 = 70 % → reached;
      CPAM 2024 300,50 € versé; spent 100,25 € in 2024 and 50 € in 2025.
    - HA.1 without state nor axis.
    - issue « Accès aux soins » answered by 1.1; issue « Santé mentale » by none.
    """
    commune = Commune.objects.get(code="51507")
    cls = create_cls(
        Cls(
            nom="CLS de test",
            generation="1",
            departement=marne,
            porteur_commune=commune,
            date_signature=datetime.date(2022, 1, 10),
            date_debut=datetime.date(2022, 1, 10),
            date_fin=datetime.date(2027, 12, 31),
        ),
        perimeter=[commune],
    )
    axe1 = Axe.objects.create(cls=cls, numero=1, intitule="Prévention")
    axe2 = Axe.objects.create(cls=cls, numero=2, intitule="Environnement")
    ars = Organisation.objects.get_or_create(nom="ARS Grand Est", defaults={"type": OrganisationType.ARS})[0]
    cpam = Organisation.objects.get_or_create(nom="CPAM de la Marne", defaults={"type": OrganisationType.CPAM})[0]
    carrier = Organisation.objects.create(nom="Association de test", type=OrganisationType.ASSOCIATION)
    f11 = create_fiche(FicheAction(cls=cls, axe=axe1, titre="Accompagner", etat=Etat.EN_COURS, porteur=carrier))
    f12 = create_fiche(FicheAction(cls=cls, axe=axe1, titre="Informer", etat=Etat.REALISEE))
    f21 = create_fiche(FicheAction(cls=cls, axe=axe2, titre="Espaces sans tabac", etat=Etat.EN_COURS))
    fha = create_fiche(FicheAction(cls=cls, axe=None, titre="Hors axe"))
    suivis = Indicateur.objects.create(fiche=f11, libelle="Personnes accompagnées", valeur_initiale=0, cible=100)
    Mesure.objects.create(indicateur=suivis, annee=2025, valeur=120)
    ateliers = Indicateur.objects.create(fiche=f11, libelle="Ateliers", cible=50)
    Mesure.objects.create(indicateur=ateliers, annee=2024, valeur=10)
    Mesure.objects.create(indicateur=ateliers, annee=2025, valeur=30)
    Indicateur.objects.create(fiche=f12, libelle="Guide diffusé", cible=10)
    fumeurs = Indicateur.objects.create(
        fiche=f21, libelle="Taux de fumeurs", est_taux=True, valeur_initiale=100, cible=80
    )
    Mesure.objects.create(indicateur=fumeurs, annee=2025, numerateur=70, denominateur=100)
    Financement.objects.create(fiche=f11, financeur=ars, annee=2024, montant=Decimal("1000"), stade=Stade.ACQUIS)
    Financement.objects.create(fiche=f11, financeur=ars, annee=2024, montant=Decimal("500"), stade=Stade.SOLLICITE)
    Financement.objects.create(fiche=f11, financeur=ars, annee=2025, montant=Decimal("2000"), stade=Stade.VERSE)
    Financement.objects.create(fiche=f21, financeur=cpam, annee=2024, montant=Decimal("300.50"), stade=Stade.VERSE)
    Depense.objects.create(fiche=f11, annee=2024, montant=Decimal("400"))
    Depense.objects.create(fiche=f21, annee=2024, montant=Decimal("100.25"))
    Depense.objects.create(fiche=f21, annee=2025, montant=Decimal("50"))
    acces = Enjeu.objects.create(cls=cls, titre="Accès aux soins", theme="acces_soins")
    Enjeu.objects.create(cls=cls, titre="Santé mentale", theme="sante_mentale")
    f11.enjeux.add(acces)
    return {"cls": cls, "f11": f11, "f12": f12, "f21": f21, "fha": fha, "carrier": carrier, "axe1": axe1}


@pytest.fixture
def coord_small(small):
    user = make_user("coordination.test", role=Role.COORDINATEUR, email="coord@example.org")
    small["cls"].coordinateurs.add(user)
    return user


@pytest.fixture
def porteur_small(small):
    return make_user("porteur.test", role=Role.PORTEUR, organisation=small["carrier"], email="porteur@example.org")
