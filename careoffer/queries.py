"""Reads of the care-offer registry: department overview, map, CLS section."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import shape

from careoffer.models import (
    DISPOSITIF_SHORT,
    SHORT_LABELS,
    AnneeScolaireDispositif,
    ComptageDeclare,
    Dispositif,
    Etat,
    Indicateur,
    Structure,
    TypeDispositif,
    TypeStructure,
    school_year_label,
)
from territories.models import CommuneContour, Departement, DepartementContour

COLOURS = {
    TypeStructure.MSP: "#000091",
    TypeStructure.ESP: "#6a6af4",
    TypeStructure.CPTS: "#18753c",
    TypeStructure.MMG: "#ce0500",
    TypeStructure.CDS: "#b34000",
    "dispositif": "#a558a0",
}


def structures_of(departement: Departement, *, day: datetime.date, kind: str = "", etat: str = ""):
    queryset = Structure.objects.filter(departement=departement).select_related("commune", "porteur")
    if kind:
        queryset = queryset.filter(type=kind)
    if etat == Etat.FONCTIONNEMENT:
        queryset = queryset.en_fonctionnement_at(day)
    elif etat == Etat.PROJET:
        queryset = queryset.projets_at(day)
    elif etat == Etat.FERME:
        queryset = queryset.fermees_at(day)
    return queryset


def count_rows(departement: Departement, day: datetime.date, declared: dict | None = None) -> list[dict]:
    """One row per kind: counted in operation / projects / closed, and the latest declared figure
    (``declared``: ``ComptageDeclare.objects.latest_by_type``, when the caller already has it)."""
    counts = Structure.objects.filter(departement=departement).counts_at(day)
    if declared is None:
        declared = ComptageDeclare.objects.latest_by_type(departement)
    return [
        {
            "type": kind,
            "label": label,
            "court": SHORT_LABELS[kind],
            **counts[kind],
            "declare": declared.get((kind, Indicateur.STRUCTURES)),
        }
        for kind, label in TypeStructure.choices
    ]


def forecast_projects(departement: Departement, day: datetime.date) -> list[Structure]:
    """Projects on ``day``, forecast opening first (earliest period first), unknown forecasts last."""
    projects = structures_of(departement, day=day, etat=Etat.PROJET)
    return sorted(projects, key=lambda s: (s.date_prevision is None, s.date_prevision or day, s.nom))


def schemes_of(departement: Departement):
    return (
        Dispositif.objects.filter(departement=departement)
        .select_related("commune", "porteur", "parrain")
        .prefetch_related("subventions", "annees_scolaires")
    )


def school_year_rows(departement: Departement) -> list[dict]:
    """Per school year: UEMA and UEEA units, children (known / declared) and budget."""
    declared = defaultdict(dict)
    for row in ComptageDeclare.objects.filter(departement=departement, annee_scolaire__isnull=False):
        declared[(row.annee_scolaire, row.type)][row.indicateur] = row
    rows = []
    for total in AnneeScolaireDispositif.objects.totals_by_year(departement):
        key = (total["annee"], total["dispositif__type"])
        rows.append(
            {
                **total,
                "libelle": school_year_label(total["annee"]),
                "type_court": DISPOSITIF_SHORT[total["dispositif__type"]],
                "enfants_declares": declared[key].get(Indicateur.ENFANTS),
                "unites_declarees": declared[key].get(Indicateur.STRUCTURES),
            }
        )
    return rows


def departement_overview(departement: Departement, *, day: datetime.date, kind: str = "", etat: str = "") -> dict:
    structures = list(structures_of(departement, day=day, kind=kind, etat=etat).order_by("type", "nom"))
    schemes = list(schemes_of(departement))
    declared_counts = ComptageDeclare.objects.latest_by_type(departement)
    scheme_counts = []
    for value, label in TypeDispositif.choices:
        counted = sum(1 for s in schemes if s.type == value)
        declared = declared_counts.get((value, Indicateur.STRUCTURES))
        if counted or declared:
            scheme_counts.append({"label": label, "compte": counted, "declare": declared})
    return {
        "counts": count_rows(departement, day, declared_counts),
        "projects": forecast_projects(departement, day),
        "structures": [(s, s.etat_at(day)) for s in structures],
        "schemes": schemes,
        "scheme_counts": scheme_counts,
        "school_years": school_year_rows(departement),
        "sources": sorted({row.source for row in declared_counts.values()}),
        "colours": [(SHORT_LABELS[k], COLOURS[k]) for k in TypeStructure.values]
        + [("Dispositif médico-social", COLOURS["dispositif"])],
    }


def _structure_state_counts(day: datetime.date) -> dict:
    opened = Q(date_ouverture__lte=day) & (Q(date_fermeture__isnull=True) | Q(date_fermeture__gt=day))
    project = (
        (Q(date_ouverture__isnull=True) | Q(date_ouverture__gt=day))
        & (Q(date_fermeture__isnull=True) | Q(date_fermeture__gt=day))
        & (Q(date_projet__isnull=True) | Q(date_projet__lte=day))
    )
    return {"fonctionnement": Count("pk", filter=opened), "projet": Count("pk", filter=project)}


def region_rows(region, day: datetime.date | None = None) -> list[dict]:
    """Per department of ``region``: structures in operation and projects by kind (with the latest
    declared figure beside), schemes by kind; and a last row of totals for the region. Five queries."""
    day = day or timezone.localdate()
    departements = list(region.departements.order_by("code"))
    structures = defaultdict(dict)
    for row in (
        Structure.objects.filter(departement__region=region)
        .order_by()
        .values("departement", "type")
        .annotate(**_structure_state_counts(day))
    ):
        structures[row["departement"]][row["type"]] = row
    schemes = defaultdict(dict)
    for row in (
        Dispositif.objects.filter(departement__region=region)
        .order_by()
        .values("departement", "type")
        .annotate(total=Count("pk"))
    ):
        schemes[row["departement"]][row["type"]] = row["total"]
    declared = {}
    for row in ComptageDeclare.objects.filter(
        departement__region=region, indicateur=Indicateur.STRUCTURES, annee_scolaire__isnull=True
    ).order_by("date", "pk"):
        declared[(row.departement_id, row.type)] = row

    def cells(departement_ids):
        kinds = []
        for kind in TypeStructure.values:
            found = [structures[d].get(kind, {}) for d in departement_ids]
            figures = [declared[(d, kind)] for d in departement_ids if (d, kind) in declared]
            kinds.append(
                {
                    "type": kind,
                    "fonctionnement": sum(f.get("fonctionnement", 0) for f in found),
                    "projet": sum(f.get("projet", 0) for f in found),
                    "declare": sum(f.valeur for f in figures) if figures else None,
                }
            )
        return {
            "structures": kinds,
            "dispositifs": [sum(schemes[d].get(kind, 0) for d in departement_ids) for kind in TypeDispositif.values],
        }

    rows = [{"departement": d, **cells([d.pk])} for d in departements]
    rows.append({"departement": None, **cells([d.pk for d in departements])})
    return rows


def region_school_year_rows(region) -> list[dict]:
    """Per school year, department and kind of teaching unit: units, places, children and budget (one query)."""
    rows = (
        AnneeScolaireDispositif.objects.filter(dispositif__departement__region=region)
        .order_by()
        .values("annee", "dispositif__departement__code", "dispositif__departement__nom", "dispositif__type")
        .annotate(
            unites=Count("pk"),
            places=Sum("dispositif__capacite"),
            enfants=Sum("enfants_inscrits"),
            enfants_renseignes=Count("enfants_inscrits"),
            budget=Sum("budget"),
        )
        .order_by("-annee", "dispositif__departement__code", "dispositif__type")
    )
    return [
        {**row, "libelle": school_year_label(row["annee"]), "type_court": DISPOSITIF_SHORT[row["dispositif__type"]]}
        for row in rows
    ]


# --- map ----------------------------------------------------------------------------------


def commune_points(commune_ids) -> dict[int, tuple[float, float]]:
    """Commune id → (longitude, latitude) of a point inside the commune, from its IGN contour."""
    points = {}
    for contour in CommuneContour.objects.filter(commune_id__in=set(commune_ids)):
        geometry = shape(contour.geojson)
        point = geometry.centroid
        if not geometry.contains(point):
            point = geometry.representative_point()
        points[contour.commune_id] = (round(point.x, 5), round(point.y, 5))
    return points


def _point(coordinates, properties) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coordinates}, "properties": properties}


def _spread(points: dict, commune_id: int, used: dict) -> list[float]:
    """The commune's point, moved a little around it for the 2nd, 3rd… dot of the same commune."""
    index = used[commune_id] = used.get(commune_id, -1) + 1
    lon, lat = points[commune_id]
    if index == 0:
        return [lon, lat]
    angle = index * 2.4  # radians: successive dots spiral out without overlapping
    radius = 0.012 * (1 + index // 6)
    return [round(lon + radius * 1.5 * math.cos(angle), 5), round(lat + radius * math.sin(angle), 5)]


def map_geojson(departement: Departement, *, day: datetime.date, kind: str = "", etat: str = "") -> dict:
    structures = list(structures_of(departement, day=day, kind=kind, etat=etat))
    schemes = [] if kind or etat else list(Dispositif.objects.filter(departement=departement).select_related("commune"))
    points = commune_points([s.commune_id for s in structures] + [d.commune_id for d in schemes])
    features, used = [], {}
    contour = DepartementContour.objects.filter(departement=departement).first()
    if contour is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": contour.geojson,
                "properties": {"etiquette": str(departement), "fond": True},
            }
        )
    for s in structures:
        if s.commune_id in points:
            etat_label = s.etat_at(day).label.lower()
            features.append(
                _point(
                    _spread(points, s.commune_id, used),
                    {
                        "etiquette": f"{s.type_court} — {s.nom} ({s.commune.nom}, {etat_label})",
                        "couleur": COLOURS[s.type],
                        "projet": s.etat_at(day) == Etat.PROJET,
                    },
                )
            )
    for d in schemes:
        if d.commune_id in points:
            features.append(
                _point(
                    _spread(points, d.commune_id, used),
                    {"etiquette": f"{d.type_court} — {d.nom} ({d.commune.nom})", "couleur": COLOURS["dispositif"]},
                )
            )
    return {"type": "FeatureCollection", "features": features}


# --- CLS page -------------------------------------------------------------------------------


def cls_section_context(cls, day: datetime.date | None = None) -> dict:
    """Structures and schemes located in the CLS perimeter (a CPTS when its territory overlaps it)."""
    day = day or timezone.localdate()
    perimeter = cls.communes.all()
    structures = (
        Structure.objects.filter(Q(commune__in=perimeter) | Q(communes__in=perimeter))
        .select_related("commune")
        .distinct()
        .order_by("type", "nom")
    )
    schemes = Dispositif.objects.filter(commune__in=perimeter).select_related("commune").order_by("type", "nom")
    return {
        "offre_structures": [(s, s.etat_at(day)) for s in structures],
        "offre_dispositifs": list(schemes),
        "offre_jour": day,
        "offre_departement_url": reverse("careoffer_departement", args=[cls.departement.code]),
    }
