"""Nothing private reaches the public pages, the flyers or the open data."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Depense, FicheAction, Financement, NoteSuivi
from contracts.models import Cls, Organisation
from core.models import Role
from public.fields import DATASETS
from steering.models import CampagneRevue, Instance, Membre, ReponseRevue, Reunion
from tests.conftest import make_user
from tests.pdf import pdf_text

SECRETS = {
    "membre e-mail": "claire.membre@mairie-privee.fr",
    "membre name": "Claire Confidentielle",
    "meeting minutes": "Compte rendu confidentiel du COPIL",
    "agenda": "Ordre du jour interne",
    "review answer": "Réponse de revue confidentielle",
    "review difficulties": "Difficultés internes signalées",
    "user e-mail": "jean.agent@ars-prive.fr",
    "user name": "Jean Coordinateurprivé",
    "funding amount": "98765.43",
    "funding amount (fr)": "98 765,43",
    "funding amount (fr, nbsp)": "98\u202f765,43",
    "spending label": "Dépense confidentielle",
    "spending amount": "45678.91",
    "follow-up note": "Note de suivi interne",
    "observations": "Observation interne à l'ARS",
    "point de situation": "Point de situation réservé au rapport",
    "GEM subsidy (demo)": "94188.23",
    "GEM subsidy (demo, fr)": "94 188,23",
}


@pytest.fixture
def private_content(full_demo):
    reims = full_demo["reims3"]
    fiche = FicheAction.objects.filter(cls=reims).first() or FicheAction.objects.first()
    user = make_user("jean.agent", role=Role.COORDINATEUR, email=SECRETS["user e-mail"])
    user.first_name, user.last_name = "Jean", "Coordinateurprivé"
    user.save()
    reims.coordinateurs.add(user)
    Cls.objects.filter(pk=reims.pk).update(
        observations=SECRETS["observations"], point_de_situation=SECRETS["point de situation"]
    )
    copil = Instance.objects.create(cls=reims, type="copil", nom="COPIL du CLS de Reims")
    Membre.objects.create(instance_gouvernance=copil, nom=SECRETS["membre name"], email=SECRETS["membre e-mail"])
    Reunion.objects.create(
        instance_gouvernance=copil,
        date=datetime.date(2024, 3, 1),
        compte_rendu=SECRETS["meeting minutes"],
        ordre_du_jour=SECRETS["agenda"],
    )
    campagne = CampagneRevue.objects.create(cls=reims, annee=2024, ouverte_le=datetime.date(2025, 1, 10))
    ReponseRevue.objects.create(
        campagne=campagne,
        fiche=fiche,
        fiche_numero=fiche.numero,
        fiche_titre=fiche.titre,
        realise=SECRETS["review answer"],
        difficultes=SECRETS["review difficulties"],
        depense=Decimal("12345.67"),
    )
    ars = Organisation.objects.get(nom="ARS Grand Est")
    Financement.objects.create(fiche=fiche, financeur=ars, annee=2024, montant=Decimal("98765.43"))
    Depense.objects.create(fiche=fiche, annee=2024, montant=Decimal("45678.91"), libelle=SECRETS["spending label"])
    NoteSuivi.objects.create(fiche=fiche, date=datetime.date(2024, 5, 1), texte=SECRETS["follow-up note"])
    return full_demo


def public_documents(client) -> dict[str, str]:
    """Every public page and file, as text (the flyers read with pypdf)."""
    urls = ["/public/regions/44/", "/public/regions/44/carte.geojson", "/public/donnees/"]
    urls += ["/public/donnees/perimetres.geojson"]
    for slug in DATASETS:
        urls += [f"/public/donnees/{slug}.csv", f"/public/donnees/{slug}.json", f"/public/donnees/{slug}.schema.json"]
    for pk in Cls.objects.values_list("pk", flat=True):
        urls += [reverse("public_cls", args=[pk]), reverse("public_cls_map", args=[pk])]
    documents = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        documents[url] = response.getvalue().decode()  # pages, and streamed open-data files
    for pk in Cls.objects.values_list("pk", flat=True):
        url = reverse("public_cls_flyer", args=[pk])
        documents[url] = pdf_text(client.get(url).content)
    return documents


def test_nothing_private_leaks_to_public_pages_flyers_or_open_data(client, private_content):
    documents = public_documents(client)
    leaks = [
        f"{what} in {url}"
        for url, text in documents.items()
        for what, secret in SECRETS.items()
        if secret in text.replace("\xa0", " ").replace("&#x27;", "'")
    ]
    assert leaks == []
    # The same pages do show the public content (the check above is not vacuous).
    reims_page = documents[reverse("public_cls", args=[private_content["reims2"].pk])]
    assert "Accès personnalisé à la santé" in reims_page and "CCAS de Reims" in reims_page
    assert any("GEM" in text for url, text in documents.items() if url.endswith("actions.json"))
