"""The map image of the printed reports: communes filled with their CLS colour, a legend below."""

import io

from PIL import Image

from reports.maps import NOT_COVERED, map_png


def square(x0, y0, colour):
    ring = [[x0, y0], [x0 + 1, y0], [x0 + 1, y0 + 1], [x0, y0 + 1], [x0, y0]]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"couleur": colour},
    }


def rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def close(a, b, tolerance=12):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def test_each_commune_is_filled_with_its_colour_and_the_legend_follows():
    features = [square(4.0, 49.0, "#c9191e"), square(5.0, 49.0, None)]
    legend = [
        ("#c9191e", "Contrat local de santé de Reims (CLS 3) — élaboration"),
        (NOT_COVERED, "Commune non couverte"),
    ]
    image = Image.open(io.BytesIO(map_png(features, legend, title="Essai", width=600))).convert("RGB")
    assert image.width == 600
    # The two squares side by side: the left one red, the right one « not covered » grey.
    middle = image.height // 3
    row = [image.getpixel((x, middle)) for x in range(image.width)]
    assert any(close(pixel, rgb("#c9191e")) for pixel in row[: image.width // 2])
    assert any(close(pixel, rgb(NOT_COVERED), 4) for pixel in row[image.width // 2 :])
    # The legend, below the map, repeats the red swatch.
    bottom = image.crop((0, image.height * 3 // 4, 60, image.height))
    pixels = [bottom.getpixel((x, y)) for x in range(bottom.width) for y in range(bottom.height)]
    assert any(close(pixel, rgb("#c9191e")) for pixel in pixels)


def test_a_multipolygon_is_drawn_whole_and_an_empty_map_still_has_its_legend():
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    multi = {"type": "MultiPolygon", "coordinates": [[ring], [[[2, 0], [3, 0], [3, 1], [2, 0]]]]}
    png = map_png([{"type": "Feature", "geometry": multi, "properties": {"couleur": "#000091"}}], [], width=300)
    assert Image.open(io.BytesIO(png)).width == 300
    empty = Image.open(io.BytesIO(map_png([], [("#000091", "Aucun CLS")], width=300)))
    assert empty.height > 0
