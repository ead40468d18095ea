"""Factories for the tests: territories, people, contracts, plans and structures built on purpose.

New tests build their data here rather than from the Marne demo, so that a case the demo lacks
(a second department, a hostile name, a huge plan) can be written down. The real Marne communes
imported once per session (``tests/conftest.py``) stay available; these factories add the rest.

    aube = DepartementFactory(code="10", nom="Aube")
    troyes = CommuneFactory(departement=aube, nom="Troyes")
    cls = ClsFactory(departement=aube, communes=[troyes], in_force=True)
    fiche = FicheActionFactory(axe__cls=cls)
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from actions.models import Etat, FicheAction, Financement
from careoffer.models import Dispositif, Structure, TypeDispositif, TypeStructure
from contracts.models import Axe, Cls, Organisation, OrganisationType
from core.models import Role, User
from territories.models import Commune, Departement, Epci, EpciType, Groupement, GroupementType, Region


class ClsFieldFactory(DjangoModelFactory):
    """A factory whose model has a field named ``cls``, which factory-boy's own ``_create`` cannot take."""

    class Meta:
        abstract = True

    @classmethod
    def _adjust_kwargs(factory_class, **kwargs):  # named so: ``cls`` is a model field here
        return kwargs

    @classmethod
    def _create(factory_class, model_class, *args, **kwargs):
        return factory_class._get_manager(model_class).create(*args, **kwargs)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "44"
    nom = "Grand Est"


class DepartementFactory(DjangoModelFactory):
    """A department of the Grand Est; the Aube (10) unless told otherwise."""

    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "10"
    nom = "Aube"
    region = factory.SubFactory(RegionFactory)


class EpciFactory(DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"2{n:08d}")
    nom = factory.Sequence(lambda n: f"Communauté de communes d'essai {n}")
    type = EpciType.CC


class CommuneFactory(DjangoModelFactory):
    """A commune of the Aube by default, with a code of its department that the COG does not use."""

    class Meta:
        model = Commune
        skip_postgeneration_save = True
        django_get_or_create = ("code",)

    departement = factory.SubFactory(DepartementFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.departement.code}{900 + n % 100:03d}"[:5])
    nom = factory.Sequence(lambda n: f"Commune d'essai {n}")
    population = 1000
    population_millesime = 2022

    @factory.post_generation
    def epcis(self, create, extracted, **kwargs):
        if create and extracted:
            self.epcis.set(extracted)


class GroupementFactory(DjangoModelFactory):
    class Meta:
        model = Groupement
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Pays d'essai {n}")
    type = GroupementType.PAYS

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)

    @factory.post_generation
    def epcis(self, create, extracted, **kwargs):
        if create and extracted:
            self.epcis.set(extracted)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("nom",)

    nom = factory.Sequence(lambda n: f"Association d'essai {n}")
    type = OrganisationType.ASSOCIATION


class UserFactory(DjangoModelFactory):
    """A reader; the traits give the other personas (``ars``, ``coordinateur``, ``porteur``)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne.{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@exemple.fr")
    role = Role.LECTEUR
    password = factory.django.Password("x-password-x")

    class Params:
        ars = factory.Trait(
            role=Role.ARS,
            departement=factory.SubFactory(DepartementFactory),
            region=factory.SelfAttribute("departement.region"),
        )
        ars_region = factory.Trait(role=Role.ARS, region=factory.SubFactory(RegionFactory))
        coordinateur = factory.Trait(role=Role.COORDINATEUR)
        porteur = factory.Trait(role=Role.PORTEUR, organisation=factory.SubFactory(OrganisationFactory))


class ClsFactory(DjangoModelFactory):
    """A CLS of the Aube in preparation; ``in_force=True`` dates it signed and running today."""

    class Meta:
        model = Cls
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"CLS d'essai {n}")
    departement = factory.SubFactory(DepartementFactory)
    porteur_commune = factory.SubFactory(CommuneFactory, departement=factory.SelfAttribute("..departement"))
    generation = "1"
    date_engagement = datetime.date(2024, 1, 15)

    class Params:
        in_force = factory.Trait(
            date_signature=datetime.date(2024, 6, 1),
            date_debut=datetime.date(2024, 6, 1),
            date_fin=datetime.date(2029, 5, 31),
        )

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)

    @factory.post_generation
    def coordinateurs(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinateurs.set(extracted)

    @factory.post_generation
    def dates(self, create, extracted, **kwargs):
        """Derive the stored dates (state at a date) from the milestones, as the services do."""
        if create:
            from contracts.services import refresh_derived_dates

            refresh_derived_dates(self)


class AxeFactory(ClsFieldFactory):
    class Meta:
        model = Axe

    cls = factory.SubFactory(ClsFactory)
    numero = factory.Sequence(lambda n: n + 1)
    intitule = factory.Sequence(lambda n: f"Axe d'essai {n}")


class FicheActionFactory(ClsFieldFactory):
    class Meta:
        model = FicheAction
        skip_postgeneration_save = True

    axe = factory.SubFactory(AxeFactory)
    cls = factory.SelfAttribute("axe.cls")
    rang = factory.Sequence(lambda n: n + 1)
    titre = factory.Sequence(lambda n: f"Action d'essai {n}")
    description = "Une action écrite pour un test."
    porteur = factory.SubFactory(OrganisationFactory)
    etat = Etat.EN_COURS


class FinancementFactory(DjangoModelFactory):
    class Meta:
        model = Financement

    fiche = factory.SubFactory(FicheActionFactory)
    financeur = factory.SubFactory(OrganisationFactory)
    annee = 2025
    montant = Decimal("1000.00")


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    type = TypeStructure.MSP
    nom = factory.Sequence(lambda n: f"Maison de santé d'essai {n}")
    departement = factory.SubFactory(DepartementFactory)
    commune = factory.SubFactory(CommuneFactory, departement=factory.SelfAttribute("..departement"))
    date_ouverture = datetime.date(2020, 1, 1)


class InstanceFactory(ClsFieldFactory):
    """A governing body (COPIL by default) of a CLS of the Aube: ``InstanceFactory(contrat=cls)``.

    ``cls`` cannot be passed by keyword to a factory call (factory-boy's own first argument):
    ``contrat`` says which CLS; through a sub-factory, ``instance_gouvernance__cls=cls`` works too.
    """

    class Meta:
        model = "steering.Instance"

    class Params:
        contrat = None

    cls = factory.Maybe(
        "contrat", yes_declaration=factory.SelfAttribute("contrat"), no_declaration=factory.SubFactory(ClsFactory)
    )
    type = "copil"
    nom = factory.Sequence(lambda n: f"Comité de pilotage d'essai {n}")


class MembreFactory(DjangoModelFactory):
    class Meta:
        model = "steering.Membre"

    instance_gouvernance = factory.SubFactory(InstanceFactory)
    nom = factory.Sequence(lambda n: f"Personne d'essai {n}")
    fonction = "Chargée de mission"


class ReunionFactory(DjangoModelFactory):
    class Meta:
        model = "steering.Reunion"

    instance_gouvernance = factory.SubFactory(InstanceFactory)
    date = datetime.date(2025, 3, 12)
    heure = datetime.time(14, 30)
    lieu = "Salle du conseil"


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = "steering.Decision"

    reunion = factory.SubFactory(ReunionFactory)
    texte = factory.Sequence(lambda n: f"Décision d'essai {n}")


class DispositifFactory(DjangoModelFactory):
    """A medico-social scheme (a GEM open 35 hours a week unless told otherwise)."""

    class Meta:
        model = Dispositif

    type = TypeDispositif.GEM
    nom = factory.Sequence(lambda n: f"GEM d'essai {n}")
    departement = factory.SubFactory(DepartementFactory)
    commune = factory.SubFactory(CommuneFactory, departement=factory.SelfAttribute("..departement"))
    heures_hebdo = Decimal("35.0")
