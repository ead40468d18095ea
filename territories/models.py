"""Official territories (INSEE COG): regions, departments, EPCI, communes.

Keyed by their official codes. Populations are legal municipal populations of
the COG vintage recorded on each commune (``population_millesime``).
"""

from django.db import models
from django.db.models import Q, Sum

from core.models import TimeStampedModel, VersionedModel


class Region(TimeStampedModel):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    nom = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Departement(TimeStampedModel):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    nom = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class EpciType(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"


class EpciQuerySet(models.QuerySet):
    def touching(self, departements):
        """EPCI with at least one commune in ``departements`` (a queryset or list of departments)."""
        return self.filter(
            pk__in=Commune.epcis.through.objects.filter(commune__departement__in=departements).values("epci_id")
        )

    def within(self, departements):
        """EPCI whose communes are all in ``departements``."""
        outside = Commune.epcis.through.objects.exclude(commune__departement__in=departements).values("epci_id")
        return self.exclude(pk__in=outside)


class Epci(TimeStampedModel):
    code = models.CharField("SIREN", max_length=9, unique=True)
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=5, choices=EpciType.choices)

    objects = EpciQuerySet.as_manager()

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class CommuneQuerySet(models.QuerySet):
    def search(self, text: str):
        text = text.strip()
        if text.isdigit() or (len(text) == 5 and text[:2].upper() in {"2A", "2B"}):
            return self.filter(code__startswith=text.upper())
        return self.filter(nom__icontains=text)

    def in_departements(self, departements):
        return self.filter(departement__in=departements)

    def total_population(self) -> int:
        return self.aggregate(total=Sum("population"))["total"] or 0


class Commune(TimeStampedModel):
    code = models.CharField("code INSEE", max_length=5, unique=True)
    nom = models.CharField("nom", max_length=200)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField("population municipale légale")
    population_millesime = models.PositiveSmallIntegerField(
        "millésime du COG de la population", help_text="Année du COG dont vient la population légale."
    )
    epcis = models.ManyToManyField(Epci, related_name="communes", blank=True, verbose_name="EPCI")

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class Contour(models.Model):
    """A territory's contour, kept apart so that lists of territories never load geometry."""

    geojson = models.JSONField("contour (GeoJSON, WGS84)")

    class Meta:
        abstract = True


class CommuneContour(Contour):
    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, primary_key=True, related_name="contour")

    class Meta:
        verbose_name = "contour de commune"

    def __str__(self):
        return f"Contour de la commune {self.commune_id}"


class DepartementContour(Contour):
    departement = models.OneToOneField(Departement, on_delete=models.CASCADE, primary_key=True, related_name="contour")

    class Meta:
        verbose_name = "contour de département"

    def __str__(self):
        return f"Contour du département {self.departement_id}"


class GroupementType(models.TextChoices):
    PETR = "petr", "PETR"
    PAYS = "pays", "Pays"
    BASSIN = "bassin", "Bassin de vie ou regroupement d'EPCI"
    AUTRE = "autre", "Autre regroupement"


class GroupementQuerySet(models.QuerySet):
    def within(self, departements):
        """Groupings whose communes (listed one by one or through their EPCI) are all in ``departements``."""
        outside = Commune.objects.exclude(departement__in=departements)
        spilling = Groupement.objects.filter(Q(communes__in=outside) | Q(epcis__communes__in=outside)).values("pk")
        return self.exclude(pk__in=spilling)

    def perimeter_totals(self) -> dict[int, tuple[int, int]]:
        """Grouping id -> (communes, population), each commune once, in two queries."""
        populations: dict[int, dict[int, int]] = {}
        for lookup in ("epcis__groupements", "groupements"):
            rows = Commune.objects.filter(**{f"{lookup}__in": self}).values_list(lookup, "pk", "population")
            for groupement_id, commune_id, population in rows:
                populations.setdefault(groupement_id, {})[commune_id] = population
        return {pk: (len(communes), sum(communes.values())) for pk, communes in populations.items()}


class Groupement(VersionedModel):
    """A named set of EPCIs and/or communes that is not itself an EPCI.

    A PETR, a Pays, "the three communautés de communes of the Vitry basin".
    Its communes are those of its EPCIs plus those listed one by one.
    """

    nom = models.CharField("nom", max_length=200, unique=True)
    type = models.CharField("type", max_length=10, choices=GroupementType.choices)
    epcis = models.ManyToManyField(Epci, blank=True, related_name="groupements", verbose_name="EPCI")
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="groupements", verbose_name="communes ajoutées une à une"
    )

    objects = GroupementQuerySet.as_manager()

    class Meta:
        verbose_name = "groupement"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def all_communes(self):
        return Commune.objects.filter(Q(epcis__groupements=self) | Q(groupements=self)).distinct()
