"""Perimeter of each CLS as one (Multi)Polygon, for the public maps and files.

The shapes are stored by ``contracts.perimeter_shape`` (the union of the communes' contours is
computed once per perimeter, not on each anonymous request).
"""

from __future__ import annotations

from collections.abc import Iterable

import shapely
from shapely.geometry import mapping, shape

from contracts.perimeter_shape import perimeter_geojson


def perimeter_shapes(cls_ids: Iterable[int]) -> dict[int, shapely.Geometry]:
    """{cls id: union of its communes' contours}; a CLS without any contour is left out."""
    return {cls_id: shape(geojson) for cls_id, geojson in perimeter_geojson(cls_ids).items()}


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
