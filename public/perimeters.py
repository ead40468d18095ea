"""Perimeter of each CLS as one (Multi)Polygon, for the public maps and files.

The shapes are stored as GeoJSON by ``contracts.perimeter_shape`` (the union of the communes'
contours is computed once per perimeter, not on each anonymous request). The files write that
GeoJSON as is: parsing it into shapely and back took half of the national perimeters file's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import shapely
from shapely.geometry import shape

from contracts.perimeter_shape import perimeter_geojson


class PerimeterShapes(Mapping):
    """{cls id: shapely shape of its perimeter}, parsed only when asked for; ``geojson`` holds them as stored."""

    def __init__(self, geojson: dict[int, dict]):
        self.geojson = geojson

    def __getitem__(self, cls_id: int) -> shapely.Geometry:
        return shape(self.geojson[cls_id])

    def __contains__(self, cls_id) -> bool:
        return cls_id in self.geojson

    def __iter__(self) -> Iterator[int]:
        return iter(self.geojson)

    def __len__(self) -> int:
        return len(self.geojson)


def perimeter_shapes(cls_ids: Iterable[int]) -> PerimeterShapes:
    """{cls id: union of its communes' contours}; a CLS without any contour is left out."""
    return PerimeterShapes(perimeter_geojson(cls_ids))


def perimeters_feature_collection(records: list[dict], shapes: PerimeterShapes, properties) -> dict:
    """GeoJSON of the CLS ``records`` (public rows) that have a shape; ``properties(record)`` fills each feature."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": shapes.geojson[record["id"]], "properties": properties(record)}
            for record in records
            if record["id"] in shapes.geojson
        ],
    }
