from django.conf import settings


def test_login_page_is_french_dsfr(client, db):
    page = client.get("/connexion/").content.decode()
    assert '<html lang="fr"' in page
    assert "<title>Connexion — SantéLoc</title>" in page
    assert "fr-header" in page and "fr-footer" in page


def test_wrong_password_is_explained_in_french(client, lecteur):
    response = client.post("/connexion/", {"username": "lecteur.simple", "password": "faux"})
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_home_opens_the_grand_est_region(client, db):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/regions/44/"
    assert "Contrats locaux de santé en Grand Est" in response.content.decode()


def test_unknown_page_is_a_french_404(client, db):
    response = client.get("/departements/00/")
    assert response.status_code == 404


def test_admin_is_for_superusers_only(client, demo, lecteur):
    from core.models import User

    admin = f"/{settings.ADMIN_URL}"
    client.force_login(lecteur)
    assert client.get(f"{admin}contracts/cls/").status_code == 302
    client.force_login(User.objects.get(username="admin"))
    for url in ("contracts/cls/", "core/user/", "territories/commune/?q=Reims"):
        assert client.get(admin + url).status_code == 200, url
