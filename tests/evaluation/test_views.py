"""Screens: who reads and writes the evaluation, the forms, the next generation, the demo."""

import pytest
from django.urls import reverse

from actions.models import FicheAction
from contracts.models import Cls
from demo.actions import load_actions_demo
from demo.diagnostics import load_diagnostics_demo
from demo.evaluation import load_evaluation_demo
from evaluation.models import Evaluation, EvaluationAction
from steering.models import CampagneRevue, Poursuite, ReponseRevue

WRITERS = ["coord_small", "ars_marne"]
NOT_WRITERS = ["ars_ardennes", "ars_other_region", "coord_reims", "porteur_small", "lecteur"]


def url(name, small, *args):
    return reverse(name, args=[small["cls"].pk, *args])


def test_anonymous_is_sent_to_login(small, client):
    response = client.get(url("evaluation_cls", small))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


@pytest.mark.parametrize("persona", WRITERS + NOT_WRITERS)
def test_everyone_logged_in_reads_the_evaluation(persona, small, demo, request, client):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url("evaluation_cls", small))
    assert response.status_code == 200
    assert (response.context["form"] is not None) == (persona in WRITERS)


@pytest.mark.parametrize("persona", WRITERS)
def test_writers_save_conclusions(persona, small, request, client):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    data = {"conclusions": "Bilan positif.", "recommandations": "Étendre.", "version": ""}
    assert client.post(url("evaluation_cls", small), data).status_code == 302
    evaluation = Evaluation.objects.get(cls=small["cls"])
    assert (evaluation.conclusions, evaluation.redigee_par, evaluation.version) == ("Bilan positif.", user, 1)
    assert evaluation.history.get().history_user == user


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_others_cannot_write(persona, small, demo, request, client):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url("evaluation_cls", small), {"conclusions": "x", "version": ""}).status_code == 403
    fiche = small["f11"].pk
    assert client.post(url("evaluation_action", small, fiche), {"atteinte": "atteint"}).status_code == 403
    assert client.post(url("evaluation_prepare", small), {"confirmation": "on"}).status_code == 403
    assert not Evaluation.objects.exists() and not EvaluationAction.objects.exists()


def test_rewritten_demo_content_is_no_longer_illustrative(small, coord_small, client):
    Evaluation.objects.create(cls=small["cls"], conclusions="Exemple.", illustratif=True)
    EvaluationAction.objects.create(fiche=small["f11"], atteinte="partiel", illustratif=True)
    client.force_login(coord_small)
    client.post(url("evaluation_cls", small), {"conclusions": "Nos conclusions.", "version": "1"})
    client.post(url("evaluation_action", small, small["f11"].pk), {"atteinte": "atteint", "version": "1"})
    assert not Evaluation.objects.get().illustratif
    assert not EvaluationAction.objects.get().illustratif


def test_stale_conclusions_are_refused(small, coord_small, client):
    client.force_login(coord_small)
    client.post(url("evaluation_cls", small), {"conclusions": "Première version", "version": ""})
    response = client.post(
        url("evaluation_cls", small), {"conclusions": "Écrite sur une copie périmée", "version": "0"}
    )
    assert response.status_code == 200 and "modifiée par quelqu" in response.content.decode()
    assert Evaluation.objects.get().conclusions == "Première version"


def test_action_form_prefilled_from_the_last_review_and_validated(small, coord_small, client):
    f11 = small["f11"]
    campagne = CampagneRevue.objects.create(cls=small["cls"], annee=2025, ouverte_le="2026-01-10")
    ReponseRevue.objects.create(campagne=campagne, fiche=f11, fiche_numero="1.1", poursuite=Poursuite.OUI)
    client.force_login(coord_small)
    form = client.get(url("evaluation_action", small, f11.pk)).context["form"]
    assert form["a_poursuivre"].value() is True
    response = client.post(url("evaluation_action", small, f11.pk), {"commentaire": "?"})
    assert "Indiquez dans quelle mesure les objectifs sont atteints." in response.content.decode()
    data = {"atteinte": "partiel", "a_poursuivre": "on", "commentaire": "À adapter."}
    assert client.post(url("evaluation_action", small, f11.pk), data).status_code == 302
    assert EvaluationAction.objects.get(fiche=f11).a_poursuivre


def test_action_of_another_cls_is_not_found(small, demo, coord_small, client):
    client.force_login(coord_small)
    other = FicheAction.objects.create(cls=demo["chalons1"], rang=1, titre="Ailleurs")
    assert client.get(url("evaluation_action", small, other.pk)).status_code == 404


def test_prepare_next_needs_confirmation_then_links(small, coord_small, client):
    Evaluation.objects.create(cls=small["cls"], conclusions="Bilan.")
    EvaluationAction.objects.create(fiche=small["f11"], atteinte="atteint", a_poursuivre=True)
    client.force_login(coord_small)
    page = client.get(url("evaluation_prepare", small)).content.decode()
    assert "1.1 Accompagner" in page
    response = client.post(url("evaluation_prepare", small), {})
    assert "Cochez la case pour confirmer" in response.content.decode()
    assert not Cls.objects.filter(predecesseur=small["cls"]).exists()
    response = client.post(url("evaluation_prepare", small), {"confirmation": "on"})
    new = Cls.objects.get(predecesseur=small["cls"])
    assert response["Location"] == reverse("cls_detail", args=[new.pk])
    response = client.post(url("evaluation_prepare", small), {"confirmation": "on"})
    assert "existe déjà" in response.content.decode()
    assert Cls.objects.filter(predecesseur=small["cls"]).count() == 1


def test_demo_chalons_evaluation_is_marked_illustrative(demo, ars_marne, client):
    load_diagnostics_demo(demo)
    load_actions_demo(demo)
    load_evaluation_demo(demo)
    load_evaluation_demo(demo)  # idempotent
    chalons1, chalons2 = demo["chalons1"], demo["chalons2"]
    evaluation = Evaluation.objects.get()
    assert evaluation.cls == chalons1 and evaluation.illustratif
    assessed = EvaluationAction.objects.filter(fiche__cls=chalons1)
    assert assessed.count() == FicheAction.objects.filter(cls=chalons1).count() == 6
    assert all(a.illustratif for a in assessed)
    # CLS 2 is the seeds' one, already linked: not duplicated, its facts untouched.
    assert list(Cls.objects.filter(predecesseur=chalons1)) == [chalons2]
    assert Cls.objects.get(pk=chalons2.pk).date_signature is None
    client.force_login(ars_marne)
    page = client.get(reverse("evaluation_cls", args=[chalons1.pk])).content.decode()
    assert page.count("Exemple illustratif") >= 7  # conclusions and each assessment
    assert "Le CLS suivant existe" in page
