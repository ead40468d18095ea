"""Every form a person posts, fed random and extreme values: a page or a French error, never a 500,
never a partial write.

Each form is first read (GET) as a user allowed to post it; the test then posts its fields with
valid values, a few of them replaced by values drawn by Hypothesis (dates in year 1 or 9999,
1e308, -1, « 1 000,50 € », markup, 100 KB strings, empty…). When the answer is the form again
with errors, no row of any domain table (their history included) has changed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django import forms
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Indicateur
from careoffer.models import Dispositif, TypeDispositif, TypeStructure
from steering.models import Decision, Instance, Reunion, TypeInstance
from steering.services import open_campaign
from tests.factories import (
    ClsFactory,
    CommuneFactory,
    DepartementFactory,
    FicheActionFactory,
    GroupementFactory,
    OrganisationFactory,
    StructureFactory,
    UserFactory,
)

DOMAIN_APPS = ("actions", "careoffer", "contracts", "diagnostics", "evaluation", "public", "steering", "territories")
EXAMPLES_PER_FORM = 10
ENGLISH = re.compile(r"\b(Enter a|Ensure|This field|Select a valid|is not|must be|invalid|out of range|year)\b")

EXTREMES = [
    "",
    " ",
    "31/12/9999",
    "9999-12-31",
    "0001-01-01",
    "01/01/0001",
    "1899-12-31",
    "2101-01-01",
    "10000-01-01",
    "2024-02-30",
    "0000",
    "T1 0000",
    "T4 9999",
    "1e308",
    "-1e308",
    "1e30",
    "1e40",
    "1E-400",
    "-1",
    "0",
    "-0.001",
    "32768",
    "2147483648",
    "9223372036854775808",
    "9999999999.99",
    "10000000000",
    "1000000000000.01",
    "NaN",
    "Infinity",
    "-inf",
    "1 000,50 €",
    "1\u202f000,50\u00a0€",
    "12,345",
    "abc",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example")',
    "%_%",
    "x" * 100_000,
    "é" * 5_000,
    "\x00",
]

extreme_values = st.one_of(
    st.sampled_from(EXTREMES),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.strftime("%d/%m/") + f"{d.year:04d}"),
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
)


@dataclass
class World:
    agent: object
    cls: object
    fiche: object
    indicateur: object
    instance: object
    reunion: object
    decision: object
    structure: object
    dispositif: object
    groupement: object
    reponse: object
    commune: object


def build_world() -> World:
    aube = DepartementFactory()
    commune = CommuneFactory(departement=aube)
    agent = UserFactory(ars=True)
    cls = ClsFactory(in_force=True, departement=aube, communes=[commune], porteur_commune=commune)
    fiche = FicheActionFactory(axe__cls=cls, porteur=OrganisationFactory())
    indicateur = Indicateur.objects.create(fiche=fiche, libelle="Personnes accueillies")
    instance = Instance.objects.create(cls=cls, type=TypeInstance.COPIL, nom="Comité de pilotage")
    reunion = Reunion.objects.create(instance_gouvernance=instance, date=datetime.date(2025, 3, 1))
    decision = Decision.objects.create(reunion=reunion, texte="Relancer les partenaires.")
    campagne = open_campaign(cls=cls, annee=2024, user=agent, today=datetime.date(2025, 1, 15))
    dispositif = Dispositif.objects.create(
        type=TypeDispositif.GEM, nom="GEM d'essai", departement=aube, commune=commune, heures_hebdo=35
    )
    return World(
        agent=agent,
        cls=cls,
        fiche=fiche,
        indicateur=indicateur,
        instance=instance,
        reunion=reunion,
        decision=decision,
        structure=StructureFactory(departement=aube, commune=commune, type=TypeStructure.MMG),
        dispositif=dispositif,
        groupement=GroupementFactory(communes=[commune]),
        reponse=campagne.reponses.first(),
        commune=commune,
    )


# (id, address of the form page) for every form a person posts.
FORMS = {
    "fiche-nouvelle": lambda w: f"/cls/{w.cls.pk}/plan/nouvelle-fiche/",
    "fiche-modifier": lambda w: f"/actions/{w.fiche.pk}/modifier/",
    "fiche-etat": lambda w: f"/actions/{w.fiche.pk}/etat/",
    "fiche-note": lambda w: f"/actions/{w.fiche.pk}/notes/nouvelle/",
    "fiche-etape": lambda w: f"/actions/{w.fiche.pk}/etapes/nouvelle/",
    "fiche-financement": lambda w: f"/actions/{w.fiche.pk}/financements/nouveau/",
    "fiche-depense": lambda w: f"/actions/{w.fiche.pk}/depenses/nouvelle/",
    "fiche-indicateur": lambda w: f"/actions/{w.fiche.pk}/indicateurs/nouveau/",
    "indicateur-mesure": lambda w: f"/actions/{w.fiche.pk}/indicateurs/{w.indicateur.pk}/valeur/",
    "plan-coordination": lambda w: f"/cls/{w.cls.pk}/plan/coordination/",
    "cls-nouveau": lambda w: "/cls/nouveau/",
    "cls-modifier": lambda w: f"/cls/{w.cls.pk}/modifier/",
    "cls-signataires": lambda w: f"/cls/{w.cls.pk}/signataires/?bouton=signataire",
    "cls-organisation": lambda w: f"/cls/{w.cls.pk}/signataires/?bouton=organisation",
    "cls-axes": lambda w: f"/cls/{w.cls.pk}/axes/",
    "cls-avenant": lambda w: f"/cls/{w.cls.pk}/avenants/nouveau/",
    "instance-nouvelle": lambda w: f"/cls/{w.cls.pk}/gouvernance/instances/nouvelle/",
    "instance-modifier": lambda w: f"/instances/{w.instance.pk}/modifier/",
    "membre-nouveau": lambda w: f"/instances/{w.instance.pk}/membres/nouveau/",
    "reunion-nouvelle": lambda w: f"/cls/{w.cls.pk}/gouvernance/reunions/nouvelle/",
    "reunion-modifier": lambda w: f"/reunions/{w.reunion.pk}/modifier/",
    "decision-nouvelle": lambda w: f"/reunions/{w.reunion.pk}/decisions/nouvelle/",
    "decision-modifier": lambda w: f"/decisions/{w.decision.pk}/modifier/",
    "revue-ouvrir": lambda w: f"/cls/{w.cls.pk}/revues/nouvelle/",
    "revue-reponse": lambda w: f"/revues/reponses/{w.reponse.pk}/",
    "evaluation": lambda w: f"/cls/{w.cls.pk}/evaluation/",
    "evaluation-action": lambda w: f"/cls/{w.cls.pk}/evaluation/actions/{w.fiche.pk}/",
    "apport-nouveau": lambda w: f"/cls/{w.cls.pk}/diagnostic/apports/nouveau/",
    "enjeu-nouveau": lambda w: f"/cls/{w.cls.pk}/diagnostic/enjeux/nouveau/",
    "structure-nouvelle": lambda w: "/departements/10/offre-de-soins/nouvelle-structure/",
    "structure-modifier": lambda w: f"/offre-de-soins/structures/{w.structure.pk}/modifier/",
    "structure-activite": lambda w: f"/offre-de-soins/structures/{w.structure.pk}/activite/",
    "dispositif-nouveau": lambda w: "/departements/10/offre-de-soins/nouveau-dispositif/",
    "dispositif-modifier": lambda w: f"/offre-de-soins/dispositifs/{w.dispositif.pk}/modifier/",
    "dispositif-annees": lambda w: f"/offre-de-soins/dispositifs/{w.dispositif.pk}/annees-scolaires/",
    "groupement-nouveau": lambda w: "/groupements/nouveau/",
    "groupement-modifier": lambda w: f"/groupements/{w.groupement.pk}/modifier/",
    "point-de-situation": lambda w: f"/cls/{w.cls.pk}/point-de-situation/",
    "contact-public": lambda w: f"/cls/{w.cls.pk}/contact-public/",
}


def good_value(field: forms.Field, name: str, initial, world: World):
    """A value that this field accepts, so that the drawn values reach the deeper checks."""
    multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    if name in ("commune_code", "porteur", "perimetre", "commune_codes") and not isinstance(field, forms.ChoiceField):
        return world.commune.code
    if name in ("id", "DELETE") and initial in (None, "", False):
        return ""  # an extra form of a formset: a new row
    if initial not in (None, "", []):
        if isinstance(initial, list | tuple | set):
            return [getattr(v, "pk", v) for v in initial]
        if isinstance(initial, datetime.date):
            return initial.isoformat()
        return str(getattr(initial, "pk", initial))
    if isinstance(field, forms.BooleanField):
        return ""
    if name == "valeur":
        return "40"
    if not field.required:
        return [] if multiple else ""
    if name == "generation":
        return "1"
    if isinstance(field, forms.DateField):
        return "2025-03-01"
    if isinstance(field, forms.TimeField):
        return "14:00"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "2025" if "annee" in name else "10"
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _ in field.choices if value not in ("", None)]
        if not values:
            return ""
        return values[:1] if multiple else values[0]
    if isinstance(field, forms.EmailField):
        return "personne@exemple.fr"
    if isinstance(field, forms.FileField):
        return ""
    return "Texte d'essai"


def forms_of(context) -> list[forms.BaseForm | forms.BaseFormSet]:
    """The forms and formsets a page renders (its version form and side forms included)."""
    found = {}
    for key in context.keys():  # noqa: SIM118 (a ContextList iterates over its contexts)
        value = context.get(key)
        if isinstance(value, forms.BaseForm | forms.BaseFormSet):
            found.setdefault(id(value), value)
    return list(found.values())


def fields_of(form_or_set) -> list[tuple[str, forms.Field, object]]:
    """(posted name, field, initial) of a form, or of every form of a formset and its management form."""
    if isinstance(form_or_set, forms.BaseFormSet):
        rows = fields_of(form_or_set.management_form)
        for form in form_or_set.forms:
            rows += fields_of(form)
        return rows
    return [
        (form_or_set.add_prefix(name), field, form_or_set[name].value())
        for name, field in form_or_set.fields.items()
        if not field.disabled
    ]


def valid_payload(response, world: World) -> dict:
    """What the form page's forms accept as they stand: each field at its initial or a plausible value."""
    fields = [row for f in forms_of(response.context) for row in fields_of(f)]
    return {name: good_value(field, name.rsplit("-", 1)[-1], initial, world) for name, field, initial in fields}


def snapshot() -> dict[str, int]:
    models = [m for label in DOMAIN_APPS for m in apps.get_app_config(label).get_models(include_auto_created=True)]
    return {m._meta.label: m._default_manager.count() for m in models}


def error_texts(context) -> list[str]:
    texts = []
    for form_or_set in forms_of(context):
        subforms = [form_or_set]
        if isinstance(form_or_set, forms.BaseFormSet):
            subforms = [*form_or_set.forms]
            texts += [str(e) for e in form_or_set.non_form_errors()]
        for form in subforms:
            for errors in form.errors.values():
                texts += [str(e) for e in errors]
    return texts


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("page", list(FORMS))
def test_form_answers_extreme_values_with_a_page_or_a_french_error(client, world, page):
    client.force_login(world.agent)
    client.raise_request_exception = False
    url = FORMS[page](world)
    response = client.get(url)
    assert response.status_code == 200, f"{url} is not open to the test user"
    fields = [row for f in forms_of(response.context) for row in fields_of(f)]
    assert fields, f"no form found on {url}"
    base = valid_payload(response, world)
    if "?bouton=" in url:  # a page of two forms: the button pressed says which one is posted
        base[url.rsplit("=", 1)[1]] = "1"
    names = sorted(name for name, field, _ in fields if not isinstance(field.widget, forms.HiddenInput))

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def post_drawn_values(data):
        payload = dict(base)
        for name in data.draw(st.sets(st.sampled_from(names), max_size=3), label="fields replaced"):
            payload[name] = data.draw(extreme_values, label=name)
        payload = {k: v for k, v in payload.items() if v is not None}
        before = snapshot()
        response = client.post(url, payload)
        assert response.status_code != 500, f"500 on {url} with {_short(payload)}"
        assert response.status_code in (200, 302), f"{response.status_code} on {url}"
        if response.status_code == 302:  # saved: the next examples post the new version, as a person would
            fresh = valid_payload(client.get(url), world)
            base.update({k: v for k, v in fresh.items() if k.rsplit("-", 1)[-1] == "version"})
        if response.status_code == 200 and response.context is not None:
            errors = error_texts(response.context)
            if errors:
                assert snapshot() == before, f"partial write on {url} with {_short(payload)}"
                english = [e for e in errors if ENGLISH.search(e)]
                assert not english, f"untranslated error on {url}: {english}"

    post_drawn_values()


def _short(payload: dict) -> dict:
    return {k: (v[:60] + "…" if isinstance(v, str) and len(v) > 60 else v) for k, v in payload.items()}
