"""The Marne care offer from seed 000 (ARS DT 51 report, late 2023).

Only what the seed states: the MMG of Châlons-en-Champagne, three projects, the GEM Autisme
of Reims, the autism teaching units, and the department's declared counts (20 MSP, 3 ESP,
4 CPTS, 5 MMG) kept as declared figures rather than invented structures. Unknown fields
(addresses, schools, carriers of the teaching units, members) stay empty. Idempotent:
records are looked up by department, type and name.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from careoffer import services
from careoffer.models import (
    ActiviteMmg,
    AnneeScolaireDispositif,
    ComptageDeclare,
    Dispositif,
    Indicateur,
    Jour,
    Precision,
    Structure,
    Subvention,
    TypeDispositif,
    TypeStructure,
)
from contracts.models import Organisation, OrganisationType
from territories.models import Commune, Departement

D = datetime.date
T = datetime.time
SOURCE = "ARS Grand Est, délégation territoriale de la Marne — rapport de fin 2023 (document source 000)"
REPORT_DATE = D(2023, 12, 31)  # the report is dated « fin 2023 »: figures are recorded at the year's end
REIMS, CHALONS, EPERNAY, SAINTE_MENEHOULD, VITRY = "51454", "51108", "51230", "51507", "51649"
UEMA_BUDGET, UEEA_BUDGET = Decimal("280000"), Decimal("140000")
PROJECT_NOTE = (
    "Projet « en cours de déploiement » dans le rapport de fin 2023 : la date du rapport est retenue comme "
    "date à laquelle le projet est connu."
)


def _structure(departement, kind, nom, commune_code, *, communes=(), slots=None, **fields) -> Structure:
    structure = Structure.objects.filter(departement=departement, type=kind, nom=nom).first()
    if structure is None:
        structure = Structure(departement=departement, type=kind, nom=nom, source=SOURCE, **fields)
        structure.commune = Commune.objects.get(code=commune_code)
        services.save_structure(
            structure,
            read_version=None,
            communes=list(Commune.objects.filter(code__in=communes)),
            slots=slots,
        )
    return structure


def _dispositif(departement, kind, nom, commune_code, **fields) -> Dispositif:
    dispositif = Dispositif.objects.filter(departement=departement, type=kind, nom=nom).first()
    if dispositif is None:
        dispositif = Dispositif(
            departement=departement,
            type=kind,
            nom=nom,
            commune=Commune.objects.get(code=commune_code),
            source=SOURCE,
            **fields,
        )
        dispositif.full_clean()
        dispositif.save()
    return dispositif


def _school_year(dispositif, annee, *, enfants, budget, source=SOURCE):
    AnneeScolaireDispositif.objects.get_or_create(
        dispositif=dispositif, annee=annee, defaults={"enfants_inscrits": enfants, "budget": budget, "source": source}
    )


def _declared(departement, kind, valeur, *, indicateur=Indicateur.STRUCTURES, annee_scolaire=None):
    ComptageDeclare.objects.get_or_create(
        departement=departement,
        type=kind,
        indicateur=indicateur,
        date=REPORT_DATE,
        defaults={"valeur": valeur, "annee_scolaire": annee_scolaire, "source": SOURCE},
    )


@transaction.atomic
def load_care_offer_demo() -> dict[str, Structure | Dispositif]:
    marne = Departement.objects.get(code="51")
    ars, _ = Organisation.objects.get_or_create(nom="ARS Grand Est", defaults={"type": OrganisationType.ARS})
    papillons, _ = Organisation.objects.get_or_create(
        nom="Association Papillons Blancs en Champagne", defaults={"type": OrganisationType.ASSOCIATION}
    )
    weekend = [(Jour.SAMEDI, T(14), T(17)), (Jour.SAMEDI, T(20), T(22))]
    sunday_like = [(T(10), T(12)), (T(14), T(17)), (T(20), T(22))]
    slots = weekend + [(day, s, e) for day in (Jour.DIMANCHE, Jour.FERIE) for s, e in sunday_like]
    records = {}
    records["mmg_chalons"] = mmg = _structure(
        marne,
        TypeStructure.MMG,
        "Maison médicale de garde de Châlons-en-Champagne",
        CHALONS,
        adresse="Au sein du Centre hospitalier de Châlons-en-Champagne",
        date_ouverture=D(2023, 9, 5),
        slots=slots,
        observations=(
            "Voulue conjointement par le Conseil départemental de l'Ordre des médecins de la Marne, la MSP de "
            "Saint-Martin-sur-le-Pré et l'ARS Grand Est ; gérée par les médecins généralistes libéraux volontaires, "
            "plannings organisés avec le Conseil départemental de l'Ordre. Le reste des horaires de permanence des "
            "soins (samedi 12 h-minuit, dimanche et jours fériés 8 h-minuit) est réservé aux visites à domicile."
        ),
    )
    ActiviteMmg.objects.get_or_create(
        structure=mmg,
        debut=D(2023, 9, 5),
        defaults={
            "consultations_par_weekend": Decimal("33"),
            "part_centre15": Decimal("66.7"),
            "part_urgences": Decimal("33.3"),
            "source": SOURCE + " : « environ 33 consultations chaque week-end, environ 2/3 sur orientation du "
            "Centre 15, le tiers orientés par les urgences du Centre hospitalier »",
        },
    )
    records["msp_sainte_menehould"] = _structure(
        marne,
        TypeStructure.MSP,
        "MSP de Sainte-Menehould",
        SAINTE_MENEHOULD,
        date_prevision=D(2024, 1, 1),
        precision_prevision=Precision.TRIMESTRE,
        date_projet=REPORT_DATE,
        observations=PROJECT_NOTE,
    )
    records["msp_vitry"] = _structure(
        marne,
        TypeStructure.MSP,
        "MSP de Vitry-le-François",
        VITRY,
        date_prevision=D(2024, 1, 1),
        precision_prevision=Precision.TRIMESTRE,
        date_projet=REPORT_DATE,
        observations=PROJECT_NOTE,
    )
    records["cpts_reims"] = _structure(
        marne,
        TypeStructure.CPTS,
        "CPTS de Reims",
        REIMS,
        communes=[REIMS],
        date_prevision=D(2024, 1, 1),
        precision_prevision=Precision.ANNEE,
        date_projet=REPORT_DATE,
        observations=PROJECT_NOTE + " Territoire : Reims (le document source ne précise pas d'autres communes).",
    )
    for kind, count in (
        (TypeStructure.MSP, 20),
        (TypeStructure.ESP, 3),
        (TypeStructure.CPTS, 4),
        (TypeStructure.MMG, 5),
    ):
        _declared(marne, kind, count)

    records["gem_reims"] = gem = _dispositif(
        marne,
        TypeDispositif.GEM,
        "GEM Autisme de Reims",
        REIMS,
        parrain=papillons,
        date_ouverture=D(2023, 7, 1),
        heures_hebdo=Decimal("35"),
        observations=(
            "Projet retenu en juin 2022 ; inauguré le 29 juin 2023, installé à compter du 1er juillet 2023. "
            "Ouvert au moins 35 heures par semaine. Subvention de l'ARS annoncée : 226 024 € au total "
            "(les trois montants annuels du document font 226 024,47 €). "
            "L'association qui porte le GEM n'est pas nommée par le document source."
        ),
    )
    for year, amount in ((2022, "41500"), (2023, "94188.23"), (2024, "90336.24")):
        Subvention.objects.get_or_create(
            dispositif=gem, annee=year, financeur=ars, defaults={"montant": Decimal(amount)}
        )

    uema = {"capacite": 7, "age_min": 3, "age_max": 6, "budget_annuel": UEMA_BUDGET}
    ueea = {"capacite": 10, "age_min": 6, "age_max": 11, "budget_annuel": UEEA_BUDGET}
    before = "Ouverte avant la rentrée 2023/2024 (année d'ouverture non précisée par le document source)."
    older = [
        ("uema_reims_1", TypeDispositif.UEMA, "UEMA de Reims (1)", REIMS, uema, 7),
        ("uema_reims_2", TypeDispositif.UEMA, "UEMA de Reims (2)", REIMS, uema, 7),
        ("uema_chalons", TypeDispositif.UEMA, "UEMA de Châlons-en-Champagne", CHALONS, uema, 7),
        ("ueea_reims", TypeDispositif.UEEA, "UEEA de Reims", REIMS, ueea, 10),
    ]
    for key, kind, nom, code, fields, children in older:
        records[key] = unit = _dispositif(marne, kind, nom, code, ouverture_avant=2023, observations=before, **fields)
        _school_year(unit, 2022, enfants=children, budget=fields["budget_annuel"])
    records["uema_epernay"] = _dispositif(
        marne, TypeDispositif.UEMA, "UEMA d'Épernay", EPERNAY, annee_scolaire_ouverture=2023, **uema
    )
    records["ueea_chalons"] = _dispositif(
        marne, TypeDispositif.UEEA, "UEEA de Châlons-en-Champagne", CHALONS, annee_scolaire_ouverture=2023, **ueea
    )
    # 2023/2024: 28 children in the four UEMA (7 each, their capacity); 13 in the two UEEA, split not given.
    for key in ("uema_reims_1", "uema_reims_2", "uema_chalons", "uema_epernay"):
        _school_year(records[key], 2023, enfants=7, budget=UEMA_BUDGET)
    for key in ("ueea_reims", "ueea_chalons"):
        _school_year(records[key], 2023, enfants=None, budget=UEEA_BUDGET)
    _declared(marne, TypeDispositif.UEMA, 4, annee_scolaire=2023)
    _declared(marne, TypeDispositif.UEEA, 2, annee_scolaire=2023)
    ComptageDeclare.objects.get_or_create(
        departement=marne,
        type=TypeDispositif.UEMA,
        indicateur=Indicateur.ENFANTS,
        date=REPORT_DATE,
        defaults={"valeur": 28, "annee_scolaire": 2023, "source": SOURCE},
    )
    ComptageDeclare.objects.get_or_create(
        departement=marne,
        type=TypeDispositif.UEEA,
        indicateur=Indicateur.ENFANTS,
        date=REPORT_DATE,
        defaults={"valeur": 13, "annee_scolaire": 2023, "source": SOURCE},
    )
    return records
