"""The care-offer registry: coordinated-care structures and medico-social schemes.

A structure's state at a date (projet → en fonctionnement → fermé) is derived from its
dated transitions (``date_projet``, ``date_ouverture``, ``date_fermeture``), never
stored as a single status, so that "how many MSP at the end of 2023" stays answerable.
Where a source only gives counts, they are kept as ``ComptageDeclare`` rows with their
source and date, shown beside the structures actually recorded.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum
from simple_history.models import HistoricalRecords

from careoffer import schedule
from contracts.models import Cls
from core.models import TimeStampedModel, VersionedModel
from core.validators import MONEY, BoundedDateModelField, dates_in_range_constraint, money_in_range_constraint
from territories.models import Commune, Departement
from territories.perms import departements_in_scope


class TypeStructure(models.TextChoices):
    MSP = "msp", "Maison de santé pluriprofessionnelle (MSP)"
    ESP = "esp", "Équipe de soins primaires (ESP)"
    CPTS = "cpts", "Communauté professionnelle territoriale de santé (CPTS)"
    MMG = "mmg", "Maison médicale de garde (MMG)"
    CDS = "cds", "Centre de santé"


SHORT_LABELS = {"msp": "MSP", "esp": "ESP", "cpts": "CPTS", "mmg": "MMG", "cds": "Centre de santé"}


class Etat(models.TextChoices):
    PROJET = "projet", "Projet"
    FONCTIONNEMENT = "fonctionnement", "En fonctionnement"
    FERME = "ferme", "Fermé"


class Precision(models.TextChoices):
    JOUR = "jour", "Jour"
    TRIMESTRE = "trimestre", "Trimestre"
    ANNEE = "annee", "Année"


def format_forecast(day: datetime.date | None, precision: str) -> str:
    """« 15/03/2024 », « T1 2024 » or « 2024 »."""
    if day is None:
        return ""
    if precision == Precision.ANNEE:
        return str(day.year)
    if precision == Precision.TRIMESTRE:
        return f"T{(day.month - 1) // 3 + 1} {day.year}"
    return day.strftime("%d/%m/%Y")


def forecast_is_aligned(day: datetime.date, precision: str) -> bool:
    if precision == Precision.ANNEE:
        return (day.month, day.day) == (1, 1)
    if precision == Precision.TRIMESTRE:
        return day.day == 1 and day.month in (1, 4, 7, 10)
    return True


def _editable_by_departement(queryset, user):
    """Records of the departments in ``user``'s scope (``territories.perms``): the ARS that follows them."""
    return queryset.filter(departement__in=departements_in_scope(user))


class StructureQuerySet(models.QuerySet):
    def for_user(self, user):
        """The registry is public: everybody reads every structure."""
        return self

    def editable_by(self, user):
        return _editable_by_departement(self, user)

    def en_fonctionnement_at(self, day: datetime.date):
        return self.filter(Q(date_ouverture__lte=day), Q(date_fermeture__isnull=True) | Q(date_fermeture__gt=day))

    def projets_at(self, day: datetime.date):
        return self.filter(
            Q(date_ouverture__isnull=True) | Q(date_ouverture__gt=day),
            Q(date_fermeture__isnull=True) | Q(date_fermeture__gt=day),
            Q(date_projet__isnull=True) | Q(date_projet__lte=day),
        )

    def fermees_at(self, day: datetime.date):
        return self.filter(date_fermeture__lte=day)

    def counts_at(self, day: datetime.date) -> dict[str, dict[str, int]]:
        """{type: {"fonctionnement": n, "projet": n, "ferme": n}} in one query."""
        opened = Q(date_ouverture__lte=day) & (Q(date_fermeture__isnull=True) | Q(date_fermeture__gt=day))
        closed = Q(date_fermeture__lte=day)
        project = (
            (Q(date_ouverture__isnull=True) | Q(date_ouverture__gt=day))
            & (Q(date_fermeture__isnull=True) | Q(date_fermeture__gt=day))
            & (Q(date_projet__isnull=True) | Q(date_projet__lte=day))
        )
        rows = (
            self.order_by()
            .values("type")
            .annotate(
                fonctionnement=Count("pk", filter=opened),
                projet=Count("pk", filter=project),
                ferme=Count("pk", filter=closed),
            )
        )
        counts = {kind: {"fonctionnement": 0, "projet": 0, "ferme": 0} for kind in TypeStructure.values}
        for row in rows:
            counts[row["type"]] = {key: row[key] for key in ("fonctionnement", "projet", "ferme")}
        return counts


class Structure(VersionedModel):
    """A structure of coordinated care: MSP, ESP, CPTS, MMG or centre de santé."""

    type = models.CharField("type", max_length=10, choices=TypeStructure.choices)
    nom = models.CharField("nom", max_length=200)
    departement = models.ForeignKey(Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune d'implantation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Pour une CPTS : la commune de son siège.",
    )
    communes = models.ManyToManyField(
        Commune,
        verbose_name="territoire couvert (CPTS)",
        blank=True,
        related_name="+",
        help_text="Une CPTS couvre un ensemble de communes ; vide pour les autres structures.",
    )
    adresse = models.CharField("adresse ou lieu", max_length=300, blank=True)
    porteur = models.ForeignKey(
        "contracts.Organisation",
        verbose_name="porteur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures_offre_de_soins",
    )
    # Dated transitions: the state at any date is derived from them.
    date_projet = BoundedDateModelField("projet connu depuis le", null=True, blank=True)
    date_prevision = BoundedDateModelField(
        "ouverture prévue",
        null=True,
        blank=True,
        help_text="Premier jour de la période prévue (1er janvier 2024 pour « 2024 », 1er avril pour « T2 »).",
    )
    precision_prevision = models.CharField(
        "précision de la prévision", max_length=10, choices=Precision.choices, default=Precision.JOUR
    )
    date_ouverture = BoundedDateModelField("ouverte le", null=True, blank=True)
    date_fermeture = BoundedDateModelField("fermée le", null=True, blank=True)
    nb_medecins = models.PositiveSmallIntegerField("médecins", null=True, blank=True)
    nb_autres_professionnels = models.PositiveSmallIntegerField(
        "autres professionnels de santé (paramédicaux…)", null=True, blank=True
    )
    nb_professions_paramedicales = models.PositiveSmallIntegerField(
        "professions paramédicales représentées", null=True, blank=True, help_text="Infirmier, kinésithérapeute… : 2."
    )
    source = models.CharField("source", max_length=300, blank=True)
    observations = models.TextField("observations", blank=True)

    objects = StructureQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = "structure d'exercice coordonné"
        verbose_name_plural = "structures d'exercice coordonné"
        ordering = ["departement__code", "type", "nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "type", "nom"],
                name="structure_nom_unique",
                violation_error_message="Une structure de ce type porte déjà ce nom dans le département.",
            ),
            models.CheckConstraint(
                condition=Q(date_fermeture__isnull=True)
                | (Q(date_ouverture__isnull=False) & Q(date_fermeture__gte=F("date_ouverture"))),
                name="structure_fermeture_apres_ouverture",
                violation_error_message="Une structure ne peut fermer qu'après avoir ouvert.",
            ),
            dates_in_range_constraint(
                "structure_dates_bornees", "date_projet", "date_prevision", "date_ouverture", "date_fermeture"
            ),
        ]

    def __str__(self):
        return self.nom

    @property
    def type_court(self) -> str:
        return SHORT_LABELS[self.type]

    @property
    def prevision(self) -> str:
        return format_forecast(self.date_prevision, self.precision_prevision)

    def etat_at(self, day: datetime.date) -> Etat:
        if self.date_fermeture and self.date_fermeture <= day:
            return Etat.FERME
        if self.date_ouverture and self.date_ouverture <= day:
            return Etat.FONCTIONNEMENT
        return Etat.PROJET

    def clean(self):
        errors = {}
        if self.date_fermeture and not self.date_ouverture:
            errors["date_fermeture"] = (
                "Indiquez d'abord la date d'ouverture : une structure ne ferme qu'après avoir ouvert."
            )
        elif self.date_fermeture and self.date_fermeture < self.date_ouverture:
            errors["date_fermeture"] = "La fermeture ne peut pas précéder l'ouverture."
        if self.date_projet and self.date_ouverture and self.date_projet > self.date_ouverture:
            errors["date_projet"] = "Le projet ne peut pas être postérieur à l'ouverture."
        if self.date_prevision and not forecast_is_aligned(self.date_prevision, self.precision_prevision):
            errors["date_prevision"] = (
                "Pour une prévision au trimestre ou à l'année, la date est le premier jour de la période "
                "(ex. : 01/01/2024 pour « T1 2024 » ou « 2024 »)."
            )
        if self.commune_id and self.departement_id and self.commune.departement_id != self.departement_id:
            errors["commune"] = "La commune n'est pas dans le département de la structure."
        if errors:
            raise ValidationError(errors)

    def alertes_membres(self) -> list[str]:
        """What the members data says against the MSP definition (2 doctors and 1 paramedical profession)."""
        if self.type != TypeStructure.MSP:
            return []
        alerts = []
        if self.nb_medecins is not None and self.nb_medecins < 2:
            alerts.append(f"Une MSP réunit au moins deux médecins : {self.nb_medecins} renseigné.")
        paramedical = (
            self.nb_professions_paramedicales
            if self.nb_professions_paramedicales is not None
            else self.nb_autres_professionnels
        )
        if paramedical == 0:
            alerts.append("Une MSP réunit au moins une profession paramédicale : aucune renseignée.")
        return alerts

    def territoire(self):
        """The communes the structure serves: its CPTS territory, else its commune."""
        if self.type == TypeStructure.CPTS:
            communes = self.communes.all()
            if communes.exists():
                return communes
        return Commune.objects.filter(pk=self.commune_id)

    def cls_at(self, day: datetime.date):
        """The CLS in force on ``day`` whose perimeter contains (part of) the structure's territory."""
        return Cls.objects.in_force_at(day).filter(communes__in=self.territoire()).distinct()

    def can_edit(self, user) -> bool:
        return Structure.objects.editable_by(user).filter(pk=self.pk).exists()

    def slots(self) -> list[schedule.Slot]:
        return [(c.jour, c.debut, c.fin) for c in self.creneaux.all()]

    def is_open(self, at: datetime.datetime) -> bool:
        return schedule.is_open(self.slots(), at, departement_code=self.departement.code)

    def next_opening(self, at: datetime.datetime):
        return schedule.next_opening(self.slots(), at, departement_code=self.departement.code)


class Jour(models.IntegerChoices):
    LUNDI = 0, "Lundi"
    MARDI = 1, "Mardi"
    MERCREDI = 2, "Mercredi"
    JEUDI = 3, "Jeudi"
    VENDREDI = 4, "Vendredi"
    SAMEDI = 5, "Samedi"
    DIMANCHE = 6, "Dimanche"
    FERIE = schedule.HOLIDAY, "Jours fériés"


class Creneau(TimeStampedModel):
    """A weekly opening slot of a maison médicale de garde (wall-clock time, Europe/Paris)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="creneaux")
    jour = models.PositiveSmallIntegerField("jour", choices=Jour.choices)
    debut = models.TimeField("de")
    fin = models.TimeField("à")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "créneau d'ouverture"
        verbose_name_plural = "créneaux d'ouverture"
        ordering = ["structure", "jour", "debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__gt=F("debut")),
                name="creneau_fin_apres_debut",
                violation_error_message="La fin du créneau doit suivre son début.",
            ),
            models.UniqueConstraint(fields=["structure", "jour", "debut"], name="creneau_unique"),
        ]

    def __str__(self):
        return f"{self.get_jour_display()} {self.debut:%H:%M}-{self.fin:%H:%M}"

    def clean(self):
        if self.debut and self.fin and self.fin <= self.debut:
            raise ValidationError({"fin": "La fin du créneau doit suivre son début."})


class ActiviteMmg(TimeStampedModel):
    """Activity of a maison médicale de garde over a period, as reported."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="activites")
    debut = BoundedDateModelField("période : du")
    fin = BoundedDateModelField("au", null=True, blank=True, help_text="Vide : jusqu'à la date du rapport.")
    consultations_par_weekend = models.DecimalField(
        "consultations par week-end (moyenne)", max_digits=7, decimal_places=1, validators=[MinValueValidator(0)]
    )
    part_centre15 = models.DecimalField(
        "part orientée par le Centre 15 (%)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    part_urgences = models.DecimalField(
        "part orientée par les urgences (%)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    source = models.CharField("source", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "activité de maison médicale de garde"
        verbose_name_plural = "activités de maisons médicales de garde"
        ordering = ["structure", "debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=F("debut")),
                name="activite_fin_apres_debut",
                violation_error_message="La fin de la période doit suivre son début.",
            ),
            dates_in_range_constraint("activite_dates_bornees", "debut", "fin"),
        ]

    def __str__(self):
        return f"Activité de {self.structure} depuis le {self.debut:%d/%m/%Y}"

    def clean(self):
        if self.fin and self.debut and self.fin < self.debut:
            raise ValidationError({"fin": "La fin de la période doit suivre son début."})
        if (self.part_centre15 or 0) + (self.part_urgences or 0) > 100:
            raise ValidationError("Les parts orientées par le Centre 15 et par les urgences dépassent 100 %.")


class TypeDispositif(models.TextChoices):
    GEM = "gem", "Groupe d'entraide mutuelle (GEM)"
    UEMA = "uema", "Unité d'enseignement en maternelle autisme (UEMA)"
    UEEA = "ueea", "Unité d'enseignement élémentaire autisme (UEEA)"
    AUTRE = "autre", "Autre dispositif médico-social"


DISPOSITIF_SHORT = {"gem": "GEM", "uema": "UEMA", "ueea": "UEEA", "autre": "Autre"}
GEM_MIN_HOURS = Decimal(35)


class DispositifQuerySet(models.QuerySet):
    def for_user(self, user):
        return self

    def editable_by(self, user):
        return _editable_by_departement(self, user)


class Dispositif(VersionedModel):
    """A medico-social scheme: GEM, UEMA, UEEA, or another kind."""

    type = models.CharField("type", max_length=10, choices=TypeDispositif.choices)
    libelle_type = models.CharField("nature (type « autre »)", max_length=100, blank=True)
    nom = models.CharField("nom", max_length=200)
    departement = models.ForeignKey(Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, verbose_name="commune", on_delete=models.PROTECT, related_name="+")
    ecole = models.CharField("école d'accueil", max_length=200, blank=True)
    porteur = models.ForeignKey(
        "contracts.Organisation",
        verbose_name="porteur (association, établissement)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispositifs_portes",
    )
    parrain = models.ForeignKey(
        "contracts.Organisation",
        verbose_name="parrain (GEM)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispositifs_parraines",
    )
    date_ouverture = BoundedDateModelField("ouvert le", null=True, blank=True)
    annee_scolaire_ouverture = models.PositiveSmallIntegerField(
        "ouverte à la rentrée", null=True, blank=True, help_text="Année de la rentrée : 2023 pour 2023/2024."
    )
    ouverture_avant = models.PositiveSmallIntegerField(
        "ouverte avant la rentrée",
        null=True,
        blank=True,
        help_text="Quand seule une borne est connue : 2023 pour « déjà ouverte avant la rentrée 2023/2024 ».",
    )
    heures_hebdo = models.DecimalField(
        "heures d'ouverture par semaine",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    capacite = models.PositiveSmallIntegerField("capacité (places)", null=True, blank=True)
    age_min = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("âge maximum", null=True, blank=True)
    budget_annuel = models.DecimalField("budget annuel (€)", **MONEY, null=True, blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    observations = models.TextField("observations", blank=True)

    objects = DispositifQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = "dispositif médico-social"
        verbose_name_plural = "dispositifs médico-sociaux"
        ordering = ["departement__code", "type", "nom"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "type", "nom"], name="dispositif_nom_unique"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_max__gte=F("age_min")),
                name="dispositif_ages_ordonnes",
                violation_error_message="L'âge maximum doit être supérieur ou égal à l'âge minimum.",
            ),
            models.CheckConstraint(
                condition=~Q(type="gem") | Q(heures_hebdo__isnull=True) | Q(heures_hebdo__gte=35),
                name="gem_35_heures",
                violation_error_message="Un GEM est ouvert au moins 35 heures par semaine.",
            ),
            dates_in_range_constraint("dispositif_date_ouverture_bornee", "date_ouverture"),
            money_in_range_constraint("dispositif_budget_borne", "budget_annuel"),
        ]

    def __str__(self):
        return self.nom

    @property
    def type_court(self) -> str:
        if self.type == TypeDispositif.AUTRE and self.libelle_type:
            return self.libelle_type
        return DISPOSITIF_SHORT[self.type]

    @property
    def ouverture(self) -> str:
        if self.date_ouverture:
            return self.date_ouverture.strftime("%d/%m/%Y")
        if self.annee_scolaire_ouverture:
            return f"rentrée {school_year_label(self.annee_scolaire_ouverture)}"
        if self.ouverture_avant:
            return f"avant la rentrée {school_year_label(self.ouverture_avant)}"
        return ""

    def clean(self):
        errors = {}
        if self.type == TypeDispositif.GEM and self.heures_hebdo is not None and self.heures_hebdo < GEM_MIN_HOURS:
            errors["heures_hebdo"] = "Un GEM est ouvert au moins 35 heures par semaine."
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            errors["age_max"] = "L'âge maximum doit être supérieur ou égal à l'âge minimum."
        if self.type == TypeDispositif.AUTRE and not self.libelle_type:
            errors["libelle_type"] = "Précisez la nature du dispositif."
        if self.commune_id and self.departement_id and self.commune.departement_id != self.departement_id:
            errors["commune"] = "La commune n'est pas dans le département du dispositif."
        if errors:
            raise ValidationError(errors)

    def can_edit(self, user) -> bool:
        return Dispositif.objects.editable_by(user).filter(pk=self.pk).exists()


def school_year_label(start_year: int) -> str:
    return f"{start_year}/{start_year + 1}"


class AnneeScolaireQuerySet(models.QuerySet):
    def totals_by_year(self, departement: Departement) -> list[dict]:
        """Per school year and kind: units, places, children enrolled (where known) and budget, in one query."""
        return list(
            self.filter(dispositif__departement=departement)
            .order_by()
            .values("annee", "dispositif__type")
            .annotate(
                unites=Count("pk"),
                places=Sum("dispositif__capacite"),
                enfants=Sum("enfants_inscrits"),
                enfants_renseignes=Count("enfants_inscrits"),
                budget=Sum("budget"),
            )
            .order_by("annee", "dispositif__type")
        )


class AnneeScolaireDispositif(TimeStampedModel):
    """A teaching unit's school year: children enrolled and budget."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="annees_scolaires")
    annee = models.PositiveSmallIntegerField("année de la rentrée", help_text="2023 pour 2023/2024.")
    enfants_inscrits = models.PositiveSmallIntegerField("enfants scolarisés", null=True, blank=True)
    budget = models.DecimalField("budget de l'année (€)", **MONEY, null=True, blank=True)
    source = models.CharField("source", max_length=300, blank=True)

    objects = AnneeScolaireQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "année scolaire d'une unité"
        verbose_name_plural = "années scolaires des unités"
        ordering = ["dispositif", "annee"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "annee"], name="annee_scolaire_unique"),
            money_in_range_constraint("annee_scolaire_budget_positif", "budget"),
        ]

    def __str__(self):
        return f"{self.dispositif} — {self.libelle}"

    @property
    def libelle(self) -> str:
        return school_year_label(self.annee)

    def clean(self):
        capacite = self.dispositif.capacite if self.dispositif_id else None
        if self.enfants_inscrits is not None and capacite is not None and self.enfants_inscrits > capacite:
            raise ValidationError({"enfants_inscrits": f"Plus d'enfants que de places ({capacite})."})


class Subvention(TimeStampedModel):
    """A yearly subsidy to a scheme (calendar year)."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="subventions")
    annee = models.PositiveSmallIntegerField("année")
    montant = models.DecimalField("montant (€)", **MONEY)
    financeur = models.ForeignKey(
        "contracts.Organisation", verbose_name="financeur", on_delete=models.PROTECT, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "subvention"
        ordering = ["dispositif", "annee"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "annee", "financeur"], name="subvention_unique"),
            money_in_range_constraint("subvention_montant_positif", "montant"),
        ]

    def __str__(self):
        return f"{self.dispositif} — {self.annee} : {self.montant} €"


class Indicateur(models.TextChoices):
    STRUCTURES = "structures", "Nombre de structures ou d'unités"
    ENFANTS = "enfants", "Enfants scolarisés"


class ComptageDeclareQuerySet(models.QuerySet):
    def latest_by_type(self, departement: Departement) -> dict[tuple[str, str], ComptageDeclare]:
        """The most recent declared figure per (type, indicator)."""
        latest = {}
        for row in self.filter(departement=departement).order_by("date", "pk"):
            latest[(row.type, row.indicateur)] = row
        return latest


class ComptageDeclare(TimeStampedModel):
    """A count stated by a document (« 20 MSP en fonctionnement dans la Marne »), not a list of structures."""

    departement = models.ForeignKey(Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+")
    type = models.CharField("type", max_length=10, choices=[*TypeStructure.choices, *TypeDispositif.choices])
    indicateur = models.CharField(
        "indicateur", max_length=12, choices=Indicateur.choices, default=Indicateur.STRUCTURES
    )
    valeur = models.PositiveIntegerField("valeur déclarée")
    date = BoundedDateModelField("date du chiffre")
    annee_scolaire = models.PositiveSmallIntegerField("année de la rentrée", null=True, blank=True)
    source = models.CharField("source", max_length=300)

    objects = ComptageDeclareQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "comptage déclaré"
        verbose_name_plural = "comptages déclarés"
        ordering = ["departement__code", "type", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "type", "indicateur", "date"], name="comptage_declare_unique"
            ),
            dates_in_range_constraint("comptage_declare_date_bornee", "date"),
        ]

    def __str__(self):
        return f"{self.valeur} {self.get_type_display()} ({self.departement.code}, {self.date:%d/%m/%Y})"
