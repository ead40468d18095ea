"""Demo evaluation of the Châlons CLS 1 (illustrative where the seeds are silent).

The seeds say the Châlons CLS 1 (2020-2022, extended to December 2024) is followed by a CLS 2 on
the agglomeration, expected to be signed early 2025; they give no evaluation. The assessments,
conclusions and recommendations below are therefore illustrative examples, marked as such. The
CLS 2 already exists in the demo with its seed facts, linked to the CLS 1 as its predecessor: it
is not recreated, and no action is invented in it (the seeds name none).
"""

from django.db import transaction

from actions.models import FicheAction
from demo.actions import PRESCRIMOUV, UDAF
from evaluation.models import Atteinte, Evaluation, EvaluationAction

CONCLUSIONS = (
    "Exemple illustratif. Le premier CLS de Châlons-en-Champagne a réuni les onze signataires et une cinquantaine "
    "de structures partenaires autour de ses trois axes. Les actions de prévention (dépistages, sport-santé, "
    "espaces sans tabac) ont été engagées ; le suivi chiffré des indicateurs reste à construire."
)
RECOMMANDATIONS = (
    "Exemple illustratif. Étendre le contrat à l'agglomération ; poursuivre l'accompagnement personnalisé vers la "
    "santé et Prescri'Mouv' ; définir pour chaque action un indicateur avec une valeur initiale et une cible ; "
    "tenir au moins un comité de pilotage par an."
)
# Title (or programme name) → (achievement, to continue, comment); all illustrative.
ASSESSMENTS = {
    "Dépistages avec la CPAM sur Châlons (cancers, grippe…)": (Atteinte.PARTIEL, True, ""),
    "Exercice coordonné et pluridisciplinaire des professionnels de santé": (Atteinte.NON_EVALUABLE, True, ""),
    "Réseau d'habitants pour sensibiliser sur les espèces allergisantes": (Atteinte.NON_EVALUABLE, True, ""),
    "Espaces sans tabac devant les établissements scolaires et les structures de la petite enfance": (
        Atteinte.ATTEINT,
        False,
        "Premiers espaces sans tabac de la Marne installés en 2020 (document source) ; évaluation illustrative.",
    ),
    UDAF: (Atteinte.NON_EVALUABLE, True, "Programme présent dans tous les CLS de la Marne."),
    PRESCRIMOUV: (Atteinte.NON_EVALUABLE, True, "Programme présent dans tous les CLS de la Marne."),
}


@transaction.atomic
def load_evaluation_demo(clss):
    chalons1 = clss["chalons1"]
    Evaluation.objects.update_or_create(
        cls=chalons1,
        defaults={"conclusions": CONCLUSIONS, "recommandations": RECOMMANDATIONS, "illustratif": True},
    )
    for fiche in FicheAction.objects.filter(cls=chalons1).select_related("programme"):
        key = fiche.programme.nom if fiche.programme else fiche.titre
        if key not in ASSESSMENTS:
            continue
        atteinte, a_poursuivre, commentaire = ASSESSMENTS[key]
        EvaluationAction.objects.update_or_create(
            fiche=fiche,
            defaults={
                "atteinte": atteinte,
                "a_poursuivre": a_poursuivre,
                "commentaire": commentaire,
                "illustratif": True,
            },
        )
