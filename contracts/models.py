"""The CLS registry: contracts, their perimeter, parties, axes and avenants.

A CLS's state at any date is derived from its dated milestones (see
``contracts.lifecycle``), never stored as a single "current status".
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, VersionedModel
from core.validators import BoundedDateModelField, dates_in_range_constraint
from territories.models import Commune, Departement, Epci, Groupement


class OrganisationType(models.TextChoices):
    ARS = "ars", "ARS"
    ETAT = "etat", "Préfecture / État"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    CPAM = "cpam", "CPAM"
    CAF = "caf", "CAF"
    MSA = "msa", "MSA"
    CARSAT = "carsat", "CARSAT"
    EDUCATION = "education", "Éducation nationale"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    PETR = "petr", "PETR / Pays"
    CCAS = "ccas", "CCAS"
    HOPITAL = "hopital", "Établissement de santé"
    UNIVERSITE = "universite", "Université"
    MUTUELLE = "mutuelle", "Mutuelle"
    ASSOCIATION = "association", "Association"
    AUTRE = "autre", "Autre"


class Organisation(VersionedModel):
    """One directory for signatories, partners, carriers and funders."""

    nom = models.CharField("nom", max_length=200, unique=True)
    type = models.CharField("type", max_length=20, choices=OrganisationType.choices)
    siren = models.CharField(
        "SIREN",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", "Le SIREN compte exactement 9 chiffres.")],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisation"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


generation_validator = RegexValidator(
    r"^[1-9]\d?\+?$", "La génération s'écrit avec un nombre, éventuellement suivi de « + » (ex. : 2, 2+, 3)."
)


class ClsQuerySet(models.QuerySet):
    def for_user(self, user):
        """What ``user`` may see: every authenticated user reads the registry."""
        return self if user.is_authenticated else self.none()

    def editable_by(self, user):
        from contracts.perms import editable_cls

        return editable_cls(self, user)

    def with_perimeter_totals(self):
        """Annotate ``nb_communes`` and ``population`` (each commune once), without GROUP BY on rows."""
        links = Cls.communes.through.objects.filter(cls_id=OuterRef("pk")).order_by().values("cls_id")
        return self.annotate(
            nb_communes=Subquery(links.annotate(n=Count("commune_id")).values("n")),
            population=Subquery(links.annotate(p=Sum("commune__population")).values("p")),
        )

    def in_force_at(self, day: datetime.date):
        """Signed, started and not yet ended (nor abandoned) on ``day``."""
        return self.filter(
            Q(date_debut_effective__lte=day),
            Q(date_fin_effective__isnull=True) | Q(date_fin_effective__gte=day),
            Q(date_abandon__isnull=True) | Q(date_abandon__gt=day),
        )

    def in_preparation_at(self, day: datetime.date):
        """In préfiguration, élaboration, or signed but not started, on ``day``."""
        return self.filter(
            Q(date_debut_preparation__lte=day) | Q(date_signature__lte=day),
            Q(date_debut_effective__isnull=True) | Q(date_debut_effective__gt=day),
            Q(date_abandon__isnull=True) | Q(date_abandon__gt=day),
        )

    def in_force_or_preparation_at(self, day: datetime.date):
        return self.in_force_at(day) | self.in_preparation_at(day)


class Cls(VersionedModel):
    nom = models.CharField("nom", max_length=200)
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        on_delete=models.PROTECT,
        related_name="cls",
        help_text="Département de rattachement (délégation territoriale de l'ARS qui suit le contrat).",
    )
    porteur_commune = models.ForeignKey(
        Commune, verbose_name="porteur : commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    porteur_epci = models.ForeignKey(
        Epci, verbose_name="porteur : EPCI", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    porteur_groupement = models.ForeignKey(
        Groupement,
        verbose_name="porteur : groupement (PETR, Pays…)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    generation = models.CharField(
        "génération", max_length=4, validators=[generation_validator], help_text="1, 2, 2+, 3…"
    )
    predecesseur = models.OneToOneField(
        "self",
        verbose_name="CLS précédent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successeur",
    )
    coordinateurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="coordinateurs (comptes SantéLoc)",
        blank=True,
        related_name="cls_coordonnes",
    )
    structure_coordination = models.ForeignKey(
        Organisation,
        verbose_name="structure qui assure la coordination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cls_coordonnes",
    )
    # Dated milestones: the state at any date is derived from them.
    date_engagement = BoundedDateModelField("intention déclarée le", null=True, blank=True)
    date_prefiguration = BoundedDateModelField("préfiguration / diagnostic engagé le", null=True, blank=True)
    date_elaboration = BoundedDateModelField("élaboration attestée le", null=True, blank=True)
    date_signature = BoundedDateModelField("signé le", null=True, blank=True)
    date_debut = BoundedDateModelField("début d'application", null=True, blank=True)
    date_fin = BoundedDateModelField("fin prévue à la signature", null=True, blank=True)
    date_abandon = BoundedDateModelField("abandonné le", null=True, blank=True)
    # Derived from the milestones, the avenants and the successor (contracts.lifecycle);
    # stored so that coverage at a date is one SQL query.
    date_debut_preparation = models.DateField(null=True, blank=True, editable=False)
    date_debut_effective = models.DateField(null=True, blank=True, editable=False)
    date_fin_effective = models.DateField(null=True, blank=True, editable=False)

    communes = models.ManyToManyField(Commune, verbose_name="communes du périmètre", related_name="cls", blank=True)
    partenaires = models.ManyToManyField(Organisation, blank=True, related_name="cls_partenaires")
    observations = models.TextField("observations", blank=True)
    point_de_situation = models.TextField(
        "où en est le contrat, prochaines étapes",
        blank=True,
        help_text="Texte court tenu par l'ARS, repris dans le rapport départemental.",
    )
    point_de_situation_date = BoundedDateModelField("point de situation rédigé le", null=True, blank=True)
    # A CLS takes the territories of its department only, unless an ARS agent covering several
    # departements allowed it to cross the border (contracts.perms.perimeter_departements).
    hors_departement_autorise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="débord hors du département autorisé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    hors_departement_autorise_le = models.DateField(
        "débord hors du département autorisé le", null=True, blank=True, editable=False
    )
    contact_coordination = models.CharField(
        "contact public de la coordination",
        max_length=200,
        blank=True,
        help_text="Adresse e-mail ou téléphone du service de coordination, affiché sur la page publique du CLS.",
    )

    objects = ClsQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = "contrat local de santé"
        verbose_name_plural = "contrats locaux de santé"
        ordering = ["departement__code", "nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_debut__isnull=True) | Q(date_fin__gt=F("date_debut")),
                name="cls_fin_apres_debut",
                violation_error_message="La date de fin doit être postérieure à la date de début.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(porteur_commune__isnull=False, porteur_epci__isnull=True, porteur_groupement__isnull=True)
                    | Q(porteur_commune__isnull=True, porteur_epci__isnull=False, porteur_groupement__isnull=True)
                    | Q(porteur_commune__isnull=True, porteur_epci__isnull=True, porteur_groupement__isnull=False)
                ),
                name="cls_un_seul_porteur",
                violation_error_message="Choisissez un porteur et un seul : une commune, un EPCI ou un groupement.",
            ),
            dates_in_range_constraint(
                "cls_dates_bornees",
                "date_engagement",
                "date_prefiguration",
                "date_elaboration",
                "date_signature",
                "date_debut",
                "date_fin",
                "date_abandon",
                "point_de_situation_date",
            ),
        ]

    def __str__(self):
        return f"{self.nom} (CLS {self.generation})"

    @property
    def porteur(self):
        return self.porteur_commune or self.porteur_epci or self.porteur_groupement

    def clean(self):
        errors = {}
        if self.date_debut and self.date_fin and self.date_fin <= self.date_debut:
            errors["date_fin"] = "La date de fin doit être postérieure à la date de début."
        if self.date_signature and self.date_fin and self.date_signature > self.date_fin:
            errors["date_signature"] = "La signature ne peut pas être postérieure à la fin du contrat."
        if sum(p is not None for p in (self.porteur_commune, self.porteur_epci, self.porteur_groupement)) != 1:
            errors["porteur_commune"] = "Choisissez un porteur et un seul : une commune, un EPCI ou un groupement."
        if self.predecesseur_id and self.predecesseur_id == self.pk:
            errors["predecesseur"] = "Un CLS ne peut pas être son propre prédécesseur."
        if errors:
            raise ValidationError(errors)

    def can_edit(self, user) -> bool:
        from contracts.perms import can_edit_cls

        return can_edit_cls(user, self)


class Avenant(VersionedModel):
    cls = models.ForeignKey(Cls, on_delete=models.CASCADE, related_name="avenants")
    date_signature = BoundedDateModelField("signé le", null=True, blank=True)
    objet = models.CharField("objet", max_length=300)
    nouvelle_date_fin = BoundedDateModelField("nouvelle date de fin", null=True, blank=True)
    signataires_ajoutes = models.ManyToManyField(
        Organisation, blank=True, verbose_name="signataires ajoutés", related_name="avenants"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        ordering = ["cls", F("date_signature").asc(nulls_first=True), "pk"]
        constraints = [dates_in_range_constraint("avenant_dates_bornees", "date_signature", "nouvelle_date_fin")]

    def __str__(self):
        return f"Avenant du {self.date_signature:%d/%m/%Y} : {self.objet}" if self.date_signature else self.objet


class Signataire(VersionedModel):
    cls = models.ForeignKey(Cls, on_delete=models.CASCADE, related_name="signataires")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signatures")
    avenant = models.ForeignKey(
        Avenant,
        verbose_name="ajouté par l'avenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "signataire"
        ordering = ["cls", "organisation__nom"]
        constraints = [models.UniqueConstraint(fields=["cls", "organisation"], name="signataire_unique")]

    def __str__(self):
        return str(self.organisation)


class AxeKind(models.TextChoices):
    AXE = "axe", "Axe stratégique"
    PRIORITE = "priorite", "Priorité populationnelle"


class Axe(VersionedModel):
    cls = models.ForeignKey(Cls, on_delete=models.CASCADE, related_name="axes")
    numero = models.PositiveSmallIntegerField("numéro", null=True, blank=True)
    intitule = models.CharField("intitulé", max_length=300)
    type = models.CharField("type", max_length=10, choices=AxeKind.choices, default=AxeKind.AXE)
    transversal = models.BooleanField("axe transversal", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "axe"
        ordering = ["cls", "transversal", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["cls", "type", "numero"],
                condition=Q(numero__isnull=False),
                name="axe_numero_unique",
                violation_error_message="Ce numéro est déjà utilisé par un autre axe de ce CLS.",
            )
        ]

    def __str__(self):
        label = "Priorité" if self.type == AxeKind.PRIORITE else "Axe"
        if self.transversal and self.numero is None:
            return f"Axe transversal : {self.intitule}"
        return f"{label} {self.numero} : {self.intitule}"


class PerimetreElement(TimeStampedModel):
    """What the user chose to build the perimeter: a commune, an EPCI or a grouping.

    The perimeter's communes (``Cls.communes``) are recomputed from these
    choices, so that a change of the COG can be applied again later.
    """

    cls = models.ForeignKey(Cls, on_delete=models.CASCADE, related_name="perimetre_elements")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    groupement = models.ForeignKey(Groupement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "élément du périmètre"
        verbose_name_plural = "éléments du périmètre"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(commune__isnull=False, epci__isnull=True, groupement__isnull=True)
                    | Q(commune__isnull=True, epci__isnull=False, groupement__isnull=True)
                    | Q(commune__isnull=True, epci__isnull=True, groupement__isnull=False)
                ),
                name="perimetre_un_seul_choix",
            ),
            models.UniqueConstraint(fields=["cls", "commune"], name="perimetre_commune_unique"),
            models.UniqueConstraint(fields=["cls", "epci"], name="perimetre_epci_unique"),
            models.UniqueConstraint(fields=["cls", "groupement"], name="perimetre_groupement_unique"),
        ]

    def __str__(self):
        return f"{self.kind_label} « {self.territoire} »"

    @property
    def territoire(self):
        return self.commune or self.epci or self.groupement

    @property
    def kind_label(self) -> str:
        if self.commune_id:
            return "Commune"
        return "EPCI" if self.epci_id else "Groupement"

    def communes(self):
        if self.commune_id:
            return Commune.objects.filter(pk=self.commune_id)
        if self.epci_id:
            return self.epci.communes.all()
        return self.groupement.all_communes()


class PerimetreContour(models.Model):
    """The stored shape of a CLS's perimeter (``contracts.perimeter_shape``), so that public pages do not
    recompute the union of its communes' contours; ``communes_key`` tells which communes it was made of."""

    cls = models.OneToOneField(Cls, on_delete=models.CASCADE, primary_key=True, related_name="perimetre_contour")
    communes_key = models.CharField("empreinte des communes", max_length=64)
    geojson = models.JSONField("contour (GeoJSON, WGS84)")

    class Meta:
        verbose_name = "contour de périmètre"

    def __str__(self):
        return f"Contour du périmètre du CLS {self.cls_id}"
