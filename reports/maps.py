"""Maps as PNG images for the printed reports, drawn with Pillow from the IGN contours.

The reports reuse the GeoJSON of the web maps (``contracts.geojson``): each feature carries
its fill colour in ``properties.couleur`` (``None``: not covered). No tile server, no network.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence

from PIL import Image, ImageDraw

from core.documents import chart_font, wrap_text

NOT_COVERED = "#f6f6f6"
OUTLINE = "#929292"
TEXT = "#161616"
SUPERSAMPLING = 2  # drawn twice as large, then reduced: smooth edges


def _rings(geometry: dict) -> Iterable[list]:
    """Exterior rings of a Polygon or MultiPolygon (holes are left out: enclaves are drawn on top)."""
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"][0]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield polygon[0]


def map_png(
    features: Sequence[dict],
    legend: Sequence[tuple[str, str]],
    *,
    title: str = "",
    width: int = 1200,
    outline: str = OUTLINE,
) -> bytes:
    """The features filled with their colour, a title above and a legend (colour, label) below."""
    rings = [(ring, f["properties"].get("couleur") or NOT_COVERED) for f in features for ring in _rings(f["geometry"])]
    scale = SUPERSAMPLING
    canvas_w = width * scale
    margin = 16 * scale
    title_font, font = (
        chart_font(round(17 * scale * width / 600), bold=True),
        chart_font(round(13 * scale * width / 600)),
    )
    line_h = round(font.size * 1.45)
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    title_lines = wrap_text(measure, title, title_font, canvas_w - 2 * margin) if title else []
    title_h = len(title_lines) * round(title_font.size * 1.35) + (margin if title_lines else 0)
    legend_lines = [
        (colour if index == 0 else None, line)
        for colour, label in legend
        for index, line in enumerate(wrap_text(measure, label, font, canvas_w - 3 * margin - line_h))
    ]
    legend_h = len(legend_lines) * line_h + (margin if legend_lines else 0)

    if rings:
        points = [point for ring, _colour in rings for point in ring]
        lon_min, lon_max = min(p[0] for p in points), max(p[0] for p in points)
        lat_min, lat_max = min(p[1] for p in points), max(p[1] for p in points)
        shrink = math.cos(math.radians((lat_min + lat_max) / 2))  # equirectangular, true at mid-latitude
        span_x, span_y = max((lon_max - lon_min) * shrink, 1e-9), max(lat_max - lat_min, 1e-9)
        pixels = (canvas_w - 2 * margin) / span_x
        map_h = round(span_y * pixels)
    else:
        map_h = 0
    height = margin + title_h + map_h + margin + legend_h + margin
    image = Image.new("RGB", (canvas_w, height), "white")
    draw = ImageDraw.Draw(image)
    y = margin
    for line in title_lines:
        draw.text((margin, y), line, fill=TEXT, font=title_font)
        y += round(title_font.size * 1.35)
    top = margin + title_h
    if rings:
        for ring, colour in rings:
            xy = [(margin + (lon - lon_min) * shrink * pixels, top + (lat_max - lat) * pixels) for lon, lat, *_ in ring]
            if len(xy) >= 3:
                draw.polygon(xy, fill=colour, outline=outline, width=max(1, scale // 2))
    y = top + map_h + margin
    swatch = round(line_h * 0.7)
    for colour, label in legend_lines:
        if colour:
            draw.rectangle([margin, y, margin + swatch, y + swatch], fill=colour, outline=OUTLINE)
        draw.text((margin + swatch + margin / 2, y + swatch / 2), label, fill=TEXT, font=font, anchor="lm")
        y += line_h
    image = image.resize((width, round(height / scale)), Image.Resampling.LANCZOS)
    image = image.quantize(colors=256)  # mostly flat colours: a palette PNG is three times smaller
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
