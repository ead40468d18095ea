"""Action-plan facts of the Marne demo, from the seed documents only.

- Reims CLS 2+ (seed 003): fiches 1.5, 1.7, 2.1, 2.8, 3.3, 3.5, 4.8, 4.9, 4.10, 4.16 with the
  seed's words as titles, and the action added after the pandemic (no number given: « HA.1 »).
- GEM Autisme of Reims (seed 000) under the mental-health axis of the Reims CLS 2+, with the ARS
  subsidy 41 500 € (2022) + 94 188,23 € (2023) + 90 336,24 € (2024) = 226 024 €.
- Châlons CLS 1 (seed 001): its five « premières actions ».
- Programmes in every Marne CLS that has axes (seed 000): UDAF « Accès personnalisé à la santé »
  and Prescri'Mouv' (RSSBE), one fiche per CLS.
- Vitry CLS (seed 004, « du constat aux solutions »): the young consumers' consultation at the
  maison des adolescents (CSAPA), under priority 4 « Jeunesse 12-25 ans », answering the issue of
  the diagnostic demo on alcohol among 17-year-olds (the only issue ↔ action link a seed states).

Where a seed gives no state, date or carrier, the field stays empty. Ranks not given by a seed
are the next free one in the axis. Idempotent: fiches are found by CLS and title (or programme).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from actions import services
from actions.models import FicheAction, Financement, Programme, Public, Stade, Theme
from contracts.models import Axe, AxeKind, Cls, Organisation, OrganisationType
from core.models import Role, User
from demo.marne import DEMO_PASSWORD
from diagnostics.models import Enjeu

T = OrganisationType
ORGANISATIONS = {
    "udaf": ("UDAF de la Marne", T.ASSOCIATION),
    "rssbe": ("Réseau Sport Santé Bien-Être (RSSBE)", T.ASSOCIATION),
    "papillons": ("Association Papillons Blancs en Champagne", T.ASSOCIATION),
    "atmo": ("ATMO", T.ASSOCIATION),
}
GEM_FUNDING = [(2022, Decimal("41500.00")), (2023, Decimal("94188.23")), (2024, Decimal("90336.24"))]

REIMS_FICHES = [
    # (axis number, rank, title, themes, publics)
    (1, 5, "Sensibilisation sur les perturbateurs endocriniens", ["Santé environnementale"], []),
    (1, 7, "Communication sur les pics de pollution", ["Santé environnementale"], []),
    (2, 1, "Vaccinations", ["Prévention et promotion de la santé"], []),
    (2, 8, "Accès aux soins des personnes SDF", [], ["Personnes en situation de précarité"]),
    (3, 3, "Formation des professionnels au repérage des crises suicidaires", ["Santé mentale"], []),
    (3, 5, "Développement des compétences psychosociales chez les enfants", ["Santé mentale"], []),
    (4, 8, "Prévention et dépistage des cancers (fiche 4.8)", ["Prévention et promotion de la santé"], []),
    (4, 9, "Prévention et dépistage des cancers (fiche 4.9)", ["Prévention et promotion de la santé"], []),
    (4, 10, "Prévention et dépistage des cancers (fiche 4.10)", ["Prévention et promotion de la santé"], []),
    (4, 16, "Aménagement et restructuration des cantines scolaires", [], []),
]

CHALONS_FICHES = [
    # (axis number, title, description, carrier key, partner names)
    (
        1,
        "Dépistages avec la CPAM sur Châlons (cancers, grippe…)",
        "La mise en place de dépistages avec la CPAM sur Châlons (cancers, grippe, etc.).",
        None,
        ["CPAM de la Marne"],
    ),
    (
        2,
        "Exercice coordonné et pluridisciplinaire des professionnels de santé",
        "Le renforcement de l'accès aux soins par les dispositifs facilitant l'exercice des professionnels de "
        "santé et leur exercice coordonné et pluridisciplinaire.",
        None,
        [],
    ),
    (
        3,
        "Réseau d'habitants pour sensibiliser sur les espèces allergisantes",
        "La mise en place d'un réseau d'habitants pour sensibiliser sur les espèces allergisantes par ATMO.",
        "atmo",
        [],
    ),
    (
        3,
        "Espaces sans tabac devant les établissements scolaires et les structures de la petite enfance",
        "L'intégration, courant 2020, des premiers Espaces sans tabac de la Marne du territoire châlonnais : "
        "devant les établissements scolaires et les structures d'accueil de la petite enfance.",
        None,
        [],
    ),
]

CJC = "Consultation des jeunes consommateurs au sein de la maison des adolescents (CSAPA)"
CJC_DESCRIPTION = (
    "« Organiser une consultation des jeunes consommateurs au sein de la maison des adolescents (CSAPA). » "
    "Solution donnée par l'ARS Grand Est à l'enjeu du CLS de Vitry-le-François : « la consommation régulière "
    "élevée de boissons alcoolisées chez les jeunes adultes de 17 ans »."
)

UDAF = "Accès personnalisé à la santé"
PRESCRIMOUV = "Prescri'Mouv'"
PROGRAMMES = {
    UDAF: (
        "udaf",
        "Renforcer le recours aux soins des personnes en situation de précarité en améliorant l'accessibilité de "
        "l'accompagnement des personnes très éloignées du soin : accompagner moralement et physiquement les "
        "personnes en situation de précarité et/ou de vulnérabilité dans leur démarche de santé, afin de les rendre "
        "acteurs de leur santé, de favoriser leur bien-être et leur autonomie. Action présente dans l'ensemble des "
        "CLS de la Marne.",
    ),
    PRESCRIMOUV: (
        "rssbe",
        "Renforcer la disponibilité des créneaux sport-santé pour les personnes ayant des pathologies chroniques "
        "(ateliers hebdomadaires d'activité physique adaptée), mis en place par des professionnels du sport formés "
        "par le Réseau Sport Santé Bien-Être (RSSBE).",
    ),
}
# The axis each programme fiche goes to, per CLS (None: no axis of that CLS fits; numbered « HA.n »).
PROGRAMME_AXES = {
    "reims2": {UDAF: (AxeKind.AXE, 2), PRESCRIMOUV: (AxeKind.AXE, 4)},
    "vitry": {UDAF: (AxeKind.PRIORITE, 1), PRESCRIMOUV: None},
    "chalons1": {UDAF: (AxeKind.AXE, 1), PRESCRIMOUV: (AxeKind.AXE, 1)},
    "argonne": {UDAF: (AxeKind.AXE, 1), PRESCRIMOUV: (AxeKind.AXE, 3)},
    "epernay": {UDAF: (AxeKind.AXE, 1), PRESCRIMOUV: (AxeKind.AXE, 3)},
}


def _org(key: str) -> Organisation:
    nom, kind = ORGANISATIONS[key]
    return Organisation.objects.get_or_create(nom=nom, defaults={"type": kind})[0]


def _named(model, names: list[str]) -> dict:
    """The rows of a shared list (publics, themes) the demo uses, by name; seeded by a migration, or created."""
    return {name: model.objects.get_or_create(nom=name)[0] for name in names}


def _axe(cls: Cls, kind: str, numero: int | None) -> Axe | None:
    if numero is None:
        return None
    return Axe.objects.get(cls=cls, type=kind, numero=numero)


def _fiche(cls: Cls, titre: str, *, axe: Axe | None, rang: int | None = None, lookup=None, **fields) -> FicheAction:
    existing = FicheAction.objects.filter(cls=cls, **(lookup or {"titre": titre})).first()
    if existing is not None:
        return existing
    return services.create_fiche(FicheAction(cls=cls, axe=axe, rang=rang, titre=titre, **fields))


@transaction.atomic
def load_actions_demo(clss: dict[str, Cls]) -> dict[str, FicheAction]:
    """Add the seeds' actions to the demo CLS; return the notable fiches by short name."""
    for key in ORGANISATIONS:
        _org(key)
    themes = _named(
        Theme,
        [
            "Santé environnementale",
            "Prévention et promotion de la santé",
            "Santé mentale",
            "Réponse aux crises sanitaires",
        ],
    )
    publics = _named(
        Public,
        [
            "Personnes en situation de précarité",
            "Personnes en situation de handicap",
            "Jeunes 12-25 ans",
            "Patients atteints de maladies chroniques",
        ],
    )
    out = {}

    reims2 = clss["reims2"]
    for numero, rang, titre, theme_names, public_names in REIMS_FICHES:
        fiche = _fiche(
            reims2,
            titre,
            axe=_axe(reims2, AxeKind.AXE, numero),
            rang=rang,
        )
        fiche.themes.add(*(themes[n] for n in theme_names))
        fiche.publics.add(*(publics[n] for n in public_names))
        out[fiche.numero] = fiche
    crise = _fiche(
        reims2,
        "Réponse d'un territoire aux situations de crises sanitaires",
        axe=None,
        description="Action ajoutée au CLS 2+ à la suite de la pandémie, de la mobilisation générale et de la "
        "réponse très intégrée des acteurs locaux.",
    )
    crise.themes.add(themes["Réponse aux crises sanitaires"])
    out["crise"] = crise

    gem = _fiche(
        reims2,
        "Groupe d'entraide mutuelle (GEM) Autisme de Reims",
        axe=_axe(reims2, AxeKind.AXE, 3),
        porteur=_org("papillons"),
        objectifs_specifiques="\n".join(
            [
                "Créer du lien ;",
                "Favoriser les liens sociaux, entretenir un réseau relationnel et plus globalement la participation ;",
                "Soutenir la confiance en soi ;",
                "Écouter, échanger, s'informer ;",
                "Favoriser la citoyenneté ;",
                "Être acteur d'un projet ;",
                "S'entraider mutuellement (favoriser la pair-aidance) ;",
                "S'ouvrir sur l'extérieur.",
            ]
        ),
        description="Engagement 4 de la stratégie nationale pour l'autisme au sein des troubles du "
        "neuro-développement (2018-2022). Projet de l'Association Papillons Blancs en Champagne, parrain du GEM, "
        "retenu en juin 2022 ; inauguration le 29 juin 2023 ; ouverture d'au moins 35 heures par semaine ; ouvert "
        "à toute personne autiste, sans diagnostic ni certificat médical exigé.",
        debut_reel=datetime.date(2023, 7, 1),
    )
    gem.publics.add(publics["Personnes en situation de handicap"])
    ars = Organisation.objects.get(nom="ARS Grand Est")
    for annee, montant in GEM_FUNDING:
        Financement.objects.get_or_create(
            fiche=gem, financeur=ars, annee=annee, defaults={"montant": montant, "stade": Stade.ACQUIS}
        )
    out["gem"] = gem

    programmes = {}
    for nom, (carrier, description) in PROGRAMMES.items():
        programmes[nom], _ = Programme.objects.get_or_create(
            nom=nom, defaults={"porteur": _org(carrier), "description": description}
        )

    chalons1 = clss["chalons1"]
    for numero, titre, description, carrier, partners in CHALONS_FICHES:
        fiche = _fiche(
            chalons1,
            titre,
            axe=_axe(chalons1, AxeKind.AXE, numero),
            description=description,
            porteur=_org(carrier) if carrier else None,
        )
        fiche.partenaires.add(*Organisation.objects.filter(nom__in=partners))
        out[f"chalons:{titre}"] = fiche

    for key, axes in PROGRAMME_AXES.items():
        cls = clss[key]
        for nom, axis in axes.items():
            programme = programmes[nom]
            axe = _axe(cls, *axis) if axis else None
            titre = "Dispositif Prescri'Mouv'" if nom == PRESCRIMOUV else UDAF
            fiche = _fiche(
                cls,
                titre,
                axe=axe,
                lookup={"programme": programme},
                programme=programme,
                porteur=programme.porteur,
                description=programme.description,
            )
            out[f"{key}:{nom}"] = fiche
    themes_by_programme = {UDAF: [], PRESCRIMOUV: ["Prévention et promotion de la santé"]}
    publics_by_programme = {
        UDAF: ["Personnes en situation de précarité"],
        PRESCRIMOUV: ["Patients atteints de maladies chroniques"],
    }
    for nom, programme in programmes.items():
        for fiche in programme.fiches.all():
            fiche.themes.add(*(themes[n] for n in themes_by_programme[nom]))
            fiche.publics.add(*(publics[n] for n in publics_by_programme[nom]))

    vitry = clss.get("vitry")
    if vitry is not None:
        cjc = _fiche(vitry, CJC, axe=_axe(vitry, AxeKind.PRIORITE, 4), description=CJC_DESCRIPTION)
        cjc.publics.add(publics["Jeunes 12-25 ans"])
        # The issue comes from demo/diagnostics.py (loaded first); found by its CLS and the words of its title.
        alcohol = Enjeu.objects.filter(cls=vitry, titre__icontains="alcool", titre__contains="17 ans").first()
        if alcohol is not None:
            cjc.enjeux.add(alcohol)
        out["vitry:cjc"] = cjc

    user, created = User.objects.get_or_create(
        username="porteur.udaf",
        defaults={"role": Role.PORTEUR, "organisation": _org("udaf"), "first_name": "UDAF", "last_name": "Marne"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return out
