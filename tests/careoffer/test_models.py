import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from careoffer import services
from careoffer.models import (
    AnneeScolaireDispositif,
    ComptageDeclare,
    Dispositif,
    Etat,
    Precision,
    Structure,
    TypeDispositif,
    TypeStructure,
    format_forecast,
)
from careoffer.queries import cls_section_context, count_rows, forecast_projects, school_year_rows
from demo.careoffer import load_care_offer_demo
from territories.models import Commune

D = datetime.date
pytestmark = pytest.mark.django_db


def make_structure(marne, **fields):
    defaults = {"type": TypeStructure.MSP, "nom": "MSP d'essai", "commune": Commune.objects.get(code="51454")}
    structure = Structure(departement=marne, **(defaults | fields))
    return services.save_structure(structure, read_version=None)


@pytest.mark.parametrize(
    ("day", "precision", "text"),
    [
        (D(2024, 1, 1), Precision.TRIMESTRE, "T1 2024"),
        (D(2024, 10, 1), Precision.TRIMESTRE, "T4 2024"),
        (D(2024, 1, 1), Precision.ANNEE, "2024"),
        (D(2024, 3, 15), Precision.JOUR, "15/03/2024"),
        (None, Precision.JOUR, ""),
    ],
)
def test_forecast_display(day, precision, text):
    assert format_forecast(day, precision) == text


def test_a_quarter_forecast_must_start_its_quarter(marne):
    with pytest.raises(ValidationError) as error:
        make_structure(marne, date_prevision=D(2024, 2, 1), precision_prevision=Precision.TRIMESTRE)
    assert "premier jour de la période" in str(error.value)


def test_state_follows_dated_transitions(marne):
    msp = make_structure(marne, date_projet=D(2023, 6, 1))
    assert msp.etat_at(D(2023, 7, 1)) == Etat.PROJET
    services.open_structure(msp, day=D(2024, 2, 12))
    services.close_structure(msp, day=D(2025, 12, 31))
    assert [msp.etat_at(day) for day in (D(2024, 2, 11), D(2024, 2, 12), D(2025, 12, 31))] == [
        Etat.PROJET,
        Etat.FONCTIONNEMENT,
        Etat.FERME,
    ]
    assert msp.history.count() == 3  # created, opened, closed: each change is recorded
    queryset = Structure.objects.filter(pk=msp.pk)
    assert queryset.projets_at(D(2023, 7, 1)).exists()
    assert not queryset.projets_at(D(2023, 5, 1)).exists()  # not yet a known project
    assert queryset.en_fonctionnement_at(D(2025, 1, 1)).exists()
    assert queryset.fermees_at(D(2026, 1, 1)).exists()


def test_transitions_in_the_wrong_order_are_refused(marne):
    msp = make_structure(marne, date_projet=D(2023, 6, 1))
    with pytest.raises(ValidationError, match="n'a pas ouvert"):
        services.close_structure(msp, day=D(2024, 1, 1))
    with pytest.raises(ValidationError, match="avant le début de son projet"):
        services.open_structure(msp, day=D(2023, 1, 1))
    services.open_structure(msp, day=D(2024, 1, 1))
    with pytest.raises(ValidationError, match="déjà ouverte"):
        services.open_structure(msp, day=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="précéder l'ouverture"):
        services.close_structure(msp, day=D(2023, 12, 1))
    with pytest.raises(ValidationError):
        make_structure(marne, nom="Autre", date_fermeture=D(2024, 1, 1))


@pytest.mark.parametrize(
    ("kind", "medecins", "paramedicales", "alerts"),
    [
        (TypeStructure.MSP, 3, 2, 0),
        (TypeStructure.MSP, 1, 2, 1),
        (TypeStructure.MSP, 2, 0, 1),
        (TypeStructure.MSP, 1, 0, 2),
        (TypeStructure.MSP, None, None, 0),  # unknown is not a breach
        (TypeStructure.ESP, 1, 0, 0),  # the rule is the MSP's
    ],
)
def test_msp_members_flag(marne, kind, medecins, paramedicales, alerts):
    structure = make_structure(marne, type=kind, nb_medecins=medecins, nb_professions_paramedicales=paramedicales)
    assert len(structure.alertes_membres()) == alerts


def test_demo_counts_by_kind_and_state_beside_declared_counts(care, marne):
    rows = {row["type"]: row for row in count_rows(marne, D(2024, 1, 15))}
    assert (rows["mmg"]["fonctionnement"], rows["mmg"]["projet"]) == (1, 0)
    assert (rows["msp"]["fonctionnement"], rows["msp"]["projet"]) == (0, 2)
    assert rows["cpts"]["projet"] == 1
    declared = {kind: row["declare"].valeur for kind, row in rows.items() if row["declare"]}
    assert declared == {"msp": 20, "esp": 3, "cpts": 4, "mmg": 5}
    assert rows["mmg"]["declare"].source.startswith("ARS Grand Est, délégation territoriale de la Marne")
    # Before the MMG opened it is not counted as operating.
    assert {row["type"]: row for row in count_rows(marne, D(2023, 9, 4))}["mmg"]["fonctionnement"] == 0


def test_counts_are_one_query(care, marne, django_assert_num_queries):
    with django_assert_num_queries(1):
        Structure.objects.filter(departement=marne).counts_at(D(2024, 1, 1))


def test_projects_in_forecast_order(care, marne):
    make_structure(marne, nom="MSP précise", date_prevision=D(2023, 12, 1), date_projet=D(2023, 1, 1))
    names = [s.nom for s in forecast_projects(marne, D(2024, 1, 15))]
    assert names == ["MSP précise", "CPTS de Reims", "MSP de Sainte-Menehould", "MSP de Vitry-le-François"]
    assert [s.prevision for s in forecast_projects(marne, D(2024, 1, 15))][1:] == ["2024", "T1 2024", "T1 2024"]


def test_budgets_and_children_per_school_year(care, marne):
    rows = {(r["annee"], r["dispositif__type"]): r for r in school_year_rows(marne)}
    assert rows[(2022, "uema")]["unites"] == 3
    assert rows[(2022, "uema")]["budget"] == Decimal("840000")
    assert rows[(2023, "uema")]["unites"] == 4
    assert rows[(2023, "uema")]["enfants"] == 28
    assert rows[(2023, "uema")]["budget"] == Decimal("1120000")
    assert rows[(2023, "ueea")]["budget"] == Decimal("280000")
    assert rows[(2023, "ueea")]["enfants_renseignes"] == 0  # the seed gives 13 in total, not per unit
    assert rows[(2023, "ueea")]["enfants_declares"].valeur == 13


def test_gem_subsidies_and_35_hours(care, marne):
    gem = care["gem_reims"]
    assert [(s.annee, s.montant) for s in gem.subventions.all()] == [
        (2022, Decimal("41500.00")),
        (2023, Decimal("94188.23")),
        (2024, Decimal("90336.24")),
    ]
    assert sum(s.montant for s in gem.subventions.all()) == Decimal("226024.47")
    gem.heures_hebdo = Decimal("30")
    with pytest.raises(ValidationError, match="35 heures"):
        gem.full_clean()


def test_enrolment_cannot_exceed_capacity(care):
    year = AnneeScolaireDispositif(dispositif=care["uema_epernay"], annee=2024, enfants_inscrits=8)
    with pytest.raises(ValidationError, match="places"):
        year.full_clean()


def test_demo_is_idempotent(care):
    counts = (Structure.objects.count(), Dispositif.objects.count(), ComptageDeclare.objects.count())
    load_care_offer_demo()
    assert (Structure.objects.count(), Dispositif.objects.count(), ComptageDeclare.objects.count()) == counts
    assert Dispositif.objects.filter(type=TypeDispositif.UEMA).count() == 4


def test_structure_knows_the_cls_in_force_on_its_territory(care):
    cpts = care["cpts_reims"]
    assert [str(cls) for cls in cpts.cls_at(D(2019, 6, 1))] == ["Contrat local de santé de Reims (CLS 2+)"]
    assert list(care["msp_vitry"].cls_at(D(2024, 1, 15)).values_list("generation", flat=True)) == ["3"]


def test_cls_section_lists_what_lies_in_the_perimeter(care, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        context = cls_section_context(demo["chalons2"], D(2024, 1, 15))
    assert [s.nom for s, _etat in context["offre_structures"]] == ["Maison médicale de garde de Châlons-en-Champagne"]
    assert {d.nom for d in context["offre_dispositifs"]} == {
        "UEMA de Châlons-en-Champagne",
        "UEEA de Châlons-en-Champagne",
    }
    reims = cls_section_context(demo["reims3"], D(2024, 1, 15))
    assert [s.nom for s, _etat in reims["offre_structures"]] == ["CPTS de Reims"]
    assert len(reims["offre_dispositifs"]) == 4  # GEM, two UEMA, one UEEA


def test_demo_mmg_matches_the_seed(care):
    mmg = care["mmg_chalons"]
    assert mmg.date_ouverture == D(2023, 9, 5)
    assert [str(c) for c in mmg.creneaux.all()] == [
        "Samedi 14:00-17:00",
        "Samedi 20:00-22:00",
        "Dimanche 10:00-12:00",
        "Dimanche 14:00-17:00",
        "Dimanche 20:00-22:00",
        "Jours fériés 10:00-12:00",
        "Jours fériés 14:00-17:00",
        "Jours fériés 20:00-22:00",
    ]
    activity = mmg.activites.get()
    assert (activity.consultations_par_weekend, activity.part_centre15, activity.part_urgences) == (
        Decimal("33.0"),
        Decimal("66.7"),
        Decimal("33.3"),
    )
    assert mmg.cls_at(D(2023, 12, 31)).get().nom.startswith("Contrat local de santé de Châlons")
