"""Shape of each CLS's perimeter: the union of its communes' contours, stored in ``PerimetreContour``.

The commune contours are simplified independently, so their union can keep slivers along shared
borders: a closing (buffer out then in by ``CLOSING_DEGREES``, about 10 m) removes them, and the
coordinates are snapped to 1e-5° (about 1 m) to keep the file small.

The union is costly (8 s for a thousand CLS), so it is stored with the fingerprint of the communes
it was made of (``communes_key``): a shape whose CLS's communes changed since, however they were
changed, is recomputed on the next read; ``contracts.services.recompute_perimeter`` refreshes it at once.
Three queries to read any number of CLS (links, stored shapes, and contours only for stale ones).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

import shapely
from shapely.geometry import mapping, shape

from contracts.models import Cls, PerimetreContour
from territories.models import CommuneContour

CLOSING_DEGREES = 1e-4
GRID_DEGREES = 1e-5


def communes_key(commune_ids: Iterable[int]) -> str:
    """Fingerprint of a set of communes (sha256 of their sorted ids)."""
    return hashlib.sha256(",".join(map(str, sorted(commune_ids))).encode()).hexdigest()


def perimeter_geojson(cls_ids: Iterable[int]) -> dict[int, dict]:
    """{cls id: GeoJSON geometry of its perimeter}; a CLS without any commune contour is left out.

    Stored shapes are reused while their CLS keeps the same communes; missing or stale ones are
    computed and stored.
    """
    communes_of = defaultdict(list)
    links = Cls.communes.through.objects.filter(cls_id__in=list(cls_ids)).values_list("cls_id", "commune_id")
    for cls_id, commune_id in links:
        communes_of[cls_id].append(commune_id)
    keys = {cls_id: communes_key(ids) for cls_id, ids in communes_of.items()}
    stored = PerimetreContour.objects.filter(cls_id__in=list(keys)).values_list("cls_id", "communes_key", "geojson")
    geometries = {cls_id: geojson for cls_id, key, geojson in stored if key == keys[cls_id]}
    stale = {cls_id: communes_of[cls_id] for cls_id in keys if cls_id not in geometries}
    if stale:
        geometries |= _store(_compute(stale), keys)
    return geometries


def refresh_perimeter_shape(cls: Cls) -> None:
    """Recompute and store the shape of ``cls``'s perimeter from its current communes."""
    commune_ids = list(cls.communes.values_list("pk", flat=True))
    shapes = _compute({cls.pk: commune_ids})
    if cls.pk not in shapes:
        PerimetreContour.objects.filter(cls=cls).delete()
    _store(shapes, {cls.pk: communes_key(commune_ids)})


def _compute(communes_of: dict[int, list[int]]) -> dict[int, shapely.Geometry]:
    """{cls id: cleaned union of its communes' contours}, each contour parsed once even when several
    CLS share it (Reims 1, 2 and 3)."""
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


def _store(shapes: dict[int, shapely.Geometry], keys: dict[int, str]) -> dict[int, dict]:
    """Store ``shapes`` (insert or update); return their GeoJSON geometries."""
    geometries = {cls_id: mapping(geometry) for cls_id, geometry in shapes.items()}
    PerimetreContour.objects.bulk_create(
        [PerimetreContour(cls_id=cls_id, communes_key=keys[cls_id], geojson=g) for cls_id, g in geometries.items()],
        update_conflicts=True,
        unique_fields=["cls"],
        update_fields=["communes_key", "geojson"],
    )
    return geometries
