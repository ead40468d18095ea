"""The end-of-contract evaluation of a CLS, and the reminders already sent.

One ``Evaluation`` per CLS holds the coordinator's qualitative conclusions and
recommendations; one ``EvaluationAction`` per fiche records whether it reached
its objectives and whether it continues in the next generation. The figures
(actions by state, money, indicators, issues) are never stored: they are
computed from the action plan by ``evaluation.figures``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import FicheAction
from contracts.models import Cls
from core.models import VersionedModel

ILLUSTRATIF_HELP = "Exemple illustratif de la démonstration : ce contenu n'est pas tiré des documents sources."


class Atteinte(models.TextChoices):
    ATTEINT = "atteint", "Objectifs atteints"
    PARTIEL = "partiel", "Objectifs partiellement atteints"
    NON_ATTEINT = "non_atteint", "Objectifs non atteints"
    NON_EVALUABLE = "non_evaluable", "Non évaluable"


class Evaluation(VersionedModel):
    """The qualitative evaluation of a contract, written by its coordination (or the ARS)."""

    cls = models.OneToOneField(Cls, verbose_name="CLS", on_delete=models.CASCADE, related_name="evaluation")
    conclusions = models.TextField("conclusions", blank=True)
    recommandations = models.TextField("recommandations pour la génération suivante", blank=True)
    redigee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rédigée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    illustratif = models.BooleanField("exemple illustratif", default=False, help_text=ILLUSTRATIF_HELP)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = "évaluation du contrat"
        verbose_name_plural = "évaluations des contrats"

    def __str__(self):
        return f"Évaluation — {self.cls}"


class EvaluationAction(VersionedModel):
    """How far one action reached its objectives, and whether it continues in the next CLS."""

    fiche = models.OneToOneField(
        FicheAction, verbose_name="fiche action", on_delete=models.CASCADE, related_name="evaluation"
    )
    atteinte = models.CharField("atteinte des objectifs", max_length=15, choices=Atteinte.choices)
    commentaire = models.TextField("commentaire", blank=True)
    a_poursuivre = models.BooleanField(
        "à poursuivre dans le CLS suivant",
        default=False,
        help_text="Cochée, l'action est recopiée dans le CLS suivant quand on le prépare.",
    )
    illustratif = models.BooleanField("exemple illustratif", default=False, help_text=ILLUSTRATIF_HELP)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = "évaluation d'une action"
        verbose_name_plural = "évaluations des actions"

    def __str__(self):
        return f"{self.fiche} : {self.get_atteinte_display()}"


class RappelEnvoye(models.Model):
    """A to-do digest e-mailed to a person on a day: ``send_reminders`` sends at most one per day."""

    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="destinataire", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField("date d'envoi")
    nombre = models.PositiveIntegerField("nombre de points à faire")
    envoye_le = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        ordering = ["-date", "destinataire"]
        constraints = [models.UniqueConstraint(fields=["destinataire", "date"], name="rappel_un_par_jour")]

    def __str__(self):
        return f"{self.destinataire} le {self.date:%d/%m/%Y}"
