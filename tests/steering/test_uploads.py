"""Files attached to minutes: type checked by extension and content, size limit, private download."""

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steering.models import PieceJointe
from steering.uploads import MAX_SIZE, ODT_MIMETYPE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE)  # stored, first, as ODF requires
        archive.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def upload(client, reunion, name, content):
    return client.post(
        reverse("steering_attachment_add", args=[reunion.pk]), {"fichier": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("compte-rendu.pdf", PDF), ("compte-rendu.docx", docx_bytes()), ("Compte rendu.ODT", odt_bytes())],
)
def test_pdf_docx_and_odt_are_accepted(client, coord_chalons1, reunion, name, content):
    client.force_login(coord_chalons1)
    response = upload(client, reunion, name, content)
    assert response.status_code == 302
    piece = PieceJointe.objects.get(reunion=reunion)
    assert (piece.nom, piece.taille, piece.ajoutee_par) == (name, len(content), coord_chalons1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("outil.exe", b"MZ\x90\x00", "joignez un document PDF, DOCX ou ODT"),
        ("notes.txt", b"bonjour", "joignez un document PDF, DOCX ou ODT"),
        ("faux.pdf", b"MZ\x90\x00 not a pdf", "n'est pas celui d'un fichier PDF"),
        ("faux.docx", PDF, "n'est pas celui d'un fichier Word (DOCX)"),
        ("faux.odt", docx_bytes(), "n'est pas celui d'un fichier OpenDocument (ODT)"),
    ],
)
def test_wrong_types_and_fake_files_are_refused(client, coord_chalons1, reunion, name, content, message):
    client.force_login(coord_chalons1)
    response = upload(client, reunion, name, content)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not PieceJointe.objects.exists()


def test_a_file_over_10_mo_is_refused(client, coord_chalons1, reunion):
    client.force_login(coord_chalons1)
    response = upload(client, reunion, "gros.pdf", PDF + b"0" * MAX_SIZE)
    assert "la limite est de 10\u00a0Mo" in response.content.decode()
    assert not PieceJointe.objects.exists()


def test_minutes_are_served_to_logged_in_users_only(client, coord_chalons1, lecteur, reunion, settings):
    client.force_login(coord_chalons1)
    upload(client, reunion, "compte-rendu.pdf", PDF)
    piece = PieceJointe.objects.get()
    url = reverse("steering_attachment", args=[piece.pk])
    assert url != settings.MEDIA_URL + piece.fichier.name
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/connexion/" in response.url
    client.force_login(lecteur)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="compte-rendu.pdf"' in response["Content-Disposition"]
    # the media folder is not served by the site
    assert client.get(settings.MEDIA_URL + piece.fichier.name).status_code == 404
