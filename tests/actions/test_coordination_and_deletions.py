"""ARS funding of the coordinator post from the plan page, and deleting lines of a fiche (history kept)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Depense, Etape, FinancementCoordination, Indicateur, Mesure

pytestmark = pytest.mark.django_db

PERSONAS = ["ars_marne", "ars_ardennes", "coord_reims2", "porteur_udaf", "lecteur"]


@pytest.fixture
def persona(request, plans):
    return request.getfixturevalue(request.param)


def _text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").replace("\u202f", " ").split())


def _add(client, cls, **data):
    return client.post(reverse("actions_coordination", args=[cls.pk]), data)


# Coordination funding


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_only_the_ars_in_scope_funds_the_coordination(client, persona, demo, request):
    name = request.node.callspec.params["persona"]
    reims2 = demo["reims2"]
    client.force_login(persona)
    allowed = name == "ars_marne"
    page = _text(client.get(reverse("actions_plan", args=[reims2.pk])))
    assert ("Inscrire un financement de la coordination" in page) == allowed
    response = _add(client, reims2, annee=2024, montant="45000", stade="acquis")
    assert response.status_code == (302 if allowed else 403)
    assert FinancementCoordination.objects.filter(cls=reims2).exists() == allowed
    if not allowed:
        assert "Seule l'ARS" in _text(response)


def test_coordination_lines_and_totals_on_the_plan(client, ars_marne, demo, plans):
    reims2 = demo["reims2"]
    client.force_login(ars_marne)
    assert _add(client, reims2, annee=2023, montant="40000.50", stade="verse").status_code == 302
    response = _add(client, reims2, annee=2024, montant="45000", stade="sollicite")
    assert response.url.endswith("#coordination")
    page = _text(client.get(reverse("actions_plan", args=[reims2.pk])))
    assert "Financement de la coordination enregistré : Coordination 2024 : 45 000,00 € (sollicité)." in page
    assert 'data-testid="total-coordination"><strong>85 000,50</strong>' in page
    assert 'dont acquis ou versé</th><td class="fr-cell--right">40 000,50' in page
    assert "financement ARS de la coordination : 85 000,50 €" in page


def test_a_second_line_for_the_same_year_is_refused_in_french(client, ars_marne, demo, plans):
    reims2 = demo["reims2"]
    client.force_login(ars_marne)
    _add(client, reims2, annee=2024, montant="45000", stade="acquis")
    response = _add(client, reims2, annee=2024, montant="1000", stade="acquis")
    assert response.status_code == 200
    assert "déjà inscrit pour cette année" in _text(response)
    assert FinancementCoordination.objects.get(cls=reims2).montant == Decimal("45000.00")


def test_a_negative_amount_is_refused(client, ars_marne, demo, plans):
    client.force_login(ars_marne)
    response = _add(client, demo["reims2"], annee=2024, montant="-5", stade="acquis")
    assert response.status_code == 200
    assert not FinancementCoordination.objects.exists()


def test_ars_deletes_a_coordination_line_and_history_keeps_it(client, ars_marne, coord_reims2, demo, plans):
    reims2 = demo["reims2"]
    client.force_login(ars_marne)
    _add(client, reims2, annee=2024, montant="45000", stade="acquis")
    line = FinancementCoordination.objects.get(cls=reims2)
    url = reverse("actions_coordination_delete", args=[reims2.pk, line.pk])
    client.force_login(coord_reims2)
    assert client.post(url).status_code == 403
    client.force_login(ars_marne)
    assert client.get(url).status_code == 405  # a deletion is a POST
    response = client.post(url, follow=True)
    assert "Financement de la coordination supprimé : « Coordination 2024 : 45 000,00 € (acquis) »." in _text(response)
    assert not FinancementCoordination.objects.exists()
    deleted = FinancementCoordination.history.get(id=line.pk, history_type="-")
    assert (deleted.history_user, deleted.montant) == (ars_marne, Decimal("45000.00"))


# Deleting lines of a fiche


@pytest.fixture
def lines(udaf_reims, gem):
    """One of each deletable line on the UDAF fiche of Reims CLS 2+ (plus the GEM's funding)."""
    return {
        "funding": gem.financements.first(),
        "spending": Depense.objects.create(fiche=udaf_reims, annee=2024, montant=Decimal("1200.00"), libelle="Frais"),
        "step": Etape.objects.create(fiche=udaf_reims, ordre=1, libelle="Recruter une référente"),
        "indicator": Indicateur.objects.create(fiche=udaf_reims, libelle="Personnes accompagnées"),
    }


def _delete_url(kind, line):
    name = {
        "funding": "actions_fiche_funding_delete",
        "spending": "actions_fiche_spending_delete",
        "step": "actions_fiche_step_delete",
        "indicator": "actions_fiche_indicator_delete",
    }[kind]
    return reverse(name, args=[line.fiche_id, line.pk])


# Funding and indicators belong to the plan (coordination, ARS); spending and steps are progress (carriers too).
DELETERS = {
    "funding": {"ars_marne", "coord_reims2"},
    "indicator": {"ars_marne", "coord_reims2"},
    "spending": {"ars_marne", "coord_reims2", "porteur_udaf"},
    "step": {"ars_marne", "coord_reims2", "porteur_udaf"},
}


@pytest.mark.parametrize("kind", list(DELETERS))
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_deletes_what(client, persona, lines, kind, request):
    name = request.node.callspec.params["persona"]
    line = lines[kind]
    client.force_login(persona)
    response = client.post(_delete_url(kind, line))
    allowed = name in DELETERS[kind]
    assert response.status_code == (302 if allowed else 403)
    assert type(line).objects.filter(pk=line.pk).exists() != allowed


def test_deleting_a_funding_line_updates_totals_and_shows_in_the_history(client, coord_reims2, gem):
    line = gem.financements.get(annee=2022)
    client.force_login(coord_reims2)
    response = client.post(_delete_url("funding", line), follow=True)
    page = _text(response)
    assert "Financement supprimé : « ARS Grand Est 2022 : 41500.00 € »." in page
    assert 'data-testid="total-financement"><strong>184 524,47</strong>' in page
    assert "Financement : ARS Grand Est 2022 : 41500.00 €" in page and "suppression" in page
    record = line.history.model.objects.get(id=line.pk, history_type="-")
    assert record.history_user == coord_reims2


def test_carrier_deletes_its_spending_and_step(client, porteur_udaf, lines, udaf_reims):
    client.force_login(porteur_udaf)
    page = _text(client.post(_delete_url("spending", lines["spending"]), follow=True))
    assert "Dépense supprimée : « 2024 : 1200.00 € »." in page and "Aucune dépense déclarée." in page
    page = _text(client.post(_delete_url("step", lines["step"]), follow=True))
    assert "Étape supprimée : « Recruter une référente »." in page and "Aucune étape." in page
    assert Etape.history.get(id=lines["step"].pk, history_type="-").history_user == porteur_udaf


def test_deleting_an_indicator_deletes_its_measures_and_keeps_their_history(client, coord_reims2, lines):
    indicator = lines["indicator"]
    mesure = Mesure.objects.create(indicateur=indicator, annee=2024, valeur=12)
    client.force_login(coord_reims2)
    page = _text(client.post(_delete_url("indicator", indicator), follow=True))
    assert "Indicateur supprimé : « Personnes accompagnées »." in page
    assert not Mesure.objects.filter(pk=mesure.pk).exists()
    assert Mesure.history.filter(id=mesure.pk, history_type="-").exists()
    assert "Indicateur : Personnes accompagnées" in page


def test_delete_buttons_follow_permissions(client, porteur_udaf, lecteur, lines, udaf_reims):
    url = reverse("actions_fiche", args=[udaf_reims.pk])
    client.force_login(porteur_udaf)
    page = _text(client.get(url))
    assert "la dépense 2024" in page and "l'étape : Recruter une référente" in page
    assert "Supprimer l'indicateur" not in page
    client.force_login(lecteur)
    assert "Supprimer" not in _text(client.get(url))
