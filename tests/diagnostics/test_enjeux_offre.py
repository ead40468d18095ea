"""The issues and the actions answering them; coordinated-care figures derived from the care-offer registry."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Etat, FicheAction
from careoffer.models import Structure, TypeStructure
from demo.careoffer import load_care_offer_demo
from diagnostics.models import Enjeu, Theme
from diagnostics.queries import care_offer
from territories.models import Commune, Departement

pytestmark = pytest.mark.django_db

D = datetime.date


def _enjeux_and_actions(cls, n_actions):
    answered = Enjeu.objects.create(cls=cls, titre="Accès aux médecins généralistes", theme=Theme.ACCES_SOINS)
    Enjeu.objects.create(cls=cls, titre="Qualité de l'eau potable", theme=Theme.ENVIRONNEMENT, priorite=1)
    fiches = []
    for rank in range(1, n_actions + 1):
        fiche = FicheAction.objects.create(cls=cls, rang=rank, titre=f"Valoriser l'exercice coordonné {rank}")
        fiche.etat = Etat.EN_COURS
        fiche.save()
        fiche.enjeux.add(answered)
        fiches.append(fiche)
    return answered, fiches


def test_each_issue_lists_the_actions_answering_it_and_unanswered_issues_are_named(client, lecteur, demo):
    cls = demo["vitry"]
    _answered, fiches = _enjeux_and_actions(cls, 2)
    client.force_login(lecteur)
    page = client.get(f"/cls/{cls.pk}/diagnostic/").content.decode()
    for fiche in fiches:
        assert f'href="/actions/{fiche.pk}/"' in page
        assert f"{fiche.numero} Valoriser l&#x27;exercice coordonné" in page
    assert "(en cours)" in page
    unanswered = page.split('data-testid="enjeux-sans-action"')[1].split("</ul>")[0]
    assert "Qualité de l&#x27;eau potable" in unanswered
    assert "Accès aux médecins généralistes" not in unanswered
    FicheAction.objects.get(pk=fiches[0].pk).enjeux.add(Enjeu.objects.get(titre="Qualité de l'eau potable"))
    page = client.get(f"/cls/{cls.pk}/diagnostic/").content.decode()
    assert "Chaque enjeu a au moins une action du plan qui y répond." in page


def test_issue_query_count_does_not_grow_with_actions(client, lecteur, demo):
    client.force_login(lecteur)
    counts = []
    for name, n in (("vitry", 1), ("argonne", 8)):
        _enjeux_and_actions(demo[name], n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cls/{demo[name].pk}/diagnostic/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_coordinated_care_figures_by_hand_on_the_demo(demo, marne):
    load_care_offer_demo()
    Departement.objects.create(code="08", nom="Ardennes", region=marne.region)  # no structure recorded there
    chalons = Commune.objects.get(code="51108")
    reims = Commune.objects.get(code="51454")
    marne_population = sum(Commune.objects.filter(departement__code="51").values_list("population", flat=True))
    # The MMG of Châlons opened on 5 September 2023; the other demo structures are projects.
    offer = care_offer(demo["chalons1"], D(2024, 1, 1))
    perimetre, marne, region, france = offer.densite
    assert perimetre.structures == 1 and perimetre.value == pytest.approx(10_000 / chalons.population)
    assert marne.structures == 1 and marne.value == pytest.approx(10_000 / marne_population)
    assert region.value is None and france.value is None  # the care offer is recorded for the Marne only
    assert [f.value for f in offer.part_cpts[:2]] == [0.0, 0.0]  # the CPTS of Reims is still a project
    assert offer.departements_renseignes == ["Marne (51)"]
    before = care_offer(demo["chalons1"], D(2023, 9, 4))
    assert before.densite[0].value == 0.0 and before.densite[0].structures == 0

    Structure.objects.filter(type=TypeStructure.CPTS, nom="CPTS de Reims").update(date_ouverture=D(2024, 3, 1))
    offer = care_offer(demo["reims3"], D(2024, 6, 1))
    assert offer.part_cpts[0].value == pytest.approx(100.0)
    assert offer.part_cpts[1].value == pytest.approx(reims.population / marne_population * 100)
    assert offer.densite[0].value == pytest.approx(10_000 / reims.population)  # the CPTS counted at its seat
    assert offer.densite[1].structures == 2


def test_care_offer_is_not_shown_as_zero_where_nothing_is_recorded(client, lecteur, demo):
    client.force_login(lecteur)
    page = client.get(f"/cls/{demo['vitry'].pk}/diagnostic/").content.decode()
    table = page.split('data-testid="offre-coordonnee"')[1].split("</table>")[0]
    assert table.count("non renseigné") == 8 and "0,00" not in table
    assert "Aucune structure n'est encore enregistrée." in page
