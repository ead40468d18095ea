"""Upload limits: a file past its size is dropped while it is received; a zip that would inflate too
much is refused from its directory; the spreadsheet imports say so in French on their form."""

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from docx import Document
from openpyxl import Workbook

from actions.models import FicheAction
from core import uploads
from core.uploads import MIB, RefusedUpload, SizeLimitUploadHandler, check_zip, size_label
from tests.factories import ClsFactory, DepartementFactory, UserFactory


class Spy(FileUploadHandler):
    """Stands for the handlers that write to memory or disk: counts what reaches them."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        Spy.received += len(raw_data)
        return None

    def file_complete(self, file_size):
        return SimpleUploadedFile(self.file_name, b"kept")


def parse(name: str, content: bytes, *handlers):
    body = encode_multipart(BOUNDARY, {"fichier": SimpleUploadedFile(name, content), "note": "x"})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    return MultiPartParser(meta, io.BytesIO(body), list(handlers)).parse()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(inflated: int, name: str = "word/document.xml") -> bytes:
    """A DOCX-looking zip whose ``name`` inflates to ``inflated`` bytes of zeros, written by chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = bytes(MIB)
            for _ in range(inflated // MIB):
                member.write(chunk)
    return buffer.getvalue()


def as_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_file_past_its_limit_reaches_neither_memory_nor_disk(monkeypatch):
    monkeypatch.setitem(uploads.MAX_SIZE_BY_EXTENSION, ".csv", 200_000)
    Spy.received = 0
    post, files = parse("structures.csv", b"a;b\n" * 250_000, SizeLimitUploadHandler(), Spy())
    refused = files["fichier"]
    assert isinstance(refused, RefusedUpload)
    assert (refused.name, refused.size, refused.read()) == ("structures.csv", 1_000_000, b"")
    assert Spy.received <= 200_000
    assert post["note"] == "x"  # the rest of the form still arrives


def test_a_file_within_its_limit_is_received_whole(monkeypatch):
    monkeypatch.setitem(uploads.MAX_SIZE_BY_EXTENSION, ".csv", 200_000)
    content = b"a;b\n" * 1000
    _post, files = parse("structures.csv", content, SizeLimitUploadHandler(), MemoryFileUploadHandler())
    assert not isinstance(files["fichier"], RefusedUpload)
    assert files["fichier"].read() == content


def test_each_kind_of_file_has_its_limit_and_others_the_largest():
    assert uploads.max_size_for("plan.XLSX") == uploads.SPREADSHEET_MAX_SIZE == 5 * MIB
    assert uploads.max_size_for("compte-rendu.odt") == uploads.DOCUMENT_MAX_SIZE == 10 * MIB
    assert uploads.max_size_for("outil.exe") == uploads.max_size_for("sans extension") == 10 * MIB
    from django.conf import settings

    assert settings.FILE_UPLOAD_HANDLERS[0] == "core.uploads.SizeLimitUploadHandler"
    # the settings keep Django's handlers after ours, so a file within its limit is still received
    assert f"{TemporaryFileUploadHandler.__module__}.TemporaryFileUploadHandler" in settings.FILE_UPLOAD_HANDLERS[1:]


def test_sizes_are_written_in_french():
    assert size_label(10 * MIB) == "10\u00a0Mo"
    assert size_label(int(12.34 * MIB)) == "12,3\u00a0Mo"


def test_real_office_files_pass_the_zip_limits():
    docx = io.BytesIO()
    document = Document()
    document.add_paragraph("Compte rendu du comité de pilotage. " * 200)
    document.save(docx)
    xlsx = io.BytesIO()
    book = Workbook()
    for row in range(2000):
        book.active.append([f"1.{row}", "Action", "En cours", 1234.5])
    book.save(xlsx)
    for name, content in (("cr.docx", docx.getvalue()), ("plan.xlsx", xlsx.getvalue())):
        check_zip(as_upload(name, content))


def test_a_docx_inflating_beyond_50_mo_is_refused_before_it_is_opened():
    bomb = zip_bomb(51 * MIB)
    assert len(bomb) < 200_000
    with pytest.raises(Exception) as refused:
        check_zip(as_upload("bombe.docx", bomb))
    message = refused.value.messages[0]
    assert "Une fois décompressé, le fichier « bombe.docx » occuperait 51\u00a0Mo" in message
    assert "la limite est de 50\u00a0Mo" in message


def test_a_zip_compressed_far_more_than_office_files_is_refused():
    with pytest.raises(Exception) as refused:
        check_zip(as_upload("bombe.xlsx", zip_bomb(8 * MIB)))
    assert "anormalement compressé" in refused.value.messages[0]


def test_a_zip_of_too_many_parts_is_refused():
    with pytest.raises(Exception) as refused:
        check_zip(as_upload("parts.docx", zipped({f"part{n}.xml": b"<x/>" for n in range(1001)})))
    assert "contient 1001 éléments compressés" in refused.value.messages[0]


def test_a_file_that_is_not_a_zip_is_left_to_the_type_check():
    upload = as_upload("faux.docx", b"%PDF-1.4 not a zip")
    check_zip(upload)
    assert upload.read(5) == b"%PDF-"  # read from the start again


@pytest.fixture
def coordination(db):
    user = UserFactory(coordinateur=True)
    return user, ClsFactory(coordinateurs=[user])


def import_plan(client, cls, name, content):
    return client.post(reverse("actions_import", args=[cls.pk]), {"fichier": SimpleUploadedFile(name, content)})


def test_the_plan_import_refuses_a_workbook_over_5_mo_on_its_form(client, coordination):
    user, cls = coordination
    client.force_login(user)
    response = import_plan(client, cls, "plan.xlsx", b"PK" + bytes(6 * MIB))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Le fichier « plan.xlsx » pèse 6\u00a0Mo\u202f: la limite est de 5\u00a0Mo." in page
    assert not FicheAction.objects.filter(cls=cls).exists()


def test_the_plan_import_refuses_a_workbook_bomb(client, coordination):
    user, cls = coordination
    client.force_login(user)
    response = import_plan(client, cls, "plan.xlsx", zip_bomb(60 * MIB, name="xl/worksheets/sheet1.xml"))
    assert "Une fois décompressé, le fichier « plan.xlsx » occuperait 60\u00a0Mo" in html.unescape(
        response.content.decode()
    )


def test_the_care_offer_import_refuses_a_file_over_5_mo_on_its_form(client, db):
    aube = DepartementFactory()
    agent = UserFactory(ars=True, departement=aube)
    client.force_login(agent)
    content = b"Type;Nom\n" + b"MSP;Maison de sant\xc3\xa9\n" * 300_000
    response = client.post(
        reverse("careoffer_import", args=[aube.code]), {"fichier": SimpleUploadedFile("structures.csv", content)}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Le fichier « structures.csv » pèse" in page
    assert "la limite est de 5\u00a0Mo" in page
