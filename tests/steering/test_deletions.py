"""Removing a file attached by mistake, a member or a meeting: editors only, confirmed, in the history."""

import html
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steering import services
from steering.models import Decision, Membre, PieceJointe, Reunion
from tests.steering.test_uploads import PDF

pytestmark = pytest.mark.django_db

EDITORS = ["coord_chalons1", "ars_marne"]
OTHERS = ["lecteur", "coord_reims", "ars_ardennes", "porteur_udaf"]


@pytest.fixture
def persona(request, demo):
    return request.getfixturevalue(request.param)


@pytest.fixture
def piece(reunion, coord_chalons1):
    return services.attach_file(
        reunion, uploaded=SimpleUploadedFile("compte-rendu-prive.pdf", PDF), user=coord_chalons1
    )


def stored(piece) -> Path:
    return Path(settings.MEDIA_ROOT) / piece.fichier.name


@pytest.fixture
def targets(membre, reunion, piece):
    """What each delete address removes: (url, model, pk)."""
    return [
        (reverse("steering_attachment_delete", args=[piece.pk]), PieceJointe, piece.pk),
        (reverse("steering_member_delete", args=[membre.pk]), Membre, membre.pk),
        (reverse("steering_meeting_delete", args=[reunion.pk]), Reunion, reunion.pk),
    ]


@pytest.mark.parametrize("persona", EDITORS, indirect=True)
def test_an_editor_removes_a_file_which_leaves_the_storage(
    client, persona, reunion, piece, django_capture_on_commit_callbacks
):
    path = stored(piece)
    assert path.read_bytes() == PDF
    client.force_login(persona)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("steering_attachment_delete", args=[piece.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("steering_meeting", args=[reunion.pk])
    assert "Le fichier « compte-rendu-prive.pdf » a été supprimé." in response.content.decode()
    assert not PieceJointe.objects.filter(pk=piece.pk).exists()
    assert not path.exists()
    assert PieceJointe.history.get(id=piece.pk, history_type="-").history_user == persona
    assert Reunion.objects.filter(pk=reunion.pk).exists()


@pytest.mark.parametrize("persona", EDITORS, indirect=True)
def test_an_editor_removes_a_member_present_at_past_meetings(client, persona, demo, copil, membre, reunion):
    reunion.presents.add(membre)
    client.force_login(persona)
    page = client.get(reverse("steering_member_delete", args=[membre.pk])).content.decode()
    assert "Ses présences aux réunions passées seront aussi effacées des listes de présents (1 réunion)" in page
    response = client.post(reverse("steering_member_delete", args=[membre.pk]), follow=True)
    assert response.redirect_chain[-1][0] == (
        reverse("steering_governance", args=[demo["chalons1"].pk]) + f"#instance-{copil.pk}"
    )
    assert "« Camille Martin » ne fait plus partie de l'instance « COPIL de Châlons »." in html.unescape(
        response.content.decode()
    )
    assert not Membre.objects.filter(pk=membre.pk).exists()
    assert not reunion.presents.exists()
    assert Membre.history.get(id=membre.pk, history_type="-").history_user == persona
    presence_removed = reunion.history.first()
    assert (presence_removed.history_type, presence_removed.history_user) == ("~", persona)
    assert not presence_removed.presents.exists()


@pytest.mark.parametrize("persona", EDITORS, indirect=True)
def test_an_editor_removes_a_meeting_with_its_decisions_and_files(
    client, persona, demo, reunion, piece, django_capture_on_commit_callbacks
):
    decision = Decision.objects.create(reunion=reunion, texte="Préparer le bilan")
    path = stored(piece)
    client.force_login(persona)
    page = client.get(reverse("steering_meeting_delete", args=[reunion.pk])).content.decode()
    assert "Ses décisions seront supprimées aussi (1)." in page
    assert "Ses fichiers joints seront supprimés et effacés du serveur (1)." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("steering_meeting_delete", args=[reunion.pk]))
    assert response.url == reverse("steering_governance", args=[demo["chalons1"].pk])
    assert not Reunion.objects.filter(pk=reunion.pk).exists()
    assert not Decision.objects.filter(pk=decision.pk).exists()
    assert not PieceJointe.objects.filter(pk=piece.pk).exists()
    assert not path.exists()
    for model, pk in ((Reunion, reunion.pk), (Decision, decision.pk), (PieceJointe, piece.pk)):
        assert model.history.get(id=pk, history_type="-").history_user == persona


def test_the_confirmation_page_deletes_nothing(client, coord_chalons1, targets, piece):
    client.force_login(coord_chalons1)
    for url, model, pk in targets:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Cette suppression est définitive" in response.content.decode()
        assert model.objects.filter(pk=pk).exists(), url
    assert stored(piece).exists()


@pytest.mark.parametrize("persona", OTHERS, indirect=True)
def test_readers_other_coordinators_and_carriers_delete_nothing(client, persona, targets, piece, reunion, demo):
    client.force_login(persona)
    for url, model, pk in targets:
        assert client.get(url).status_code in {403, 404}, url
        assert client.post(url).status_code in {403, 404}, url
        assert model.objects.filter(pk=pk).exists(), url
    assert stored(piece).exists()
    page = client.get(reverse("steering_meeting", args=[reunion.pk])).content.decode()
    assert "Supprimer" not in page
    assert "Supprimer" not in client.get(reverse("steering_governance", args=[demo["chalons1"].pk])).content.decode()


def test_editors_see_the_delete_links(client, coord_chalons1, demo, membre, reunion, piece):
    client.force_login(coord_chalons1)
    page = client.get(reverse("steering_meeting", args=[reunion.pk])).content.decode()
    assert reverse("steering_meeting_delete", args=[reunion.pk]) in page and "Supprimer la réunion" in page
    assert reverse("steering_attachment_delete", args=[piece.pk]) in page
    page = client.get(reverse("steering_governance", args=[demo["chalons1"].pk])).content.decode()
    assert reverse("steering_member_delete", args=[membre.pk]) in page


def test_anonymous_is_sent_to_the_login_page(client, targets):
    for url, model, pk in targets:
        response = client.post(url)
        assert response.status_code == 302 and "/connexion/" in response.url, url
        assert model.objects.filter(pk=pk).exists(), url
