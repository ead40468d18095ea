"""The yearly review answered by a carrier; minutes attached then removed (see tests/browser/conftest.py)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from actions.models import Indicateur
from core.models import User
from demo.actions import load_actions_demo
from demo.steering import load_steering_demo
from steering import services
from steering.models import ReponseRevue
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_carrier_answers_the_review_and_the_coordination_sees_it(page, live_demo):
    fiches = load_actions_demo(live_demo)
    udaf_reims = fiches["reims2:Accès personnalisé à la santé"]
    Indicateur.objects.create(fiche=udaf_reims, libelle="Personnes accompagnées", unite="personnes", cible=80)
    today = datetime.date.today()
    campagne = services.open_campaign(
        cls=live_demo["reims2"],
        annee=today.year - 1,
        user=User.objects.get(username="coord.reims"),
        date_limite=today + datetime.timedelta(days=30),
    )

    page.goto("/ma-revue/")
    expect(page).to_have_url(re.compile(r"/connexion/"))
    assert_accessible(page)
    log_in(page, "porteur.udaf")
    expect(page).to_have_url(re.compile(r"/ma-revue/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma revue annuelle")
    table = page.get_by_role("table", name=re.compile("Questions des campagnes ouvertes"))
    expect(table.get_by_role("row")).to_have_count(2)  # header + the UDAF action of Reims CLS 2+
    expect(table).not_to_contain_text("Vaccinations")  # other actions are not the carrier's
    assert_accessible(page)

    table.get_by_role("link", name="Accès personnalisé à la santé").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Revue {campagne.annee}")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer ma réponse").click()  # empty: refused with clear messages
    expect(page.get_by_text("Indiquez la suite que vous proposez.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("État de l'action à la fin de l'année").select_option(label="En cours")
    page.get_by_label("Ce qui a été fait dans l'année").fill("Permanences d'accompagnement au CCAS, deux par mois.")
    page.get_by_label("Nombre de personnes touchées").fill("42")
    page.get_by_label("Indicateur : Personnes accompagnées (personnes)").fill("38")
    page.get_by_label("Dépenses de l'année (€)").fill("1250.50")
    page.get_by_text("Poursuivre en l'adaptant").click()
    page.get_by_role("button", name="Envoyer ma réponse").click()

    expect(page).to_have_url(re.compile(r"/ma-revue/$"))
    expect(page.get_by_text("est enregistrée")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Questions des campagnes ouvertes"))).to_contain_text("Répondu")
    assert_accessible(page)
    reponse = ReponseRevue.objects.get(campagne=campagne, fiche=udaf_reims)
    assert reponse.public_atteint == 42 and reponse.repondu_par.username == "porteur.udaf"
    assert str(reponse.valeurs.get().valeur) == "38.00"

    page.context.clear_cookies()  # another person, on another computer
    page.goto(f"/revues/{campagne.pk}/")
    assert_accessible(page)
    log_in(page, "coord.reims")
    expect(page).to_have_url(re.compile(rf"/revues/{campagne.pk}/$"))
    expect(page.get_by_test_id("avancement")).to_have_text(re.compile(r"^1 réponse sur 14"))
    row = page.get_by_test_id("table-reponses").get_by_role("row").filter(has_text="Accès personnalisé à la santé")
    expect(row).to_contain_text("Répondu")
    expect(row).to_contain_text("Poursuivre en l'adaptant")
    assert_accessible(page)


def test_coordination_attaches_minutes_to_a_copil_meeting(page, live_demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_actions_demo(live_demo)
    load_steering_demo(live_demo)
    chalons1 = live_demo["chalons1"]
    minutes = tmp_path / "compte-rendu-copil.pdf"
    minutes.write_bytes(b"%PDF-1.4\n%%EOF\n")

    page.goto(f"/cls/{chalons1.pk}/")
    assert_accessible(page)
    log_in(page, "coord.chalons")
    expect(page).to_have_url(re.compile(rf"/cls/{chalons1.pk}/$"))
    expect(page.get_by_test_id("prochaine-reunion")).to_have_count(0)  # CLS 1 has ended: no meeting to come
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Gouvernance, réunions et revues")).click()
    expect(page.get_by_role("heading", level=3, name=re.compile("Comité de pilotage"))).to_contain_text(
        "Exemple illustratif"
    )
    assert_accessible(page)

    page.get_by_role("table", name="Réunions passées").get_by_role("link", name="13/06/2023").click()
    expect(page.get_by_role("table", name=re.compile("Décisions"))).to_contain_text("bilan chiffré des dépistages")
    assert_accessible(page)
    page.get_by_role("link", name="Joindre un fichier").click()
    assert_accessible(page)
    page.get_by_label("Fichier du compte rendu").set_input_files(str(minutes))
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page.get_by_text("Le fichier a été joint au compte rendu.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^compte-rendu-copil\.pdf"))).to_be_visible()
    assert_accessible(page)
    [stored] = (tmp_path / "media").rglob("*.pdf")

    page.get_by_role("link", name="Supprimer le fichier « compte-rendu-copil.pdf »").click()  # the wrong file
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer le fichier « compte-rendu-copil.pdf »")
    assert_accessible(page)
    page.get_by_role("button", name="Supprimer").click()
    expect(page.get_by_text("Le fichier « compte-rendu-copil.pdf » a été supprimé.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"compte-rendu-copil\.pdf"))).to_have_count(0)
    assert_accessible(page)
    assert not stored.exists()

    page.goto("/reunions/a-venir/")
    expect(page.get_by_role("table", name="Réunions à venir")).to_contain_text("agglomération de Châlons")
    assert_accessible(page)
