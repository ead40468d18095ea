"""Checks on the files attached to minutes: PDF, DOCX or ODT only, 10 Mo at most.

The extension says what the file claims to be; its first bytes (and, for the
zipped office formats, its inner parts) must agree, so that a renamed
executable or a fake PDF is refused with a clear message. A DOCX or ODT must
not inflate beyond the limits of ``core.uploads`` (a zip bomb is refused before
it is opened). The size limit lives in ``core.uploads``, which also enforces it
while the file is received.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError

from core.uploads import DOCUMENT_MAX_SIZE, check_size, check_zip, size_label

MAX_SIZE = DOCUMENT_MAX_SIZE
MAX_SIZE_LABEL = size_label(MAX_SIZE)
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
}
KIND = {".pdf": "PDF", ".docx": "Word (DOCX)", ".odt": "OpenDocument (ODT)"}


def _is_pdf(uploaded) -> bool:
    uploaded.seek(0)
    return uploaded.read(5) == b"%PDF-"


def _zip_names(uploaded) -> set[str] | None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None


def _is_docx(uploaded) -> bool:
    names = _zip_names(uploaded)
    return bool(names) and {"[Content_Types].xml", "word/document.xml"} <= names


def _is_odt(uploaded) -> bool:
    # ODF: the first member is "mimetype", stored uncompressed, right after its 30-byte header and its name.
    uploaded.seek(0)
    head = uploaded.read(38 + len(ODT_MIMETYPE))
    names = _zip_names(uploaded)
    return head[:4] == b"PK\x03\x04" and head[30:38] == b"mimetype" and head[38:] == ODT_MIMETYPE and bool(names)


SIGNATURES = {".pdf": _is_pdf, ".docx": _is_docx, ".odt": _is_odt}


def check_minutes_file(uploaded) -> str:
    """Refuse a file that is too big (or inflates too much), of another type, or whose content does not
    match its extension.

    Returns the extension (".pdf", ".docx", ".odt").
    """
    extension = PurePath(uploaded.name).suffix.lower()
    if extension not in SIGNATURES:
        raise ValidationError(
            f"Le fichier « {uploaded.name} » n'est pas accepté : joignez un document PDF, DOCX ou ODT.",
            code="extension",
        )
    check_size(uploaded, MAX_SIZE)
    if extension in (".docx", ".odt"):
        check_zip(uploaded)
    try:
        valid = SIGNATURES[extension](uploaded)
    finally:
        uploaded.seek(0)
    if not valid:
        raise ValidationError(
            f"Le contenu de « {uploaded.name} » n'est pas celui d'un fichier {KIND[extension]} : "
            "le fichier est peut-être endommagé ou mal nommé.",
            code="signature",
        )
    return extension
