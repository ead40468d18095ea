"""The generic document helpers: chart PNG, DOCX tables, HTML to PDF."""

import io
from unittest import mock

import pytest
from docx import Document
from PIL import Image

from core.documents import add_key_values, add_table, bar_chart_png, docx_bytes, html_to_pdf, new_document
from tests.pdf import pdf_text


def test_bar_chart_draws_longer_bars_for_larger_values():
    png = bar_chart_png(["Périmètre", "Département", "Région", "France"], [2.0, 4.0, None, 1.0], "APL aux médecins")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == 1200
    blue = (0x00, 0x00, 0x91)
    pixels = image.load()
    first_bar_row = [x for x in range(image.width) if pixels[x, _row_with(image, blue)] == blue]
    assert first_bar_row, "the first bar is drawn in blue"


def _row_with(image, colour):
    pixels = image.load()
    for y in range(image.height):
        for x in range(0, image.width, 4):
            if pixels[x, y] == colour:
                return y
    raise AssertionError("colour not found")


def test_bar_chart_refuses_mismatched_lengths():
    with pytest.raises(ValueError):
        bar_chart_png(["a", "b"], [1.0], "x")


def test_docx_table_has_a_repeated_bold_header_row_and_dashes_for_missing_values():
    document = new_document("Essai")
    document.add_heading("Chiffres", level=1)
    add_table(document, ["Indicateur", "Valeur"], [["Population", "1 000"], ["Revenu", None]], numeric=[1])
    add_key_values(document, [("Contrat", "CLS de Reims")])
    reopened = Document(io.BytesIO(docx_bytes(document)))
    assert [p.style.name for p in reopened.paragraphs if p.text == "Chiffres"] == ["Heading 1"]
    table = reopened.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Indicateur", "Valeur"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert [c.text for c in table.rows[2].cells] == ["Revenu", "—"]
    assert reopened.tables[1].rows[0].cells[1].text == "CLS de Reims"
    assert reopened.core_properties.language == "fr-FR"


def test_html_to_pdf_renders_the_template():
    html = "<html lang='fr'><body><h1>Diagnostic d'Épernay</h1><p>Écart : × 0,88</p></body></html>"
    with mock.patch("core.documents.render_to_string", return_value=html) as render:
        pdf = html_to_pdf("doc.html", {"titre": "x"})
    render.assert_called_once_with("doc.html", {"titre": "x"})
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Diagnostic d'Épernay" in text and "× 0,88" in text


def test_html_to_pdf_never_fetches_remote_resources(caplog):
    html = "<html><body><img src='http://example.invalid/x.png'><p>ok</p></body></html>"
    with mock.patch("core.documents.render_to_string", return_value=html):
        pdf = html_to_pdf("x.html", {})
    assert pdf.startswith(b"%PDF")
    assert "disallowed protocol" in caplog.text
