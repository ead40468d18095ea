"""Limits on uploaded files: size while the request is received, then the inside of zipped files.

One place for each limit:

- ``DOCUMENT_MAX_SIZE``: a document attached to minutes (PDF, DOCX, ODT);
- ``SPREADSHEET_MAX_SIZE``: a spreadsheet to import (XLSX, CSV);
- ``ZIP_MAX_UNCOMPRESSED`` / ``ZIP_MAX_ENTRIES`` / ``ZIP_MAX_RATIO``: what a zipped office file (DOCX,
  ODT, XLSX) may hold once inflated, read from its central directory before anything is inflated.

``SizeLimitUploadHandler`` is the first of ``FILE_UPLOAD_HANDLERS``: it counts the bytes of each file
as they arrive and, past the limit of the file's kind (by its extension), passes nothing more to the
handlers that write to memory or disk. The form then receives a ``RefusedUpload`` (name and size,
no content), which ``check_size`` refuses with a French message, so a too-large upload ends on its
form, not in a temporary file. (The body is still read to its end, discarded, so that the browser
gets the page; a proxy in front, e.g. nginx's ``client_max_body_size``, bounds the body itself.)

Python's ``zipfile`` never inflates a member beyond the size its directory declares, so the sum of
the declared sizes bounds what openpyxl, python-docx or any ``zipfile`` reader will inflate.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MIB = 1024 * 1024
DOCUMENT_MAX_SIZE = 10 * MIB
SPREADSHEET_MAX_SIZE = 5 * MIB
MAX_SIZE_BY_EXTENSION = {
    ".pdf": DOCUMENT_MAX_SIZE,
    ".docx": DOCUMENT_MAX_SIZE,
    ".odt": DOCUMENT_MAX_SIZE,
    ".xlsx": SPREADSHEET_MAX_SIZE,
    ".csv": SPREADSHEET_MAX_SIZE,
}
# A file of any other kind is refused by its form; it is received up to the largest limit.
DEFAULT_MAX_SIZE = max(MAX_SIZE_BY_EXTENSION.values())

ZIP_MAX_UNCOMPRESSED = 50 * MIB
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_RATIO = 100  # inflated / compressed, over the whole archive…
ZIP_RATIO_FLOOR = MIB  # …once it inflates to more than this (tiny files compress a lot, harmlessly)
ZIPPED_EXTENSIONS = {".docx", ".odt", ".xlsx"}


def size_label(size: int) -> str:
    """« 10 Mo », « 12,3 Mo » (mébioctets, written Mo as French users read them)."""
    text = f"{size / MIB:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}\u00a0Mo"


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def max_size_for(name: str) -> int:
    return MAX_SIZE_BY_EXTENSION.get(extension(name), DEFAULT_MAX_SIZE)


class RefusedUpload(UploadedFile):
    """A file refused while it was received: its name and full size, without its content."""

    refused = True

    def __init__(self, *, name: str, size: int, content_type: str | None, charset: str | None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """Passes each file's chunks on until the file passes its limit; then drops them and stands a
    ``RefusedUpload`` for the file."""

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.max_size = max_size_for(file_name)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        already_over = self.received > self.max_size
        self.received += len(raw_data)
        if self.received <= self.max_size:
            return raw_data
        if not already_over:
            self._drop_partial_files()
        return None  # the handlers after this one (memory, temporary file) get nothing more

    def _drop_partial_files(self):
        """Close (and delete) what the next handlers wrote of this file so far."""
        handlers = list(getattr(self.request, "upload_handlers", None) or [])
        for handler in handlers[handlers.index(self) + 1 :] if self in handlers else []:
            handler.upload_interrupted()

    def file_complete(self, file_size):
        if self.received <= self.max_size:
            return None  # the next handler returns the file
        return RefusedUpload(
            name=self.file_name, size=self.received, content_type=self.content_type, charset=self.charset
        )


def check_size(uploaded, max_size: int | None = None) -> None:
    """Refuse a file over ``max_size`` (by default the limit of its kind), or refused while received."""
    max_size = max_size or max_size_for(uploaded.name)
    if getattr(uploaded, "refused", False) or uploaded.size > max_size:
        raise ValidationError(
            f"Le fichier « {uploaded.name} » pèse {size_label(uploaded.size)}\u202f: "
            f"la limite est de {size_label(max_size)}.",
            code="size",
        )


def check_zip(
    uploaded,
    *,
    max_uncompressed: int = ZIP_MAX_UNCOMPRESSED,
    max_entries: int = ZIP_MAX_ENTRIES,
    max_ratio: int = ZIP_MAX_RATIO,
) -> None:
    """Refuse a zip archive (DOCX, ODT, XLSX) that would inflate beyond the limits, from its central
    directory alone. A file that is not a zip passes: the type check of its form speaks of it."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    finally:
        uploaded.seek(0)
    name = uploaded.name
    if len(members) > max_entries:
        raise ValidationError(
            f"Le fichier « {name} » contient {len(members)} éléments compressés\u202f: "
            f"la limite est de {max_entries}. Enregistrez-le de nouveau depuis votre traitement de texte "
            "ou votre tableur.",
            code="zip_entries",
        )
    inflated = sum(member.file_size for member in members)
    if inflated > max_uncompressed:
        raise ValidationError(
            f"Une fois décompressé, le fichier « {name} » occuperait {size_label(inflated)}\u202f: "
            f"la limite est de {size_label(max_uncompressed)}. Allégez-le (images moins lourdes, "
            "moins de feuilles) ou envoyez-le en PDF.",
            code="zip_size",
        )
    compressed = sum(member.compress_size for member in members)
    if inflated > ZIP_RATIO_FLOOR and inflated > max_ratio * max(compressed, 1):
        raise ValidationError(
            f"Le fichier « {name} » est anormalement compressé ({size_label(compressed)} qui se décompressent "
            f"en {size_label(inflated)})\u202f: il est refusé par précaution. Enregistrez-le de nouveau "
            "depuis votre traitement de texte ou votre tableur.",
            code="zip_ratio",
        )


def validate_spreadsheet_upload(uploaded) -> None:
    """Form validator of the spreadsheet imports: size limit, and the zip limits for an XLSX."""
    check_size(uploaded, SPREADSHEET_MAX_SIZE)
    if extension(uploaded.name) in ZIPPED_EXTENSIONS:
        check_zip(uploaded)
