"""Governance of a CLS (bodies, meetings, decisions) and its yearly review.

A review campaign asks each carrier, for each of its actions, where the action
stands in a given year. Answers copy what they refer to (number, title,
carrier, indicator label) so that a closed campaign reads as it was answered,
whatever later happens to the action plan.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import YEAR_VALIDATORS, Etat, FicheAction, Indicateur, Theme
from contracts.models import Axe, Cls, Organisation
from core.models import Role, TimeStampedModel, VersionedModel
from core.validators import (
    MONEY,
    VALUE,
    BoundedDateModelField,
    dates_in_range_constraint,
    money_in_range_constraint,
    values_in_range_constraint,
)

ILLUSTRATIF_HELP = "Exemple illustratif de la démonstration : ce contenu n'est pas tiré des documents sources."


class TypeInstance(models.TextChoices):
    COPIL = "copil", "Comité de pilotage (COPIL)"
    COTECH = "cotech", "Comité technique (COTECH)"
    GROUPE = "groupe", "Groupe de travail"


class InstanceQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every logged-in person reads the governance of every CLS (as the registry)."""
        return self.filter(cls__in=Cls.objects.for_user(user))

    def editable_by(self, user):
        """Bodies ``user`` manages, with their meetings: the CLS's coordination, the ARS in scope."""
        return self.filter(cls__in=Cls.objects.editable_by(user))


class Instance(VersionedModel):
    """A governing body of a CLS: its COPIL, its COTECH, a working group per axis or theme."""

    cls = models.ForeignKey(Cls, verbose_name="CLS", on_delete=models.CASCADE, related_name="instances")
    type = models.CharField("type", max_length=10, choices=TypeInstance.choices)
    nom = models.CharField("nom", max_length=200)
    axe = models.ForeignKey(
        Axe, verbose_name="axe suivi", on_delete=models.SET_NULL, null=True, blank=True, related_name="instances"
    )
    theme = models.ForeignKey(
        Theme, verbose_name="thème suivi", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name="organisations membres", blank=True, related_name="instances"
    )
    reunions_par_an = models.PositiveSmallIntegerField(
        "réunions prévues par an", default=1, help_text="Sert au taux de complétude du suivi."
    )
    illustratif = models.BooleanField("exemple illustratif", default=False, help_text=ILLUSTRATIF_HELP)

    objects = InstanceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"], m2m_fields=[organisations])

    class Meta:
        verbose_name = "instance de gouvernance"
        verbose_name_plural = "instances de gouvernance"
        ordering = ["cls", "type", "nom"]

    def __str__(self):
        return self.nom


class Membre(VersionedModel):
    """A person sitting in a body; their e-mail is private (never on public pages or open data)."""

    instance_gouvernance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="membres"
    )
    nom = models.CharField("nom", max_length=200)
    fonction = models.CharField("fonction", max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField("adresse e-mail", blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "membre"
        ordering = ["instance_gouvernance", "nom"]

    def __str__(self):
        return self.nom


class ReunionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(instance_gouvernance__in=Instance.objects.for_user(user))

    def editable_by(self, user):
        return self.filter(instance_gouvernance__in=Instance.objects.editable_by(user))

    def upcoming(self, today: datetime.date | None = None):
        """Meetings from ``today`` on, soonest first."""
        today = today or timezone.localdate()
        return self.filter(date__gte=today).order_by("date", "heure", "pk")

    def past(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(date__lt=today).order_by("-date", "-heure", "-pk")


class Reunion(VersionedModel):
    instance_gouvernance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="reunions"
    )
    date = BoundedDateModelField("date")
    heure = models.TimeField("heure", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=200, blank=True)
    ordre_du_jour = models.TextField("ordre du jour", blank=True)
    presents = models.ManyToManyField(Membre, verbose_name="membres présents", blank=True, related_name="presences")
    organisations_presentes = models.ManyToManyField(
        Organisation, verbose_name="organisations représentées", blank=True, related_name="+"
    )
    compte_rendu = models.TextField("compte rendu", blank=True)
    fiches_discutees = models.ManyToManyField(
        FicheAction, verbose_name="actions abordées", blank=True, related_name="reunions"
    )
    illustratif = models.BooleanField("exemple illustratif", default=False, help_text=ILLUSTRATIF_HELP)

    objects = ReunionQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version", "updated_at"],
        m2m_fields=[presents, organisations_presentes, fiches_discutees],
    )

    class Meta:
        verbose_name = "réunion"
        ordering = ["-date", "-heure"]
        constraints = [dates_in_range_constraint("reunion_date_bornee", "date")]

    def __str__(self):
        return f"{self.instance_gouvernance} du {self.date:%d/%m/%Y}"

    def can_edit(self, user) -> bool:
        return Reunion.objects.editable_by(user).filter(pk=self.pk).exists()


class PieceJointe(TimeStampedModel):
    """A file attached to a meeting's minutes (PDF, DOCX or ODT; checked on upload)."""

    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="pieces_jointes")
    fichier = models.FileField("fichier", upload_to="reunions/%Y/")
    nom = models.CharField("nom du fichier", max_length=200)
    taille = models.PositiveIntegerField("taille (octets)")
    ajoutee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["reunion", "nom"]

    def __str__(self):
        return self.nom


class Decision(VersionedModel):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="decisions")
    texte = models.TextField("décision")
    echeance = BoundedDateModelField("échéance", null=True, blank=True)
    suivie_par_organisation = models.ForeignKey(
        Organisation,
        verbose_name="suivie par (organisation)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    suivie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="suivie par (compte SantéLoc)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions_suivies",
    )
    faite_le = BoundedDateModelField("réalisée le", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "décision"
        ordering = ["reunion", "pk"]
        constraints = [dates_in_range_constraint("decision_dates_bornees", "echeance", "faite_le")]

    def __str__(self):
        return self.texte[:80]

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return bool(self.echeance and not self.faite_le and self.echeance < (today or timezone.localdate()))


class CampagneRevue(TimeStampedModel):
    """The yearly review of a CLS's actions: opened, answered by the carriers, closed."""

    cls = models.ForeignKey(Cls, verbose_name="CLS", on_delete=models.CASCADE, related_name="campagnes")
    annee = models.PositiveSmallIntegerField("année revue", validators=YEAR_VALIDATORS)
    ouverte_le = BoundedDateModelField("ouverte le")
    date_limite = BoundedDateModelField("réponses attendues avant le", null=True, blank=True)
    close_le = BoundedDateModelField("close le", null=True, blank=True)
    ouverte_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="close par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    illustratif = models.BooleanField("exemple illustratif", default=False, help_text=ILLUSTRATIF_HELP)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "campagne de revue annuelle"
        verbose_name_plural = "campagnes de revue annuelle"
        ordering = ["cls", "-annee"]
        constraints = [
            models.UniqueConstraint(fields=["cls", "annee"], name="campagne_une_par_annee"),
            dates_in_range_constraint("campagne_dates_bornees", "ouverte_le", "date_limite", "close_le"),
        ]

    def __str__(self):
        return f"Revue {self.annee} — {self.cls}"

    @property
    def est_close(self) -> bool:
        return self.close_le is not None


class Poursuite(models.TextChoices):
    OUI = "oui", "Poursuivre"
    ADAPTER = "adapter", "Poursuivre en l'adaptant"
    NON = "non", "Arrêter"


class ReponseRevueQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A carrier sees only the questions put to its organisation; the other logged-in users see all."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.PORTEUR:
            return self.filter(porteur_id=user.organisation_id) if user.organisation_id else self.none()
        return self

    def answerable_by(self, user):
        """Answers ``user`` may write: in an open campaign, the carrier asked, or the CLS's editors."""
        open_ = self.filter(campagne__close_le__isnull=True)
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.PORTEUR:
            return open_.filter(porteur_id=user.organisation_id) if user.organisation_id else self.none()
        return open_.filter(campagne__cls__in=Cls.objects.editable_by(user))

    def unanswered(self):
        return self.filter(repondu_le__isnull=True)


class ReponseRevue(VersionedModel):
    """One action's answer in a campaign; frozen once the campaign is closed."""

    campagne = models.ForeignKey(CampagneRevue, on_delete=models.CASCADE, related_name="reponses")
    fiche = models.ForeignKey(
        FicheAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="reponses_revue"
    )
    # Copies, so that a closed review reads as it was answered.
    fiche_numero = models.CharField("numéro de la fiche", max_length=12)
    fiche_titre = models.CharField("intitulé de la fiche", max_length=300)
    porteur = models.ForeignKey(
        Organisation,
        verbose_name="porteur interrogé",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide quand l'action n'a pas de porteur : la coordination répond.",
    )
    etat = models.CharField("état", max_length=12, choices=Etat.choices, blank=True)
    realise = models.TextField("ce qui a été fait dans l'année", blank=True)
    public_atteint = models.PositiveIntegerField("personnes touchées", null=True, blank=True)
    depense = models.DecimalField("dépenses de l'année (€)", **MONEY, null=True, blank=True)
    difficultes = models.TextField("difficultés rencontrées", blank=True)
    poursuite = models.CharField("suite proposée", max_length=10, choices=Poursuite.choices, blank=True)
    repondu_le = models.DateTimeField("répondu le", null=True, blank=True)
    repondu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    relance_le = models.DateTimeField("dernière relance le", null=True, blank=True)

    objects = ReponseRevueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = "réponse à la revue"
        verbose_name_plural = "réponses à la revue"
        ordering = ["campagne", "fiche_numero"]
        constraints = [
            models.UniqueConstraint(fields=["campagne", "fiche"], name="reponse_une_par_fiche"),
            money_in_range_constraint("reponse_depense_bornee", "depense"),
        ]

    def __str__(self):
        return f"{self.fiche_numero} {self.fiche_titre} ({self.campagne.annee})"

    @property
    def est_repondue(self) -> bool:
        return self.repondu_le is not None


class ValeurIndicateurRevue(models.Model):
    reponse = models.ForeignKey(ReponseRevue, on_delete=models.CASCADE, related_name="valeurs")
    indicateur = models.ForeignKey(Indicateur, on_delete=models.SET_NULL, null=True, related_name="+")
    libelle = models.CharField("indicateur", max_length=300)
    unite = models.CharField("unité", max_length=50, blank=True)
    valeur = models.DecimalField("valeur", **VALUE, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "valeur d'indicateur déclarée"
        ordering = ["reponse", "pk"]
        constraints = [values_in_range_constraint("valeur_revue_bornee", "valeur")]

    def __str__(self):
        return f"{self.libelle} : {self.valeur}"
