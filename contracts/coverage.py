"""Population covered by CLS, for a department or a region, at any date.

A commune counts once, however many CLS cover it; populations are the legal
populations of the communes (their COG vintage is reported with the figures).
Each function runs a fixed number of SQL queries, whatever the data size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q, Sum

from contracts.models import Cls
from territories.models import Commune, Departement


@dataclass(frozen=True)
class Coverage:
    code: str
    nom: str
    date: datetime.date
    population_totale: int
    population_couverte_en_vigueur: int
    population_couverte_avec_preparation: int
    millesime_population: int | None

    @staticmethod
    def _rate(part: int, whole: int) -> Decimal:
        if not whole:
            return Decimal("0.0")
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def taux_en_vigueur(self) -> Decimal:
        return self._rate(self.population_couverte_en_vigueur, self.population_totale)

    @property
    def taux_avec_preparation(self) -> Decimal:
        return self._rate(self.population_couverte_avec_preparation, self.population_totale)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "nom": self.nom,
            "date": self.date.isoformat(),
            "population_totale": self.population_totale,
            "population_couverte_en_vigueur": self.population_couverte_en_vigueur,
            "taux_en_vigueur": float(self.taux_en_vigueur),
            "population_couverte_avec_preparation": self.population_couverte_avec_preparation,
            "taux_avec_preparation": float(self.taux_avec_preparation),
            "millesime_population": self.millesime_population,
            "unite_taux": "pourcentage",
        }


def _covered_commune_ids(clss):
    return Cls.communes.through.objects.filter(cls__in=clss).values("commune_id")


def _population_sums(day: datetime.date) -> dict:
    in_force = _covered_commune_ids(Cls.objects.in_force_at(day))
    any_state = _covered_commune_ids(Cls.objects.in_force_or_preparation_at(day))
    return dict(
        total=Sum("population"),
        en_vigueur=Sum("population", filter=Q(id__in=in_force), default=0),
        avec_preparation=Sum("population", filter=Q(id__in=any_state), default=0),
        millesime=Max("population_millesime"),
    )


def coverage_by_departement(day: datetime.date, departements=None) -> list[Coverage]:
    """Coverage of each department (all of them by default), in one query."""
    communes = Commune.objects.all()
    if departements is not None:
        communes = communes.filter(departement__in=departements)
    rows = (
        communes.values("departement__code", "departement__nom")
        .annotate(**_population_sums(day))
        .order_by("departement__code")
    )
    return [
        Coverage(
            code=row["departement__code"],
            nom=row["departement__nom"],
            date=day,
            population_totale=row["total"] or 0,
            population_couverte_en_vigueur=row["en_vigueur"],
            population_couverte_avec_preparation=row["avec_preparation"],
            millesime_population=row["millesime"],
        )
        for row in rows
    ]


def departement_coverage(departement: Departement, day: datetime.date) -> Coverage:
    found = coverage_by_departement(day, departements=[departement])
    if found:
        return found[0]
    return Coverage(departement.code, departement.nom, day, 0, 0, 0, None)


def region_coverage(region, day: datetime.date) -> Coverage:
    row = Commune.objects.filter(departement__region=region).aggregate(**_population_sums(day))
    return Coverage(
        code=region.code,
        nom=region.nom,
        date=day,
        population_totale=row["total"] or 0,
        population_couverte_en_vigueur=row["en_vigueur"],
        population_couverte_avec_preparation=row["avec_preparation"],
        millesime_population=row["millesime"],
    )
