"""The open data read in batches (``public.opendata.load_lists``, the fast JSON writer) publishes exactly
what each record's own relations hold, in the same order, with the bytes ``json.dumps`` would write."""

import json

import pytest
from django.utils import timezone
from factory.django import DjangoModelFactory

from actions.models import Public, Theme
from careoffer.models import Structure, TypeStructure
from contracts.models import AxeKind, Cls, Signataire
from public import opendata
from public.fields import DATASETS, PublicContext
from territories.models import Commune
from tests.factories import ClsFactory, FicheActionFactory, OrganisationFactory, StructureFactory
from tests.public.test_large_plans import queries_of

pytestmark = pytest.mark.django_db


class PublicFactory(DjangoModelFactory):
    class Meta:
        model = Public


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme


@pytest.fixture
def context():
    return PublicContext(today=timezone.localdate(), page_url=lambda pk: f"http://testserver/public/cls/{pk}/")


@pytest.fixture
def marne_codes():
    return list(Commune.objects.filter(departement__code="51").order_by("-code").values_list("code", flat=True)[:3])


def by_id(records: list[dict]) -> dict[int, dict]:
    return {record["id"]: record for record in records}


def test_fiche_lists_are_each_fiches_own_in_the_order_of_their_lists(context, marne_codes):
    cls = ClsFactory(in_force=True)
    listed = FicheActionFactory(axe__cls=cls)
    listed.partenaires.set([OrganisationFactory(nom="Zèbre santé"), OrganisationFactory(nom="Abeille prévention")])
    late, early = PublicFactory(nom="Aînés", ordre=2), PublicFactory(nom="Jeunes", ordre=1)
    listed.publics.set([late, early])
    listed.themes.set([ThemeFactory(nom="Nutrition"), ThemeFactory(nom="Addictions")])
    listed.lieux.set(Commune.objects.filter(code__in=marne_codes))
    bare = FicheActionFactory(axe__cls=cls)

    records = by_id(opendata.dataset_rows("actions", context))

    assert records[listed.pk]["partenaires"] == ["Abeille prévention", "Zèbre santé"]
    assert records[listed.pk]["publics"] == ["Jeunes", "Aînés"]  # the list's order (ordre), not the alphabet
    assert records[listed.pk]["themes"] == ["Addictions", "Nutrition"]
    assert records[listed.pk]["communes_insee"] == sorted(marne_codes)
    for name in ("partenaires", "publics", "themes", "communes_insee"):
        assert records[bare.pk][name] == []
    for fiche in (listed, bare):  # read alone, without the batch: the same values
        alone = {f.name: f.value(fiche, context) for f in DATASETS["actions"].fields}
        assert alone == records[fiche.pk]


def contract_with_lists(communes) -> Cls:
    """A CLS in force with a perimeter, three axes (one a priority, one cross-cutting) and two signatories."""
    cls = ClsFactory(in_force=True, communes=communes)
    FicheActionFactory(axe__cls=cls, axe__numero=2, axe__intitule="Santé mentale")
    FicheActionFactory(axe__cls=cls, axe__numero=1, axe__type=AxeKind.PRIORITE, axe__intitule="Jeunes")
    FicheActionFactory(axe__cls=cls, axe__numero=None, axe__transversal=True, axe__intitule="Coordination")
    for name in ("Zèbre santé", "Abeille prévention"):
        Signataire.objects.create(cls=cls, organisation=OrganisationFactory(nom=f"{name} {cls.pk}"))
    return cls


def test_contract_lists_and_population_are_each_contracts_own(context, marne_codes):
    communes = list(Commune.objects.filter(code__in=marne_codes))
    cls, bare = contract_with_lists(communes), ClsFactory()

    records = by_id(opendata.dataset_rows("contrats", context))

    record = records[cls.pk]
    assert record["communes_insee"] == sorted(marne_codes)
    assert record["nombre_communes"] == 3
    assert record["population"] == sum(c.population for c in communes)
    assert record["population_millesime"] == max(c.population_millesime for c in communes)
    assert record["signataires"] == [f"Abeille prévention {cls.pk}", f"Zèbre santé {cls.pk}"]
    assert record["axes"] == ["Priorité 1 : Jeunes", "Axe 2 : Santé mentale", "Axe transversal : Coordination"]
    assert record["axes"] == [str(axe) for axe in cls.axes.all()]
    empty = records[bare.pk]
    assert (empty["communes_insee"], empty["nombre_communes"], empty["population"]) == ([], 0, 0)
    assert (empty["population_millesime"], empty["signataires"], empty["axes"]) == (None, [], [])
    for contract in (cls, bare):  # read alone, without the batch: the same values
        alone = Cls.objects.get(pk=contract.pk)
        assert {f.name: f.value(alone, context) for f in DATASETS["contrats"].fields} == records[contract.pk]


def test_the_contracts_file_takes_as_many_queries_for_12_contracts_as_for_2(
    client, marne_codes, django_assert_max_num_queries
):
    communes = list(Commune.objects.filter(code__in=marne_codes))
    for _ in range(2):
        contract_with_lists(communes)
    with_2 = queries_of(client, "/public/donnees/contrats.json")
    for _ in range(10):
        contract_with_lists(communes)
    with django_assert_max_num_queries(with_2):
        assert len(json.loads(client.get("/public/donnees/contrats.json").getvalue())) == 12


def test_a_cpts_territory_is_its_own_communes_sorted(context, marne_codes):
    cpts = StructureFactory(type=TypeStructure.CPTS)
    cpts.communes.set(Commune.objects.filter(code__in=marne_codes))
    records = by_id(opendata.dataset_rows("structures", context))
    assert records[cpts.pk]["territoire_insee"] == sorted(marne_codes)
    field = next(f for f in DATASETS["structures"].fields if f.name == "territoire_insee")
    assert field.value(Structure.objects.get(pk=cpts.pk), context) == sorted(marne_codes)


def test_the_json_file_has_the_bytes_json_dumps_writes(context):
    cls = ClsFactory(in_force=True, nom='Guillemets " et \\ barre')
    FicheActionFactory(
        axe__cls=cls,
        titre="Tab\tretour\r\nligne\u2028séparateur, émoji 🩺, contrôle \x01, =formule",
        description="",
    )
    dataset = DATASETS["actions"]
    records = opendata.dataset_rows("actions", context)
    expected = json.dumps(opendata.file_records(dataset, records), ensure_ascii=False, indent=1).encode()
    assert opendata.to_json(dataset, records) == expected
    assert json.loads(expected)[0]["description"] is None
    assert opendata.to_json(dataset, []) == json.dumps([], indent=1).encode()
