"""Areas of WGS84 contours, in km².

Equal-area approximation: around the contour's mean latitude φ0, longitude is scaled by cos(φ0)
(x = R·λ·cos φ0, y = R·φ, radians, R = 6,371.0088 km, the mean Earth radius), then the planar area
is taken with shapely. For a commune (a few km across) the error against the ellipsoidal area is
well under 1 %; the simplification of the contours (Visvalingam 25 %) costs more than that.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import shape

EARTH_RADIUS_KM = 6371.0088


def area_km2(geojson: dict) -> float:
    geometry = shape(geojson)
    if geometry.is_empty:
        return 0.0
    _minx, miny, _maxx, maxy = geometry.bounds
    lat0 = math.radians((miny + maxy) / 2)
    scale_x = EARTH_RADIUS_KM * math.cos(lat0) * math.pi / 180
    scale_y = EARTH_RADIUS_KM * math.pi / 180
    projected = shapely.transform(geometry, lambda coords: coords * np.array([scale_x, scale_y]))
    return projected.area
