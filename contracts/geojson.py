"""GeoJSON for the maps: communes coloured by the CLS that covers them."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma

from contracts.lifecycle import Etat, etat_at
from contracts.models import Cls
from contracts.palette import colour_for
from territories.models import Departement

NOT_COVERED = "Aucun CLS en vigueur ou en préparation"
COMMUNE_FIELDS = ("id", "code", "nom", "population", "contour__geojson")


@dataclass
class MapEntry:
    cls: Cls
    etat: Etat
    couleur: str


def map_entries(departement: Departement, day: datetime.date) -> list[MapEntry]:
    """CLS drawn on the department map at ``day``, with their legend colour."""
    clss = (
        Cls.objects.in_force_or_preparation_at(day)
        .filter(communes__departement=departement)
        .distinct()
        .order_by("nom", "pk")
    )
    return [MapEntry(cls, etat_at(cls, day), colour_for(index)) for index, cls in enumerate(clss)]


def _feature(commune: dict, couleur: str | None, etiquette: str) -> dict:
    return {
        "type": "Feature",
        "geometry": commune["contour__geojson"],
        "properties": {"code": commune["code"], "couleur": couleur, "etiquette": etiquette},
    }


def _label(commune: dict, extra: str) -> str:
    return f"{commune['nom']} ({commune['code']}) — {intcomma(commune['population'])} hab. — {extra}"


def departement_map_geojson(departement: Departement, day: datetime.date, entries: list | None = None) -> dict:
    """The department's communes coloured by CLS; ``entries``: ``map_entries(departement, day)`` if already read."""
    entries = map_entries(departement, day) if entries is None else entries
    by_id = {entry.cls.pk: entry for entry in entries}
    covering = defaultdict(list)
    links = Cls.communes.through.objects.filter(cls_id__in=by_id, commune__departement=departement)
    for commune_id, cls_id in links.values_list("commune_id", "cls_id").order_by("cls__nom", "cls_id"):
        covering[commune_id].append(by_id[cls_id])
    features = []
    communes = departement.communes.filter(contour__isnull=False).values(*COMMUNE_FIELDS)
    for commune in communes:
        found = sorted(covering.get(commune["id"], []), key=lambda e: e.etat != Etat.EN_VIGUEUR)
        if found:
            text = " ; ".join(f"{e.cls} ({e.etat.label.lower()})" for e in found)
            features.append(_feature(commune, found[0].couleur, _label(commune, text)))
        else:
            features.append(_feature(commune, None, _label(commune, NOT_COVERED)))
    return {"type": "FeatureCollection", "features": features}


def cls_perimeter_geojson(cls: Cls) -> dict:
    communes = cls.communes.filter(contour__isnull=False).values(*COMMUNE_FIELDS)
    return {
        "type": "FeatureCollection",
        "features": [_feature(c, colour_for(0), _label(c, str(cls))) for c in communes],
    }


def region_map_geojson(region, rates: dict[str, float]) -> dict:
    """Departments coloured by their share of population covered."""
    features = []
    for dep in Departement.objects.filter(region=region, contour__isnull=False).select_related("contour"):
        rate = rates.get(dep.code, 0)
        features.append(
            {
                "type": "Feature",
                "geometry": dep.contour.geojson,
                "properties": {
                    "code": dep.code,
                    "couleur": coverage_colour(rate),
                    "etiquette": f"{dep} — {rate:.1f} % de la population couverte".replace(".", ","),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


COVERAGE_CLASSES = [
    (25, "#cacafb", "moins de 25 %"),
    (50, "#8585f6", "de 25 à 50 %"),
    (75, "#6a6af4", "de 50 à 75 %"),
    (101, "#000091", "75 % et plus"),
]
NO_COVERAGE = ("#f6f6f6", "aucune couverture")


def coverage_colour(rate: float) -> str:
    if rate <= 0:
        return NO_COVERAGE[0]
    return next(colour for upper, colour, _label in COVERAGE_CLASSES if rate < upper)
