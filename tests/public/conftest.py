import subprocess
import tempfile
from pathlib import Path

import pytest

from demo.actions import load_actions_demo
from demo.careoffer import load_care_offer_demo
from demo.diagnostics import load_diagnostics_demo


@pytest.fixture
def full_demo(demo):
    """The Marne demo with its action plans and coordinated-care structures; returns the CLS by short name."""
    load_diagnostics_demo(demo)
    load_actions_demo(demo)
    load_care_offer_demo()
    return demo


def pdf_tool(tool: str, pdf: bytes, *args: str) -> str:
    """Output of a poppler tool (pdfinfo, pdftotext) run on ``pdf``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout
