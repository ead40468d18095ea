"""Bodies, meetings and decisions: who edits, edit conflicts, the pages and the CLS page section."""

import datetime

import pytest
from django.urls import reverse

from core.history import changes_of
from steering import services
from steering.models import Decision, Instance, Reunion

pytestmark = pytest.mark.django_db

PERSONAS = ["ars_marne", "ars_ardennes", "coord_chalons1", "coord_reims", "lecteur"]
CAN_EDIT = {"ars_marne", "coord_chalons1"}


@pytest.fixture
def persona(request, demo):
    return request.getfixturevalue(request.param)


def meeting_data(reunion, **fields):
    data = {
        "instance_gouvernance": reunion.instance_gouvernance_id,
        "date": reunion.date.isoformat(),
        "heure": "14:30",
        "lieu": reunion.lieu,
        "ordre_du_jour": "",
        "compte_rendu": "",
        "version": reunion.version,
    }
    return data | fields


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_everyone_logged_in_reads_the_governance(client, persona, demo, reunion):
    client.force_login(persona)
    for url in (
        reverse("steering_governance", args=[demo["chalons1"].pk]),
        reverse("steering_meeting", args=[reunion.pk]),
        reverse("steering_upcoming"),
        reverse("steering_upcoming_ics"),
        reverse("steering_cls_ics", args=[demo["chalons1"].pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_the_login_page(client, reunion):
    for url in (reverse("steering_meeting", args=[reunion.pk]), reverse("steering_upcoming_ics")):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion/" in response.url


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_permission_matrix(client, persona, demo, copil, reunion, request):
    name = request.node.callspec.params["persona"]
    decision = Decision.objects.create(reunion=reunion, texte="Préparer le bilan")
    client.force_login(persona)
    urls = [
        reverse("steering_instance_create", args=[demo["chalons1"].pk]),
        reverse("steering_instance_edit", args=[copil.pk]),
        reverse("steering_member_create", args=[copil.pk]),
        reverse("steering_meeting_create", args=[demo["chalons1"].pk]),
        reverse("steering_meeting_edit", args=[reunion.pk]),
        reverse("steering_attachment_add", args=[reunion.pk]),
        reverse("steering_decision_create", args=[reunion.pk]),
        reverse("steering_decision_edit", args=[decision.pk]),
    ]
    expected = {200} if name in CAN_EDIT else {403, 404}
    for url in urls:
        assert client.get(url).status_code in expected, url
    page = client.get(reverse("steering_meeting", args=[reunion.pk])).content.decode()
    assert ("Modifier la réunion" in page) is (name in CAN_EDIT)
    client.post(reverse("steering_meeting_edit", args=[reunion.pk]), meeting_data(reunion, lieu="Ailleurs"))
    reunion.refresh_from_db()
    assert (reunion.lieu == "Ailleurs") is (name in CAN_EDIT)


def test_coordinator_creates_a_body_a_meeting_and_a_decision(client, coord_chalons1, demo):
    cls = demo["chalons1"]
    client.force_login(coord_chalons1)
    client.post(
        reverse("steering_instance_create", args=[cls.pk]),
        {"type": "cotech", "nom": "COTECH santé mentale", "reunions_par_an": "3"},
    )
    cotech = Instance.objects.get(cls=cls, nom="COTECH santé mentale")
    response = client.post(
        reverse("steering_meeting_create", args=[cls.pk]),
        {
            "instance_gouvernance": cotech.pk,
            "date": "2031-01-14",
            "heure": "09:30",
            "lieu": "CCAS",
            "ordre_du_jour": "Bilan",
        },
    )
    reunion = Reunion.objects.get(instance_gouvernance=cotech)
    assert response.url == reverse("steering_meeting", args=[reunion.pk])
    client.post(
        reverse("steering_decision_create", args=[reunion.pk]),
        {"texte": "Relancer les partenaires", "echeance": "2031-02-01"},
    )
    decision = reunion.decisions.get()
    assert decision.echeance == datetime.date(2031, 2, 1)
    assert reunion.history.first().history_user == coord_chalons1
    page = client.get(reverse("steering_governance", args=[cls.pk])).content.decode()
    assert "COTECH santé mentale" in page and "14/01/2031" in page


def test_a_meeting_of_another_cls_body_is_refused(client, coord_chalons1, demo, copil):
    other = Instance.objects.create(cls=demo["reims2"], type="copil", nom="COPIL de Reims")
    client.force_login(coord_chalons1)
    response = client.post(
        reverse("steering_meeting_create", args=[demo["chalons1"].pk]),
        {"instance_gouvernance": other.pk, "date": "2031-01-14"},
    )
    assert "Choisissez une instance de ce CLS" in response.content.decode()
    assert not Reunion.objects.filter(instance_gouvernance=other).exists()


def test_moving_a_meeting_to_another_body_is_in_its_history(client, coord_chalons1, demo, copil, reunion):
    cotech = Instance.objects.create(cls=demo["chalons1"], type="cotech", nom="COTECH santé mentale")
    client.force_login(coord_chalons1)
    url = reverse("steering_meeting_edit", args=[reunion.pk])
    assert client.post(url, meeting_data(reunion, instance_gouvernance=cotech.pk)).status_code == 302
    moved, before = reunion.history.all()[:2]
    assert (before.instance_gouvernance, moved.instance_gouvernance) == (copil, cotech)
    assert moved.history_user == coord_chalons1
    [change] = [c for c in changes_of(Reunion, reunion.history.all(), "Réunion") if c.action == "modification"]
    assert change.who == str(coord_chalons1)
    assert change.details == ["instance : COPIL de Châlons → COTECH santé mentale"]


def test_two_people_editing_a_meeting_do_not_overwrite_each_other(client, coord_chalons1, ars_marne, reunion):
    url = reverse("steering_meeting_edit", args=[reunion.pk])
    first = meeting_data(reunion, compte_rendu="Compte rendu de la coordination")
    second = meeting_data(reunion, compte_rendu="Compte rendu de l'ARS")
    client.force_login(coord_chalons1)
    assert client.post(url, first).status_code == 302
    client.force_login(ars_marne)
    response = client.post(url, second)
    assert response.status_code == 200
    assert "modifiée par quelqu" in response.content.decode()
    reunion.refresh_from_db()
    assert reunion.compte_rendu == "Compte rendu de la coordination" and reunion.version == 2


def test_attendance_only_from_the_body_members(reunion, membre, demo):
    stranger_body = Instance.objects.create(cls=demo["chalons1"], type="cotech", nom="COTECH")
    stranger = stranger_body.membres.create(nom="Jean Autre")
    services.save_reunion(reunion, read_version=reunion.version, m2m={"presents": [membre]})
    assert list(reunion.presents.all()) == [membre]
    with pytest.raises(Exception, match="pas membres de l'instance"):
        services.save_reunion(reunion, read_version=reunion.version, m2m={"presents": [stranger]})


def test_a_decision_is_not_done_before_its_meeting(reunion):
    with pytest.raises(Exception, match="avant la réunion"):
        services.save_decision(Decision(reunion=reunion, texte="X", faite_le=reunion.date - datetime.timedelta(days=1)))


def test_upcoming_meetings_and_the_cls_page_section(client, lecteur, demo, copil, reunion):
    past = services.save_reunion(Reunion(instance_gouvernance=copil, date=datetime.date(2020, 5, 5)))
    client.force_login(lecteur)
    upcoming = client.get(reverse("steering_upcoming")).content.decode()
    assert "12/03/2030" in upcoming and "05/05/2020" not in upcoming
    page = client.get(reverse("cls_detail", args=[demo["chalons1"].pk])).content.decode()
    assert "Prochaine réunion" in page and "12 mars 2030" in page
    assert reverse("steering_governance", args=[demo["chalons1"].pk]) in page
    assert reverse("steering_meeting", args=[past.pk]) in page  # the last one held


def test_upcoming_list_query_count(client, lecteur, copil, django_assert_max_num_queries):
    for day in range(1, 11):
        Reunion.objects.create(instance_gouvernance=copil, date=datetime.date(2031, 1, day))
    client.force_login(lecteur)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("steering_upcoming")).status_code == 200
