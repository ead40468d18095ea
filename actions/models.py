"""Action plans: fiches actions, who carries and funds them, their indicators.

A fiche belongs to a CLS and (usually) to one of its axes; its number "1.7" is
the axis number and its rank within the axis (see ``actions.services`` for the
renumbering). Money is Decimal, totals are computed by the database.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contracts.models import Axe, AxeKind, Cls, Organisation
from core.models import Role, TimeStampedModel, VersionedModel
from core.numbers import euros
from core.validators import (
    MONEY,
    VALUE,
    BoundedDateModelField,
    dates_in_range_constraint,
    money_in_range_constraint,
    values_in_range_constraint,
)
from territories.models import Commune

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
YEAR_MIN, YEAR_MAX = 2000, 2100
YEAR_VALIDATORS = [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]


def money_sum(field: str, **filters):
    return Coalesce(Sum(field, filter=Q(**filters) if filters else None), ZERO)


def year_constraint(name: str, field: str = "annee") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX}),
        name=name,
        violation_error_message=f"L'année doit être comprise entre {YEAR_MIN} et {YEAR_MAX}.",
    )


def amount_constraint(name: str, field: str = "montant") -> models.CheckConstraint:
    """The amount is within 0 … 9 999 999 999,99 € (``core.validators``)."""
    return money_in_range_constraint(name, field)


class Public(models.Model):
    """Shared list of target publics (population groups and age ranges)."""

    nom = models.CharField("nom", max_length=100, unique=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "public cible"
        verbose_name_plural = "publics cibles"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom


class Theme(models.Model):
    """Shared list of themes."""

    nom = models.CharField("nom", max_length=100, unique=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "thème"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom


class Programme(TimeStampedModel):
    """An action deployed in several CLS (one fiche per CLS links to it)."""

    nom = models.CharField("nom", max_length=200, unique=True)
    description = models.TextField("description", blank=True)
    porteur = models.ForeignKey(
        Organisation, verbose_name="porteur", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "programme"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Etat(models.TextChoices):
    A_LANCER = "a_lancer", "À lancer"
    EN_COURS = "en_cours", "En cours"
    EN_RETARD = "en_retard", "En retard"
    EN_PAUSE = "en_pause", "En pause"
    REALISEE = "realisee", "Réalisée"
    ABANDONNEE = "abandonnee", "Abandonnée"


class Priorite(models.TextChoices):
    HAUTE = "haute", "Haute"
    MOYENNE = "moyenne", "Moyenne"
    BASSE = "basse", "Basse"


class Participation(models.TextChoices):
    INFORMATION = "information", "Information"
    CONSULTATION = "consultation", "Consultation"
    CONCERTATION = "concertation", "Concertation"
    CO_CONSTRUCTION = "co_construction", "Co-construction"


class Nature(models.TextChoices):
    FONCTIONNEMENT = "fonctionnement", "Fonctionnement"
    INVESTISSEMENT = "investissement", "Investissement"


class Stade(models.TextChoices):
    SOLLICITE = "sollicite", "Sollicité"
    ACQUIS = "acquis", "Acquis"
    VERSE = "verse", "Versé"


def axe_prefix(axe: Axe | None) -> str:
    """The part of a fiche number before the dot: "1", "P2" (priority), "T" (transversal), "HA" (no axis)."""
    if axe is None:
        return "HA"
    if axe.numero is None:
        return "T"
    return f"P{axe.numero}" if axe.type == AxeKind.PRIORITE else str(axe.numero)


class FicheActionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every logged-in person reads every action plan."""
        return self if user.is_authenticated else self.none()

    def editable_by(self, user):
        """Fiches whose whole content ``user`` may change (coordinator of the CLS, ARS in scope)."""
        return self.filter(cls__in=Cls.objects.editable_by(user))

    def updatable_by(self, user):
        """Fiches whose progress ``user`` may record: the plan's editors and the carrier's members."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.PORTEUR and user.organisation_id:
            return self.filter(porteur_id=user.organisation_id)
        return self.editable_by(user)

    @staticmethod
    def _late(today: datetime.date | None) -> Q:
        """Flagged late, or planned to end before ``today`` and neither done nor abandoned (``FicheAction.is_late``)."""
        today = today or timezone.localdate()
        return Q(etat=Etat.EN_RETARD) | (
            Q(fin_prevue__lt=today) & ~Q(etat__in=[Etat.REALISEE, Etat.ABANDONNEE]) & Q(fin_reelle__isnull=True)
        )

    def late(self, today: datetime.date | None = None):
        """The fiches late on ``today``."""
        return self.filter(self._late(today))

    def with_late(self, today: datetime.date | None = None):
        """Annotate ``late``: what ``late()`` filters on, for each fiche."""
        late = models.When(self._late(today), then=models.Value(True))  # True or False, never NULL
        return self.annotate(late=models.Case(late, default=models.Value(False), output_field=models.BooleanField()))

    def with_totals(self, *names: str):
        """Annotate ``total_finance`` (all stages), ``total_acquis`` (granted or paid) and ``total_depense``;
        only those of ``names`` when given (each is a subquery per fiche)."""
        financements = Financement.objects.filter(fiche=models.OuterRef("pk")).order_by().values("fiche")
        depenses = Depense.objects.filter(fiche=models.OuterRef("pk")).order_by().values("fiche")

        def subtotal(qs, **filters):
            qs = qs.filter(**filters) if filters else qs
            return Coalesce(
                models.Subquery(qs.annotate(t=Sum("montant")).values("t"), output_field=DecimalField()), ZERO
            )

        totals = {
            "total_finance": subtotal(financements),
            "total_acquis": subtotal(financements, stade__in=[Stade.ACQUIS, Stade.VERSE]),
            "total_depense": subtotal(depenses),
        }
        return self.annotate(**{name: total for name, total in totals.items() if not names or name in names})


class FicheAction(VersionedModel):
    cls = models.ForeignKey(Cls, verbose_name="CLS", on_delete=models.PROTECT, related_name="fiches")
    axe = models.ForeignKey(
        Axe,
        verbose_name="axe",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fiches",
        help_text="Laisser vide seulement si le CLS n'a pas d'axe qui convienne (numéro « HA.n », hors axe).",
    )
    rang = models.PositiveSmallIntegerField("rang dans l'axe", validators=[MinValueValidator(1)])
    numero = models.CharField("numéro", max_length=12, editable=False)
    titre = models.CharField("intitulé", max_length=300)
    objectif_general = models.TextField("objectif général", blank=True)
    objectifs_specifiques = models.TextField("objectifs spécifiques", blank=True)
    description = models.TextField("description", blank=True)
    porteur = models.ForeignKey(
        Organisation, verbose_name="porteur", on_delete=models.PROTECT, null=True, blank=True, related_name="fiches"
    )
    partenaires = models.ManyToManyField(
        Organisation, verbose_name="partenaires", blank=True, related_name="fiches_partenaires"
    )
    publics = models.ManyToManyField(Public, verbose_name="publics cibles", blank=True, related_name="fiches")
    themes = models.ManyToManyField(Theme, verbose_name="thèmes", blank=True, related_name="fiches")
    tout_le_perimetre = models.BooleanField("tout le périmètre", default=True)
    lieux = models.ManyToManyField(
        Commune,
        verbose_name="communes concernées",
        blank=True,
        related_name="+",
        help_text="Seulement si l'action ne couvre pas tout le périmètre.",
    )
    objectif_prs = models.TextField("objectif du PRS", blank=True)
    priorite = models.CharField("priorité", max_length=10, choices=Priorite.choices, blank=True)
    participation = models.CharField(
        "participation des habitants", max_length=20, choices=Participation.choices, blank=True
    )
    debut_prevu = BoundedDateModelField("début prévu", null=True, blank=True)
    fin_prevue = BoundedDateModelField("fin prévue", null=True, blank=True)
    debut_reel = BoundedDateModelField("début réel", null=True, blank=True)
    fin_reelle = BoundedDateModelField("fin réelle", null=True, blank=True)
    enjeux = models.ManyToManyField(
        "diagnostics.Enjeu",
        verbose_name="enjeux du diagnostic auxquels elle répond",
        blank=True,
        related_name="actions",
    )
    programme = models.ForeignKey(
        Programme, verbose_name="programme", on_delete=models.PROTECT, null=True, blank=True, related_name="fiches"
    )
    etat = models.CharField("état", max_length=12, choices=Etat.choices, blank=True)
    predecesseur = models.ForeignKey(
        "self",
        verbose_name="fiche du CLS précédent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suites",
        help_text="La fiche de la génération précédente que celle-ci poursuit.",
    )
    date_ajout = BoundedDateModelField("ajoutée au plan le", null=True, blank=True)

    objects = FicheActionQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version", "updated_at"], m2m_fields=[partenaires, publics, themes, lieux, enjeux]
    )

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches actions"
        ordering = ["cls", "axe__transversal", "axe__numero", "rang"]
        constraints = [
            models.UniqueConstraint(
                fields=["cls", "numero"],
                name="fiche_numero_unique",
                violation_error_message="Ce numéro de fiche est déjà utilisé dans ce CLS.",
            ),
            models.CheckConstraint(
                condition=Q(fin_prevue__isnull=True)
                | Q(debut_prevu__isnull=True)
                | Q(fin_prevue__gte=models.F("debut_prevu")),
                name="fiche_fin_prevue_apres_debut",
                violation_error_message="La fin prévue ne peut pas précéder le début prévu.",
            ),
            models.CheckConstraint(
                condition=Q(fin_reelle__isnull=True)
                | Q(debut_reel__isnull=True)
                | Q(fin_reelle__gte=models.F("debut_reel")),
                name="fiche_fin_reelle_apres_debut",
                violation_error_message="La fin réelle ne peut pas précéder le début réel.",
            ),
            dates_in_range_constraint(
                "fiche_dates_bornees", "debut_prevu", "fin_prevue", "debut_reel", "fin_reelle", "date_ajout"
            ),
        ]

    def __str__(self):
        return f"{self.numero} {self.titre}"

    def compute_numero(self) -> str:
        return f"{axe_prefix(self.axe)}.{self.rang}"

    def save(self, *args, **kwargs):
        self.numero = self.compute_numero()
        super().save(*args, **kwargs)

    def date_errors(self) -> dict[str, str]:
        """The calendar's rules (no query: also used by the spreadsheet import, row by row)."""
        errors = {}
        if self.debut_prevu and self.fin_prevue and self.fin_prevue < self.debut_prevu:
            errors["fin_prevue"] = "La fin prévue ne peut pas précéder le début prévu."
        if self.debut_reel and self.fin_reelle and self.fin_reelle < self.debut_reel:
            errors["fin_reelle"] = "La fin réelle ne peut pas précéder le début réel."
        return errors

    def clean(self):
        errors = self.date_errors()
        if self.axe_id and self.cls_id and self.axe.cls_id != self.cls_id:
            errors["axe"] = "L'axe choisi n'appartient pas à ce CLS."
        if self.rang and self.cls_id:
            numero = self.compute_numero()
            clash = FicheAction.objects.filter(cls_id=self.cls_id, numero=numero).exclude(pk=self.pk)
            if clash.exists():
                errors["rang"] = f"Le numéro {numero} est déjà utilisé dans ce CLS."
        if errors:
            raise ValidationError(errors)

    def can_edit(self, user) -> bool:
        return FicheAction.objects.editable_by(user).filter(pk=self.pk).exists()

    def can_update(self, user) -> bool:
        return FicheAction.objects.updatable_by(user).filter(pk=self.pk).exists()

    def is_late(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.etat == Etat.EN_RETARD:
            return True
        return bool(
            self.fin_prevue
            and self.fin_prevue < today
            and self.etat not in (Etat.REALISEE, Etat.ABANDONNEE)
            and not self.fin_reelle
        )


class Etape(TimeStampedModel):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="etapes")
    ordre = models.PositiveSmallIntegerField("ordre")
    libelle = models.CharField("étape", max_length=300)
    echeance = BoundedDateModelField("échéance", null=True, blank=True)
    faite = models.BooleanField("faite", default=False)
    faite_le = BoundedDateModelField("faite le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "étape"
        ordering = ["fiche", "ordre", "pk"]
        constraints = [dates_in_range_constraint("etape_dates_bornees", "echeance", "faite_le")]

    def __str__(self):
        return self.libelle


class NoteSuivi(TimeStampedModel):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="notes")
    date = BoundedDateModelField("date")
    texte = models.TextField("note")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.SET_NULL, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "note de suivi"
        verbose_name_plural = "notes de suivi"
        ordering = ["fiche", "-date", "-pk"]
        constraints = [dates_in_range_constraint("note_suivi_date_bornee", "date")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} : {self.texte[:60]}"


class ChangementEtat(TimeStampedModel):
    """One change of a fiche's state, with its date and reason (see ``services.change_state``)."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="changements_etat")
    ancien_etat = models.CharField("ancien état", max_length=12, choices=Etat.choices, blank=True)
    etat = models.CharField("nouvel état", max_length=12, choices=Etat.choices)
    date = BoundedDateModelField("date")
    motif = models.TextField("motif", blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = "changement d'état"
        verbose_name_plural = "changements d'état"
        ordering = ["fiche", "-date", "-pk"]
        constraints = [dates_in_range_constraint("changement_etat_date_borne", "date")]

    def __str__(self):
        return f"{self.get_etat_display()} le {self.date:%d/%m/%Y}"


class FinancementQuerySet(models.QuerySet):
    def totals_by(self, *fields: str):
        """Rows of ``fields`` with ``total``, computed by the database."""
        return self.order_by().values(*fields).annotate(total=Sum("montant")).order_by(*fields)

    def total(self) -> Decimal:
        return Decimal(self.aggregate(total=money_sum("montant"))["total"]).quantize(Decimal("0.01"))


class Financement(TimeStampedModel):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="financements")
    financeur = models.ForeignKey(
        Organisation, verbose_name="financeur", on_delete=models.PROTECT, related_name="financements"
    )
    annee = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    montant = models.DecimalField("montant (€)", **MONEY)
    nature = models.CharField("nature", max_length=15, choices=Nature.choices, default=Nature.FONCTIONNEMENT)
    stade = models.CharField("stade", max_length=10, choices=Stade.choices, default=Stade.SOLLICITE)

    objects = FinancementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "financement"
        ordering = ["fiche", "annee", "financeur__nom", "pk"]
        constraints = [amount_constraint("financement_montant_positif"), year_constraint("financement_annee")]

    def __str__(self):
        return f"{self.financeur} {self.annee} : {self.montant} €"


class Depense(TimeStampedModel):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="depenses")
    annee = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    montant = models.DecimalField("montant dépensé (€)", **MONEY)
    libelle = models.CharField("objet", max_length=200, blank=True)

    objects = FinancementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dépense"
        ordering = ["fiche", "annee", "pk"]
        constraints = [amount_constraint("depense_montant_positif"), year_constraint("depense_annee")]

    def __str__(self):
        return f"{self.annee} : {self.montant} €"


class FinancementCoordination(TimeStampedModel):
    """ARS funding of the coordinator post of a CLS, per year."""

    cls = models.ForeignKey(Cls, on_delete=models.PROTECT, related_name="financements_coordination")
    annee = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    montant = models.DecimalField("montant (€)", **MONEY)
    stade = models.CharField("stade", max_length=10, choices=Stade.choices, default=Stade.ACQUIS)

    objects = FinancementQuerySet.as_manager()
    history = HistoricalRecords()

    @staticmethod
    def can_manage(contract: Cls, user) -> bool:
        """Whether ``user`` records the ARS funding of the coordination of ``contract``."""
        if not user.is_authenticated or not (user.is_superuser or user.role == Role.ARS):
            return False
        return Cls.objects.editable_by(user).filter(pk=contract.pk).exists()

    class Meta:
        verbose_name = "financement de la coordination"
        verbose_name_plural = "financements de la coordination"
        ordering = ["cls", "annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["cls", "annee"],
                name="financement_coordination_unique",
                violation_error_message="Un financement de la coordination est déjà inscrit pour cette année : "
                "supprimez-le avant d'en saisir un autre.",
            ),
            amount_constraint("financement_coordination_montant_positif"),
            year_constraint("financement_coordination_annee"),
        ]

    def __str__(self):
        return f"Coordination {self.annee} : {euros(self.montant)} ({self.get_stade_display().lower()})"


class TypeIndicateur(models.TextChoices):
    PROCESSUS = "processus", "Processus"
    RESULTAT = "resultat", "Résultat"
    IMPACT = "impact", "Impact"


class Indicateur(TimeStampedModel):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("indicateur", max_length=300)
    type = models.CharField("type", max_length=10, choices=TypeIndicateur.choices, default=TypeIndicateur.PROCESSUS)
    unite = models.CharField("unité", max_length=50, blank=True)
    est_taux = models.BooleanField(
        "c'est un taux", default=False, help_text="Un taux se saisit en numérateur et dénominateur (résultat en %)."
    )
    valeur_initiale = models.DecimalField("valeur initiale", **VALUE, null=True, blank=True)
    cible = models.DecimalField("cible", **VALUE, null=True, blank=True)
    date_cible = BoundedDateModelField("cible à atteindre le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur"
        ordering = ["fiche", "pk"]
        constraints = [
            dates_in_range_constraint("indicateur_date_cible_bornee", "date_cible"),
            values_in_range_constraint("indicateur_valeurs_bornees", "valeur_initiale", "cible"),
        ]

    def __str__(self):
        return self.libelle

    def progress(self, latest: Decimal | None) -> int | None:
        """Percentage of the way from the baseline (or 0) to the target, bounded to 0-100."""
        if latest is None or self.cible is None:
            return None
        start = self.valeur_initiale or Decimal("0")
        if self.cible == start:
            return 100 if latest == self.cible else 0
        ratio = (latest - start) / (self.cible - start) * 100
        return max(0, min(100, round(ratio)))


class MesureQuerySet(models.QuerySet):
    def rate(self) -> Decimal | None:
        """A rate over several measures: sum of numerators / sum of denominators, in %."""
        totals = self.aggregate(num=Sum("numerateur"), den=Sum("denominateur"))
        if not totals["den"]:
            return None
        return (Decimal(totals["num"] or 0) / Decimal(totals["den"]) * 100).quantize(Decimal("0.01"))


class Mesure(TimeStampedModel):
    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="mesures")
    annee = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    periode = models.CharField("période", max_length=30, blank=True, help_text="Vide pour l'année entière (ex. : T1).")
    valeur = models.DecimalField("valeur", **VALUE, null=True, blank=True)
    numerateur = models.DecimalField("numérateur", **VALUE, null=True, blank=True)
    denominateur = models.DecimalField("dénominateur", **VALUE, null=True, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    commentaire = models.TextField("commentaire", blank=True)

    objects = MesureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "mesure"
        ordering = ["indicateur", "annee", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicateur", "annee", "periode"],
                name="mesure_unique",
                violation_error_message="Une valeur est déjà saisie pour cette période.",
            ),
            models.CheckConstraint(
                condition=Q(denominateur__isnull=True) | Q(denominateur__gt=0),
                name="mesure_denominateur_positif",
                violation_error_message="Le dénominateur doit être supérieur à zéro.",
            ),
            year_constraint("mesure_annee"),
            values_in_range_constraint("mesure_valeurs_bornees", "valeur", "numerateur", "denominateur"),
        ]

    def __str__(self):
        return f"{self.annee}{' ' + self.periode if self.periode else ''} : {self.value}"

    @property
    def value(self) -> Decimal | None:
        if self.indicateur.est_taux:
            if self.numerateur is None or not self.denominateur:
                return None
            return (self.numerateur / self.denominateur * 100).quantize(Decimal("0.01"))
        return self.valeur

    def clean(self):
        if self.indicateur_id is None:
            return
        if self.indicateur.est_taux:
            errors = {}
            if self.numerateur is None:
                errors["numerateur"] = "Pour un taux, saisissez le numérateur."
            if not self.denominateur:
                errors["denominateur"] = "Pour un taux, saisissez un dénominateur supérieur à zéro."
            if errors:
                raise ValidationError(errors)
        elif self.valeur is None:
            raise ValidationError({"valeur": "Saisissez la valeur mesurée."})
