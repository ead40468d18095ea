"""Minutes files: a file past 10 Mo is dropped while it is received, a DOCX or ODT bomb is refused."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from core.uploads import MIB
from steering import services
from steering.models import Instance, PieceJointe, Reunion, TypeInstance
from tests.core.test_uploads import zip_bomb
from tests.factories import ClsFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordination_and_meeting():
    user = UserFactory(coordinateur=True)
    cls = ClsFactory(coordinateurs=[user])
    copil = Instance.objects.create(cls=cls, type=TypeInstance.COPIL, nom="COPIL d'essai")
    reunion = services.save_reunion(Reunion(instance_gouvernance=copil, date=datetime.date(2030, 3, 12)))
    return user, reunion


def attach(client, reunion, name, content):
    url = reverse("steering_attachment_add", args=[reunion.pk])
    response = client.post(url, {"fichier": SimpleUploadedFile(name, content)})
    return response.status_code, html.unescape(response.content.decode())


def test_a_pdf_over_10_mo_is_refused_without_being_written_whole(
    client, coordination_and_meeting, monkeypatch, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    written = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(handler, raw_data, start):
        written.append(len(raw_data))
        return original(handler, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    user, reunion = coordination_and_meeting
    client.force_login(user)
    status, page = attach(client, reunion, "gros.pdf", b"%PDF-1.4\n" + bytes(12 * MIB))
    assert status == 200
    assert "Le fichier « gros.pdf » pèse 12\u00a0Mo\u202f: la limite est de 10\u00a0Mo." in page
    assert sum(written) <= 10 * MIB
    assert list(tmp_path.iterdir()) == []  # the part received is deleted at once
    assert not PieceJointe.objects.exists()


@pytest.mark.parametrize("name", ["compte-rendu.docx", "compte-rendu.odt"])
def test_a_minutes_file_inflating_to_60_mo_is_refused(client, coordination_and_meeting, name):
    user, reunion = coordination_and_meeting
    client.force_login(user)
    status, page = attach(client, reunion, name, zip_bomb(60 * MIB))
    assert status == 200
    assert (
        f"Une fois décompressé, le fichier « {name} » occuperait 60\u00a0Mo\u202f: la limite est de 50\u00a0Mo" in page
    )
    assert not PieceJointe.objects.exists()


def test_the_form_says_the_limit(client, coordination_and_meeting):
    user, reunion = coordination_and_meeting
    client.force_login(user)
    page = client.get(reverse("steering_attachment_add", args=[reunion.pk])).content.decode()
    assert "PDF, DOCX ou ODT, 10\u00a0Mo au plus." in page
