"""Reusable pieces of the documents SantéLoc produces (diagnostic, evaluation and departmental reports).

- ``bar_chart_png``: a horizontal bar chart drawn with Pillow, for DOCX and PDF alike;
- ``add_table`` / ``add_key_values``: a DOCX table with a header row from plain rows;
- ``new_document`` / ``docx_bytes``: a python-docx document in French with sober styles, as bytes;
- ``html_to_pdf``: a Django template rendered to PDF by WeasyPrint;
- ``png_data_uri``: a PNG embedded in the print HTML.

Content stays in each app (``<app>/documents.py``); nothing here knows about contracts.
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Sequence
from functools import cache

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from PIL import Image, ImageDraw, ImageFont

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step otherwise

BLUE = "#000091"  # DSFR « bleu France »
BAR_COLOURS = ["#000091", "#6a6af4", "#8585f6", "#cacafb"]
TEXT = "#161616"
FONT_PATHS = {
    False: ["DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
    True: ["DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
}


@cache
def chart_font(size: int, bold: bool = False):
    for path in FONT_PATHS[bold]:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def bar_chart_png(
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    *,
    value_labels: Sequence[str] | None = None,
    colours: Sequence[str] = BAR_COLOURS,
    width: int = 1200,
) -> bytes:
    """A horizontal bar chart as PNG bytes: one bar per label, its value written at its end.

    A missing value (None) draws no bar and writes « non disponible ». ``value_labels`` are the
    texts written next to the bars (French formatting is the caller's), the raw values otherwise.
    """
    if len(labels) != len(values):
        raise ValueError("Autant de libellés que de valeurs sont attendus.")
    texts = list(value_labels) if value_labels is not None else [("" if v is None else f"{v:g}") for v in values]
    texts = [t if v is not None else "non disponible" for t, v in zip(texts, values, strict=True)]
    scale = width / 600
    title_font, font = chart_font(round(17 * scale), bold=True), chart_font(round(14 * scale))
    bar_h, gap, top, margin = round(24 * scale), round(12 * scale), round(44 * scale), round(14 * scale)
    title_line = round(22 * scale)
    lines = wrap_text(ImageDraw.Draw(Image.new("RGB", (1, 1))), title, title_font, width - 2 * margin)
    top += (len(lines) - 1) * title_line
    height = top + len(labels) * (bar_h + gap) + margin
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    lines = wrap_text(draw, title, title_font, width - 2 * margin)
    for number, line in enumerate(lines):
        draw.text((margin, margin + number * title_line), line, fill=TEXT, font=title_font)
    label_w = max([draw.textlength(label, font=font) for label in labels] + [0]) + 2 * margin
    text_w = max([draw.textlength(text, font=font) for text in texts] + [0]) + 2 * margin
    available = max(width - label_w - text_w - margin, 10)
    top_value = max((abs(v) for v in values if v is not None), default=0) or 1
    for index, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        y = top + index * (bar_h + gap)
        text_y = y + bar_h / 2
        draw.text((margin, text_y), label, fill=TEXT, font=font, anchor="lm")
        length = 0 if value is None else abs(value) / top_value * available
        if length:
            draw.rectangle([label_w, y, label_w + length, y + bar_h], fill=colours[index % len(colours)])
        draw.text((label_w + length + margin / 2, text_y), text, fill=TEXT, font=font, anchor="lm")
    draw.line([label_w, top - gap / 2, label_w, height - margin + gap / 2], fill=TEXT, width=max(1, round(scale)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def wrap_text(draw, text: str, font, width: float) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels (on spaces)."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines or [""]


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# ---------------------------------------------------------------------------
# DOCX


def new_document(title: str, *, subject: str = "", author: str = "SantéLoc"):
    """A python-docx document: A4, French, Arial-like body, blue headings, core properties set."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    _set_language(normal, "fr-FR")
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x00, 0x00, 0x91)
    properties = document.core_properties
    properties.title, properties.subject, properties.author, properties.language = title, subject, author, "fr-FR"
    return document


def _set_language(style, language: str) -> None:
    rpr = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    rpr.append(lang)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def add_table(
    document,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    numeric: Sequence[int] = (),
    widths: Sequence[float] | None = None,
    font_size: float = 9,
):
    """A table with a bold, shaded header row repeated on each page; ``numeric`` columns right-aligned.

    Cells are written as text (None → « — »); ``widths`` in centimetres.
    """
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for index, text in enumerate(headers):
        cell = header.cells[index]
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.size = Pt(font_size)
        _shade(cell, "E3E3FD")
        if index in numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for values in rows:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            paragraph = cells[index].paragraphs[0]
            run = paragraph.add_run("—" if value is None or value == "" else str(value))
            run.font.size = Pt(font_size)
            if index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        table.autofit = False
        for index, width in enumerate(widths):
            table.columns[index].width = Cm(width)  # the grid, read by LibreOffice
            for cell in table.columns[index].cells:
                cell.width = Cm(width)  # the cells, read by Word
    return table


def add_key_values(document, pairs: Sequence[tuple[str, object]], *, font_size: float = 10):
    """A two-column table « label : value » without header (title-page facts)."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in pairs:
        cells = table.add_row().cells
        run = cells[0].paragraphs[0].add_run(str(label))
        run.bold = True
        run.font.size = Pt(font_size)
        cells[1].paragraphs[0].add_run("—" if value is None or value == "" else str(value)).font.size = Pt(font_size)
    return table


def add_png(document, png: bytes, *, width_cm: float = 16, caption: str = ""):
    document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        paragraph = document.add_paragraph(caption)
        paragraph.runs[0].italic = True
        paragraph.runs[0].font.size = Pt(8)


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# PDF


def html_to_pdf(template: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render ``template`` with ``context`` and print it to PDF with WeasyPrint.

    The template should carry its own print CSS (``@page`` size, margins, page numbers) and
    embed images as data URIs (see ``png_data_uri``): no network access is made.
    """
    from weasyprint import HTML  # heavy import, only when a PDF is asked for
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols={"data"})  # images are embedded: never reach the network
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
