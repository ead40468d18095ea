"""« À faire »: each kind of reminder, its scope per role, the page, and the daily e-mail."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Etat, FicheAction, Mesure
from contracts.models import Cls
from evaluation.models import RappelEnvoye
from evaluation.reminders import todo_for
from steering.models import CampagneRevue, Decision, Instance, ReponseRevue, Reunion, TypeInstance

TODAY = datetime.date(2027, 8, 1)  # ``small`` ends on 31/12/2027: within six months


def texts(user, key, today=TODAY):
    section = next(s for s in todo_for(user, today).sections if s.key == key)
    return [item.text for item in section.items]


@pytest.fixture
def followed(small):
    FicheAction.objects.filter(pk=small["f11"].pk).update(fin_prevue=datetime.date(2027, 3, 31))
    FicheAction.objects.filter(pk=small["f21"].pk).update(etat=Etat.EN_RETARD)
    return small


@pytest.fixture
def reunion(small):
    copil = Instance.objects.create(cls=small["cls"], type=TypeInstance.COPIL, nom="COPIL")
    return Reunion.objects.create(instance_gouvernance=copil, date=datetime.date(2027, 3, 1))


def test_contract_ending_without_successor(small, coord_small, ars_marne, ars_ardennes, porteur_small):
    expected = "CLS de test (CLS 1) : se termine le 31/12/2027 et aucun CLS suivant n'est en préparation."
    assert texts(coord_small, "fin") == texts(ars_marne, "fin") == [expected]
    assert texts(ars_ardennes, "fin") == texts(porteur_small, "fin") == []
    assert texts(coord_small, "fin", today=datetime.date(2027, 6, 1)) == []  # more than six months ahead
    old = small["cls"]
    Cls.objects.create(
        nom=old.nom, generation="2", departement=old.departement, porteur_commune=old.porteur_commune, predecesseur=old
    )
    assert texts(coord_small, "fin") == []


def test_late_actions_scoped_to_what_the_person_updates(followed, coord_small, porteur_small, ars_ardennes):
    assert texts(coord_small, "retard") == [
        "CLS de test (CLS 1) — fiche 1.1 Accompagner : en retard (fin prévue le 31/03/2027).",
        "CLS de test (CLS 1) — fiche 2.1 Espaces sans tabac : en retard.",
    ]
    assert texts(porteur_small, "retard") == [texts(coord_small, "retard")[0]]  # its own action only
    assert texts(ars_ardennes, "retard") == []
    assert texts(coord_small, "retard", today=datetime.date(2028, 2, 1)) == []  # the contract has ended


def test_indicators_without_a_value_for_last_year(small, coord_small, porteur_small):
    """2026 values are missing everywhere; « Guide diffusé » belongs to a done action: not asked."""
    Mesure.objects.create(indicateur=small["f11"].indicateurs.get(libelle="Ateliers"), annee=2026, valeur=40)
    assert texts(coord_small, "indicateurs") == [
        "CLS de test (CLS 1) — fiche 1.1 : « Personnes accompagnées » n'a pas de valeur pour 2026.",
        "CLS de test (CLS 1) — fiche 2.1 : « Taux de fumeurs » n'a pas de valeur pour 2026.",
    ]
    assert texts(porteur_small, "indicateurs") == [texts(coord_small, "indicateurs")[0]]


def test_decisions_past_due_and_not_done(small, reunion, coord_small, porteur_small, ars_marne, ars_ardennes):
    common = {"reunion": reunion, "suivie_par_organisation": small["carrier"]}
    Decision.objects.create(texte="Relancer les partenaires", echeance=datetime.date(2027, 6, 30), **common)
    Decision.objects.create(texte="Déjà fait", echeance=datetime.date(2027, 6, 30), faite_le=TODAY, **common)
    Decision.objects.create(texte="Pas encore échue", echeance=datetime.date(2027, 9, 30), **common)
    Decision.objects.create(texte="Suivie par l'ARS", echeance=datetime.date(2027, 5, 1), reunion=reunion)
    expected = (
        "CLS de test (CLS 1) — décision du 01/03/2027 « Relancer les partenaires » : échéance dépassée (30/06/2027)."
    )
    assert texts(porteur_small, "decisions") == [expected]
    assert len(texts(coord_small, "decisions")) == len(texts(ars_marne, "decisions")) == 2
    assert texts(ars_ardennes, "decisions") == []


def test_open_review_campaigns(small, coord_small, porteur_small, ars_ardennes):
    campagne = CampagneRevue.objects.create(
        cls=small["cls"], annee=2026, ouverte_le=datetime.date(2027, 1, 5), date_limite=datetime.date(2027, 2, 28)
    )
    ReponseRevue.objects.create(campagne=campagne, fiche=small["f11"], fiche_numero="1.1", porteur=small["carrier"])
    answered = datetime.datetime(2027, 1, 20, tzinfo=datetime.UTC)
    ReponseRevue.objects.create(campagne=campagne, fiche=small["f21"], fiche_numero="2.1", repondu_le=answered)
    assert texts(coord_small, "revues") == [
        "Revue 2026 — CLS de test (CLS 1) : campagne ouverte, réponses attendues : 1."
    ]
    assert texts(porteur_small, "revues") == [
        "Revue 2026 — CLS de test (CLS 1) : vos réponses sont attendues avant le 28/02/2027."
    ]
    assert texts(ars_ardennes, "revues") == []
    ReponseRevue.objects.filter(fiche=small["f11"]).update(
        repondu_le=datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC)
    )
    assert texts(porteur_small, "revues") == []
    campagne.close_le = datetime.date(2027, 3, 1)
    campagne.save()
    assert texts(coord_small, "revues") == []


def test_a_reader_has_nothing_to_do(followed, lecteur):
    assert todo_for(lecteur, TODAY).count == 0


@pytest.fixture
def late_now(followed):
    """1.1 ended a month before the real today (the page and the command run at the real date)."""
    FicheAction.objects.filter(pk=followed["f11"].pk).update(fin_prevue=timezone.localdate() - datetime.timedelta(30))
    return followed


def test_todo_page(late_now, porteur_small, client):
    client.force_login(porteur_small)
    page = client.get(reverse("evaluation_todo")).content.decode()
    assert "Actions en retard sur leur calendrier (1)" in page
    assert "2.1 Espaces sans tabac" not in page


def test_send_reminders_once_a_day(late_now, coord_small, porteur_small, lecteur):
    lecteur.email = "lecteur@example.org"
    lecteur.save()
    call_command("send_reminders", url="https://santeloc.example.org/")
    assert sorted(m.to[0] for m in mail.outbox) == ["coord@example.org", "porteur@example.org"]
    message = next(m for m in mail.outbox if m.to == ["porteur@example.org"])
    assert message.subject.startswith("SantéLoc : ") and "à faire au" in message.subject
    assert "Actions en retard sur leur calendrier (1) :" in message.body
    assert f"https://santeloc.example.org/actions/{late_now['f11'].pk}/" in message.body
    assert "2.1 Espaces sans tabac" not in message.body
    call_command("send_reminders")
    assert len(mail.outbox) == 2  # idempotent within the day
    assert RappelEnvoye.objects.count() == 2
