"""The yearly review: who is asked what, who answers, reminders, closing and what a closed review keeps."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actions.models import Depense, Etat, FicheAction, Mesure
from contracts.models import Organisation
from core.concurrency import StaleVersionError
from steering import services
from steering.models import CampagneRevue, Poursuite, ReponseRevue

pytestmark = pytest.mark.django_db

ANSWER = {"etat": Etat.EN_COURS, "poursuite": Poursuite.OUI, "realise": "Permanences hebdomadaires."}


def _answer(reponse, user, **fields):
    reponse.refresh_from_db()
    return services.answer(reponse, user=user, read_version=reponse.version, **(ANSWER | fields))


def udaf_question(campagne):
    return campagne.reponses.get(fiche__programme__nom="Accès personnalisé à la santé")


def gem_question(campagne):
    return campagne.reponses.get(fiche_titre__startswith="Groupe d'entraide mutuelle")


def test_opening_asks_one_question_per_action_with_copies(campagne, demo, udaf_reims, udaf_indicateur):
    fiches = FicheAction.objects.filter(cls=demo["reims2"])
    assert campagne.reponses.count() == fiches.count() == 14
    question = udaf_question(campagne)
    assert (question.fiche_numero, question.fiche_titre, question.porteur) == (
        udaf_reims.numero,
        udaf_reims.titre,
        udaf_reims.porteur,
    )
    assert [(v.libelle, v.unite) for v in question.valeurs.all()] == [("Personnes accompagnées", "personnes")]
    assert not question.est_repondue


def test_opening_refuses_a_future_year_and_a_second_campaign(campagne, demo):
    with pytest.raises(ValidationError, match="année à venir"):
        services.open_campaign(cls=demo["reims2"], annee=2026, today=datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError, match="existe déjà"):
        services.open_campaign(cls=demo["reims2"], annee=2024, today=datetime.date(2025, 6, 1))


def test_abandoned_actions_and_actions_added_later_are_not_asked(demo, plans, udaf_reims):
    FicheAction.objects.filter(pk=udaf_reims.pk).update(etat=Etat.ABANDONNEE)
    FicheAction.objects.filter(cls=demo["reims2"], titre="Vaccinations").update(date_ajout=datetime.date(2025, 3, 1))
    campagne = services.open_campaign(cls=demo["reims2"], annee=2024, today=datetime.date(2025, 1, 10))
    titres = set(campagne.reponses.values_list("fiche_titre", flat=True))
    assert udaf_reims.titre not in titres and "Vaccinations" not in titres
    assert campagne.reponses.count() == 12


def test_a_carrier_sees_only_its_own_questions(client, campagne, porteur_udaf, porteur_other):
    client.force_login(porteur_udaf)
    page = client.get(reverse("steering_my_review")).content.decode()
    assert "Accès personnalisé à la santé" in page and "Groupe d'entraide mutuelle" not in page
    detail = client.get(reverse("steering_campaign", args=[campagne.pk])).content.decode()
    assert "Accès personnalisé à la santé" in detail and "Vaccinations" not in detail
    assert "Réponses par porteur" not in detail  # the progress is the coordination's
    # another carrier's question does not exist for this carrier
    assert client.get(reverse("steering_answer", args=[gem_question(campagne).pk])).status_code == 404
    assert client.post(reverse("steering_answer", args=[gem_question(campagne).pk]), ANSWER).status_code == 404


def test_a_carrier_answers_through_the_page(client, campagne, porteur_udaf, udaf_indicateur):
    question = udaf_question(campagne)
    valeur = question.valeurs.get()
    client.force_login(porteur_udaf)
    url = reverse("steering_answer", args=[question.pk])
    assert "Envoyer ma réponse" in client.get(url).content.decode()
    response = client.post(
        url,
        ANSWER
        | {"public_atteint": "42", "depense": "1250.50", "version": question.version, f"valeur_{valeur.pk}": "38"},
    )
    assert response.status_code == 302 and response.url == reverse("steering_my_review")
    question.refresh_from_db()
    assert question.est_repondue and question.repondu_par == porteur_udaf
    assert (question.public_atteint, question.depense, question.valeurs.get().valeur) == (
        42,
        Decimal("1250.50"),
        Decimal("38.00"),
    )
    assert question.history.first().history_user == porteur_udaf


def test_an_incomplete_answer_is_refused_with_french_messages(client, campagne, porteur_udaf):
    question = udaf_question(campagne)
    client.force_login(porteur_udaf)
    page = client.post(reverse("steering_answer", args=[question.pk]), {"version": question.version}).content.decode()
    assert "Indiquez où en est l" in page and "Indiquez la suite que vous proposez" in page
    question.refresh_from_db()
    assert not question.est_repondue


def test_other_carrier_and_reader_cannot_answer(campagne, porteur_other, lecteur, client):
    question = udaf_question(campagne)
    with pytest.raises(PermissionDenied):
        _answer(question, porteur_other)
    with pytest.raises(PermissionDenied):
        _answer(question, lecteur)
    client.force_login(lecteur)
    url = reverse("steering_answer", args=[question.pk])
    assert "Envoyer ma réponse" not in client.get(url).content.decode()
    assert client.post(url, ANSWER | {"version": question.version}).status_code == 403


def test_coordination_answers_for_actions_without_carrier(campagne, coord_reims2, coord_chalons):
    vaccinations = campagne.reponses.get(fiche_titre="Vaccinations")
    assert vaccinations.porteur is None
    _answer(vaccinations, coord_reims2)
    with pytest.raises(PermissionDenied):
        _answer(vaccinations, coord_chalons)  # coordinates another CLS


def test_two_people_answering_at_once_do_not_overwrite_each_other(campagne, porteur_udaf, coord_reims2):
    question = udaf_question(campagne)
    read_version = question.version
    services.answer(question, user=porteur_udaf, read_version=read_version, **ANSWER)
    with pytest.raises(StaleVersionError):
        services.answer(question, user=coord_reims2, read_version=read_version, **ANSWER | {"realise": "Autre"})
    question.refresh_from_db()
    assert question.realise == ANSWER["realise"]


def test_progress_and_reminders(campagne, porteur_udaf, porteur_other, coord_reims2, gem):
    porteur_other.email = "gem@example.org"
    porteur_other.save()
    porteur_udaf.email = "udaf@example.org"
    porteur_udaf.save()
    _answer(udaf_question(campagne), porteur_udaf)

    progress = services.campaign_progress(campagne)
    assert (progress["repondues"], progress["total"], progress["pourcentage"]) == (1, 14, 7)
    rows = {row["porteur__nom"]: (row["total"], row["repondues"]) for row in progress["par_porteur"]}
    assert rows["UDAF de la Marne"] == (1, 1) and rows[None] == (11, 0)

    now = datetime.datetime(2025, 2, 1, 9, tzinfo=datetime.UTC)
    result = services.remind(campagne, url="https://santeloc.example/ma-revue/", now=now)
    assert result.sent_to == ["Association Papillons Blancs en Champagne"]
    assert "Réseau Sport Santé Bien-Être (RSSBE)" in result.without_address  # no account with an e-mail
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["gem@example.org"]
    assert "Revue annuelle 2024" in message.subject and "GEM" in message.body
    assert "https://santeloc.example/ma-revue/" in message.body
    assert gem_question(campagne).relance_le == now
    assert udaf_question(campagne).relance_le is None  # answered: not reminded


def test_reminding_through_the_page_is_for_the_coordination(client, campagne, coord_reims2, porteur_udaf):
    url = reverse("steering_campaign_remind", args=[campagne.pk])
    client.force_login(porteur_udaf)
    assert client.post(url).status_code == 403
    client.force_login(coord_reims2)
    assert client.post(url).status_code == 302
    assert "Réponses par porteur" in client.get(reverse("steering_campaign", args=[campagne.pk])).content.decode()


def test_closing_writes_measures_and_spending_back_once(campagne, porteur_udaf, coord_reims2, udaf_indicateur):
    question = udaf_question(campagne)
    valeur = question.valeurs.get()
    _answer(question, porteur_udaf, depense=Decimal("1250.50"), valeurs={valeur.pk: Decimal("38")})
    vaccinations = campagne.reponses.get(fiche_titre="Vaccinations")
    Depense.objects.create(fiche=vaccinations.fiche, annee=2024, montant=Decimal("900.00"), libelle="Facture")
    _answer(vaccinations, coord_reims2, depense=Decimal("1000.00"))

    result = services.close_campaign(campagne, user=coord_reims2, today=datetime.date(2025, 3, 1))

    assert (result.mesures, result.depenses) == (1, 1)
    mesure = Mesure.objects.get(indicateur=udaf_indicateur)
    assert (mesure.annee, mesure.valeur, mesure.source) == (2024, Decimal("38.00"), "Revue annuelle 2024")
    depense = Depense.objects.get(fiche=question.fiche)
    assert (depense.annee, depense.montant) == (2024, Decimal("1250.50"))
    # the plan already had spending for Vaccinations in 2024: kept, and the difference reported
    assert list(Depense.objects.filter(fiche=vaccinations.fiche).values_list("montant", flat=True)) == [
        Decimal("900.00")
    ]
    assert result.kept == [
        f"{vaccinations.fiche_numero} dépenses 2024 : le plan garde 900,00 €, la revue déclarait 1\xa0000,00 €"
    ]
    campagne.refresh_from_db()
    assert campagne.est_close and campagne.close_par == coord_reims2


def test_closing_keeps_a_measure_already_in_the_plan(campagne, porteur_udaf, udaf_indicateur):
    Mesure.objects.create(indicateur=udaf_indicateur, annee=2024, valeur=Decimal("40"), source="Bilan UDAF")
    question = udaf_question(campagne)
    _answer(question, porteur_udaf, valeurs={question.valeurs.get().pk: Decimal("38")})
    result = services.close_campaign(campagne)
    assert result.mesures == 0 and "le plan garde 40,00" in result.kept[0]
    assert Mesure.objects.get(indicateur=udaf_indicateur).source == "Bilan UDAF"


def test_a_closed_campaign_is_immutable(client, campagne, porteur_udaf, coord_reims2):
    question = udaf_question(campagne)
    _answer(question, porteur_udaf)
    services.close_campaign(campagne, user=coord_reims2)
    with pytest.raises(ValidationError, match="close"):
        _answer(question, porteur_udaf, realise="Réécrit après coup")
    with pytest.raises(ValidationError, match="close"):
        services.close_campaign(campagne)
    with pytest.raises(ValidationError, match="close"):
        services.remind(campagne, url="https://x.example/")
    client.force_login(porteur_udaf)
    url = reverse("steering_answer", args=[question.pk])
    page = client.get(url).content.decode()
    assert "Envoyer ma réponse" not in page and "conservée telle qu" in page
    assert client.post(url, ANSWER | {"realise": "Réécrit", "version": question.version + 1}).status_code == 403
    question.refresh_from_db()
    assert question.realise == ANSWER["realise"]


def test_the_review_keeps_what_was_asked_after_the_action_changes(campagne, porteur_udaf, udaf_reims, coord_reims2):
    question = udaf_question(campagne)
    _answer(question, porteur_udaf)
    services.close_campaign(campagne)
    numero, titre = udaf_reims.numero, udaf_reims.titre
    FicheAction.objects.filter(pk=udaf_reims.pk).update(titre="Nouvel intitulé", porteur=None)
    Organisation.objects.filter(pk=question.porteur_id).update(nom="UDAF 51")
    question = ReponseRevue.objects.get(pk=question.pk)
    assert (question.fiche_numero, question.fiche_titre) == (numero, titre)
    assert question.porteur_id == porteur_udaf.organisation_id  # the carrier asked, not the fiche's new one
    assert question.realise == ANSWER["realise"]


def test_only_the_coordination_opens_and_closes(client, demo, plans, coord_reims2, porteur_udaf, lecteur, campagne):
    for user in (porteur_udaf, lecteur):
        client.force_login(user)
        assert client.get(reverse("steering_campaign_open", args=[demo["reims2"].pk])).status_code == 403
        assert client.post(reverse("steering_campaign_close", args=[campagne.pk])).status_code == 403
    client.force_login(coord_reims2)
    response = client.post(reverse("steering_campaign_open", args=[demo["reims2"].pk]), {"annee": "2023"})
    opened = CampagneRevue.objects.get(cls=demo["reims2"], annee=2023)
    assert response.url == reverse("steering_campaign", args=[opened.pk])
    response = client.post(reverse("steering_campaign_close", args=[opened.pk]))
    opened.refresh_from_db()
    assert opened.est_close


def test_campaign_pages_query_count_does_not_grow_with_answers(
    client, campagne, coord_reims2, porteur_udaf, django_assert_max_num_queries
):
    for reponse in campagne.reponses.filter(porteur__isnull=True)[:6]:
        _answer(reponse, coord_reims2)
    client.force_login(coord_reims2)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("steering_campaign", args=[campagne.pk])).status_code == 200
    client.force_login(porteur_udaf)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("steering_my_review")).status_code == 200
