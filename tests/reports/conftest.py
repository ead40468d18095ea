import io

import pytest
from docx import Document

from demo.actions import load_actions_demo
from demo.careoffer import load_care_offer_demo


@pytest.fixture
def marne_demo(demo):
    """The Marne CLS with their action plans and the care offer of seed 000; the CLS by short name."""
    load_actions_demo(demo)
    load_care_offer_demo()
    return demo


def open_docx(body: bytes):
    return Document(io.BytesIO(body))


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def table_rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def all_text(document) -> str:
    cells = "\n".join(" | ".join(row) for row in table_rows(document))
    return "\n".join(p.text for p in document.paragraphs) + "\n" + cells
