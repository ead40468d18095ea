"""Demo governance and yearly review: illustrative, the seeds give no meetings, decisions or answers.

- Châlons-en-Champagne CLS 1 (in force 2020-2024): its COPIL, with the contract's eleven signatories
  as member organisations, two past meetings and their decisions; its successor (CLS 2, the
  agglomeration) has a COPIL with one meeting to come, so that the calendar has something to show.
- Reims CLS 2+: the closed review of 2022, the contract's last year, with answers from the UDAF (its
  demo account), the coordination for the actions without a carrier, and the GEM's sponsor stated as
  the seed says (project selected in June 2022, installed from July 2023). Closing it reports the
  declared spending into the plan, labelled « Revue annuelle 2022 (exemple illustratif) ».

Everything here is ``illustratif=True`` and shown with an « Exemple illustratif » badge; no seed
fact is changed. Idempotent: bodies are found by CLS and name, the review by CLS and year.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from actions.models import Etat, FicheAction
from contracts.models import Cls, Organisation
from core.models import User
from steering import services
from steering.models import Decision, Instance, Poursuite, Reunion, TypeInstance

D = datetime.date
DEMO_TZ = datetime.UTC
HOTEL_DE_VILLE = "Hôtel de ville de Châlons-en-Champagne (lieu donné à titre d'exemple)"

CHALONS_MEETINGS = [
    (
        D(2023, 6, 13),
        datetime.time(14, 30),
        "1. Bilan de l'année 2022 des actions du CLS\n2. Point d'étape des premières actions (dépistages avec la "
        "CPAM, Prescri'Mouv', espaces sans tabac)\n3. Perspectives",
        "Exemple illustratif de compte rendu : les porteurs présentent l'avancement de leurs actions ; le comité "
        "demande un bilan chiffré des dépistages pour sa prochaine réunion.",
        [
            (
                "Présenter un bilan chiffré des dépistages organisés avec la CPAM (cancers, grippe)",
                D(2024, 5, 31),
                "cpam",
                D(2024, 5, 28),
            ),
        ],
    ),
    (
        D(2024, 6, 18),
        datetime.time(10, 0),
        "1. Bilan des dépistages\n2. Évaluation du CLS 1\n3. Préparation du CLS 2 à l'échelle de l'agglomération",
        "Exemple illustratif de compte rendu : le comité engage l'évaluation du contrat pour préparer la génération "
        "suivante.",
        [
            ("Conduire l'évaluation du CLS 1 avant la fin du contrat", D(2024, 12, 31), "ccas_chalons", None),
        ],
    ),
]
CHALONS_SIGNATAIRES = {
    "cpam": "CPAM de la Marne",
    "ccas_chalons": "CCAS de Châlons-en-Champagne",
}

# Reims CLS 2+, review 2022: answers by fiche (found by title or programme), who answers, what.
REIMS_YEAR = 2022
REIMS_ANSWERS = [
    (
        {"programme__nom": "Accès personnalisé à la santé"},
        "porteur.udaf",
        {
            "etat": Etat.EN_COURS,
            "realise": "Exemple illustratif : accompagnement de personnes en situation de précarité dans leurs "
            "démarches de santé (prises de rendez-vous, accompagnement physique aux consultations).",
            "public_atteint": 48,
            "depense": Decimal("12500.00"),
            "difficultes": "Exemple illustratif : délais de rendez-vous chez les spécialistes.",
            "poursuite": Poursuite.OUI,
        },
    ),
    (
        {"titre": "Groupe d'entraide mutuelle (GEM) Autisme de Reims"},
        "coord.reims",
        {
            "etat": Etat.A_LANCER,
            "realise": "Projet de l'Association Papillons Blancs en Champagne retenu en juin 2022 ; installation du "
            "GEM à partir du 1er juillet 2023.",
            "poursuite": Poursuite.OUI,
        },
    ),
    (
        {"titre": "Vaccinations"},
        "coord.reims",
        {
            "etat": Etat.EN_COURS,
            "realise": "Exemple illustratif : actions de sensibilisation à la vaccination avec les partenaires.",
            "public_atteint": 320,
            "poursuite": Poursuite.ADAPTER,
            "difficultes": "Exemple illustratif : mobilisation des publics éloignés.",
        },
    ),
    (
        {"titre": "Réponse d'un territoire aux situations de crises sanitaires"},
        "coord.reims",
        {
            "etat": Etat.EN_COURS,
            "realise": "Exemple illustratif : retour d'expérience de la crise sanitaire avec les acteurs locaux.",
            "poursuite": Poursuite.OUI,
        },
    ),
]


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=DEMO_TZ)


def _signatories(cls: Cls):
    return Organisation.objects.filter(signatures__cls=cls)


def _copil(cls: Cls, nom: str, organisations) -> Instance:
    instance, created = Instance.objects.get_or_create(
        cls=cls, nom=nom, defaults={"type": TypeInstance.COPIL, "reunions_par_an": 1, "illustratif": True}
    )
    if created:
        instance.organisations.set(organisations)
    return instance


def _chalons(clss: dict[str, Cls]) -> None:
    chalons1 = clss["chalons1"]
    copil = _copil(chalons1, "Comité de pilotage du CLS de Châlons-en-Champagne", _signatories(chalons1))
    if copil.reunions.exists():
        return
    organisations = {key: Organisation.objects.get(nom=nom) for key, nom in CHALONS_SIGNATAIRES.items()}
    fiches = list(FicheAction.objects.filter(cls=chalons1))
    for day, hour, agenda, minutes, decisions in CHALONS_MEETINGS:
        reunion = services.save_reunion(
            Reunion(
                instance_gouvernance=copil,
                date=day,
                heure=hour,
                lieu=HOTEL_DE_VILLE,
                ordre_du_jour=agenda,
                compte_rendu=minutes,
                illustratif=True,
            ),
            m2m={"organisations_presentes": list(copil.organisations.all()), "fiches_discutees": fiches},
        )
        for texte, echeance, follower, done in decisions:
            services.save_decision(
                Decision(
                    reunion=reunion,
                    texte=texte,
                    echeance=echeance,
                    suivie_par_organisation=organisations[follower],
                    faite_le=done,
                )
            )


def _next_copil_date(today: datetime.date) -> datetime.date:
    """A Tuesday about six weeks ahead."""
    day = today + datetime.timedelta(weeks=6)
    return day + datetime.timedelta(days=(1 - day.weekday()) % 7)


def _chalons2(clss: dict[str, Cls], today: datetime.date) -> None:
    chalons2 = clss["chalons2"]
    copil = _copil(
        chalons2,
        "Comité de pilotage du CLS de l'agglomération de Châlons-en-Champagne",
        _signatories(clss["chalons1"]),
    )
    if not copil.reunions.exists():
        services.save_reunion(
            Reunion(
                instance_gouvernance=copil,
                date=_next_copil_date(today),
                heure=datetime.time(14, 0),
                lieu="Lieu à confirmer",
                ordre_du_jour="1. Suivi du plan d'action\n2. Revue annuelle\n3. Questions diverses",
                illustratif=True,
            )
        )


def _reims_review(clss: dict[str, Cls]) -> None:
    reims2 = clss["reims2"]
    if reims2.campagnes.filter(annee=REIMS_YEAR).exists():
        return
    campagne = services.open_campaign(
        cls=reims2,
        annee=REIMS_YEAR,
        today=D(2023, 1, 9),
        date_limite=D(2023, 2, 10),
        user=User.objects.get(username="coord.reims"),
        illustratif=True,
    )
    for lookup, username, fields in REIMS_ANSWERS:
        reponse = campagne.reponses.filter(**{f"fiche__{key}": value for key, value in lookup.items()}).first()
        if reponse is None:
            continue
        services.answer(
            reponse,
            user=User.objects.get(username=username),
            read_version=reponse.version,
            now=_moment(D(2023, 2, 1)),
            **fields,
        )
    services.close_campaign(campagne, today=D(2023, 2, 20))


@transaction.atomic
def load_steering_demo(clss: dict[str, Cls], *, today: datetime.date | None = None) -> None:
    """Add the illustrative governance and review to the demo CLS (after the actions demo)."""
    _chalons(clss)
    _chalons2(clss, today or timezone.localdate())
    _reims_review(clss)
