"""Perimeter of each CLS as one (Multi)Polygon: the union of its communes' contours.

Two queries whatever the number of CLS: the (CLS, commune) links, then the contours of the
communes involved, each parsed once even when several CLS share it (Reims 1, 2 and 3). The
commune contours are simplified independently, so their union can keep slivers along shared
borders: a closing (buffer out then in by ``CLOSING_DEGREES``, about 10 m) removes them, and the
coordinates are snapped to 1e-5° (about 1 m) to keep the file small.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import shapely
from shapely.geometry import mapping, shape

from contracts.models import Cls
from territories.models import CommuneContour

CLOSING_DEGREES = 1e-4
GRID_DEGREES = 1e-5


def perimeter_shapes(cls_ids: Iterable[int]) -> dict[int, shapely.Geometry]:
    """{cls id: union of its communes' contours}; a CLS without any contour is left out."""
    communes_of = defaultdict(list)
    links = Cls.communes.through.objects.filter(cls_id__in=list(cls_ids)).values_list("cls_id", "commune_id")
    for cls_id, commune_id in links:
        communes_of[cls_id].append(commune_id)
    wanted = {commune_id for ids in communes_of.values() for commune_id in ids}
    contours = {
        commune_id: shape(geojson)
        for commune_id, geojson in CommuneContour.objects.filter(commune_id__in=wanted).values_list(
            "commune_id", "geojson"
        )
    }
    shapes = {}
    for cls_id, commune_ids in communes_of.items():
        parts = [contours[c] for c in commune_ids if c in contours]
        if parts:
            shapes[cls_id] = _clean_union(parts)
    return shapes


def _clean_union(parts: list[shapely.Geometry]) -> shapely.Geometry:
    union = shapely.union_all(parts)
    closed = union.buffer(CLOSING_DEGREES, join_style="mitre").buffer(-CLOSING_DEGREES, join_style="mitre")
    return shapely.set_precision(closed, GRID_DEGREES)


def perimeters_feature_collection(records: list[dict], shapes: dict[int, shapely.Geometry], properties) -> dict:
    """GeoJSON of the CLS ``records`` (public rows) that have a shape; ``properties(record)`` fills each feature."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": mapping(shapes[record["id"]]), "properties": properties(record)}
            for record in records
            if record["id"] in shapes
        ],
    }
