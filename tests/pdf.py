"""PDF files read back as a reader would, with pypdf (pure Python: no poppler on the machine).

Every test that opens a PDF goes through these helpers. pypdf gives the characters the PDF
holds, which differs from what a reader sees in a few ways normalised here, once:

- typographic ligatures (« ﬁ », « ﬂ »…) are given back as their letters;
- soft hyphens (U+00AD) and the hyphen they become at a line break are removed;
- non-breaking spaces (U+00A0, U+202F) are kept: tests check French typography.
"""

import io
import re

from pypdf import PdfReader

LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
)
SOFT_HYPHEN_BREAK = re.compile("\u00ad\\s*")
# One A4 page in PostScript points (210 × 297 mm).
A4 = (595.276, 841.89)


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The text of every page, pages separated by a form feed.

    ``layout=True`` keeps the page's layout (a table row stays on one line), like ``pdftotext -layout``.
    """
    mode = "layout" if layout else "plain"
    pages = [page.extract_text(extraction_mode=mode) for page in _reader(pdf).pages]
    text = "\f".join(pages).translate(LIGATURES)
    return SOFT_HYPHEN_BREAK.sub("", text)


def pdf_pages(pdf: bytes) -> int:
    """The number of pages."""
    return len(_reader(pdf).pages)


def pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page, in points, rounded like ``pdfinfo`` (3 decimals)."""
    return [(round(float(p.mediabox.width), 3), round(float(p.mediabox.height), 3)) for p in _reader(pdf).pages]
