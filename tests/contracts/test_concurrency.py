"""Two people editing the axes, signatories or avenants of one CLS: the later stale post is refused (issue 11, 6)."""

import datetime

import pytest

from contracts import services
from contracts.models import Avenant, Axe, Organisation, Signataire
from tests.factories import ClsFactory, OrganisationFactory, UserFactory


@pytest.fixture
def cls(marne):
    return ClsFactory(departement=marne, porteur_commune__departement=marne, in_force=True)


@pytest.fixture
def coordinator(cls):
    user = UserFactory(coordinateur=True)
    cls.coordinateurs.add(user)
    return user


@pytest.fixture
def colleague(cls):
    user = UserFactory(coordinateur=True)
    cls.coordinateurs.add(user)
    return user


def axes_data(axes: list[Axe], **changes) -> dict:
    """The axes form as read now, with ``changes`` keyed ``"<index>-<field>"``."""
    data = {
        "axes-TOTAL_FORMS": str(len(axes)),
        "axes-INITIAL_FORMS": str(len(axes)),
        "axes-MIN_NUM_FORMS": "0",
        "axes-MAX_NUM_FORMS": "1000",
    }
    for index, axe in enumerate(axes):
        data |= {
            f"axes-{index}-id": axe.pk,
            f"axes-{index}-cls": axe.cls_id,
            f"axes-{index}-type": axe.type,
            f"axes-{index}-numero": axe.numero,
            f"axes-{index}-intitule": axe.intitule,
            f"axes-{index}-version": axe.version,
        }
    return data | {f"axes-{key}": value for key, value in changes.items()}


def test_stale_axes_post_is_refused_and_does_not_overwrite(client, cls, coordinator, colleague):
    axes = [Axe.objects.create(cls=cls, numero=1, intitule="Santé mentale")]
    stale = axes_data(axes, **{"0-intitule": "Santé mentale des jeunes"})
    client.force_login(colleague)
    response = client.post(f"/cls/{cls.pk}/axes/", axes_data(axes, **{"0-intitule": "Santé mentale et addictions"}))
    assert response.status_code == 302
    client.force_login(coordinator)
    response = client.post(f"/cls/{cls.pk}/axes/", stale)
    assert response.status_code == 200
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    assert Axe.objects.get(pk=axes[0].pk).intitule == "Santé mentale et addictions"


def test_stale_axes_post_does_not_delete_an_axis_changed_meanwhile(client, cls, coordinator, colleague):
    axes = [Axe.objects.create(cls=cls, numero=1, intitule="Santé mentale")]
    stale = axes_data(axes, **{"0-DELETE": "on"})
    client.force_login(colleague)
    client.post(f"/cls/{cls.pk}/axes/", axes_data(axes, **{"0-intitule": "Santé mentale et addictions"}))
    client.force_login(coordinator)
    response = client.post(f"/cls/{cls.pk}/axes/", stale)
    assert response.status_code == 200
    assert "Rien n’a été retiré" in response.content.decode()
    assert Axe.objects.filter(pk=axes[0].pk).exists()


def test_axes_form_read_again_after_a_refusal_saves(client, cls, coordinator, colleague):
    axes = [Axe.objects.create(cls=cls, numero=1, intitule="Santé mentale")]
    client.force_login(colleague)
    client.post(f"/cls/{cls.pk}/axes/", axes_data(axes, **{"0-intitule": "Santé mentale et addictions"}))
    client.force_login(coordinator)
    reread = list(cls.axes.all())
    response = client.post(f"/cls/{cls.pk}/axes/", axes_data(reread, **{"0-intitule": "Santé mentale des jeunes"}))
    assert response.status_code == 302
    axe = Axe.objects.get(pk=axes[0].pk)
    assert (axe.intitule, axe.version) == ("Santé mentale des jeunes", 3)


def test_stale_signatory_removal_is_refused(client, cls, coordinator):
    organisation = OrganisationFactory(nom="CPAM de la Marne")
    signataire = services.add_signataire(cls, organisation=organisation)
    read_version = signataire.version
    # Meanwhile an avenant takes the signatory over.
    services.add_avenant(cls, objet="Entrée de la CPAM", signataires_ajoutes=[organisation])
    client.force_login(coordinator)
    response = client.post(
        f"/cls/{cls.pk}/signataires/{signataire.pk}/retirer/", {"version": read_version}, follow=True
    )
    assert "modifié ou retiré par quelqu’un d’autre" in response.content.decode()
    assert Signataire.objects.filter(pk=signataire.pk).exists()


def test_current_signatory_removal_goes_through(client, cls, coordinator):
    signataire = services.add_signataire(cls, organisation=OrganisationFactory())
    client.force_login(coordinator)
    client.post(f"/cls/{cls.pk}/signataires/{signataire.pk}/retirer/", {"version": signataire.version})
    assert not Signataire.objects.filter(pk=signataire.pk).exists()


def avenant_data(avenant: Avenant, **changes) -> dict:
    data = {
        "objet": avenant.objet,
        "date_signature": avenant.date_signature.isoformat() if avenant.date_signature else "",
        "nouvelle_date_fin": avenant.nouvelle_date_fin.isoformat() if avenant.nouvelle_date_fin else "",
        "version": avenant.version,
    }
    return data | changes


def test_avenant_is_corrected_and_the_end_date_follows(client, cls, coordinator):
    avenant = services.add_avenant(cls, objet="Prolongation", nouvelle_date_fin=datetime.date(2030, 12, 31))
    client.force_login(coordinator)
    assert f"/cls/{cls.pk}/avenants/{avenant.pk}/modifier/" in client.get(f"/cls/{cls.pk}/").content.decode()
    url = f"/cls/{cls.pk}/avenants/{avenant.pk}/modifier/"
    response = client.post(url, avenant_data(avenant, nouvelle_date_fin="2031-06-30"))
    assert response.status_code == 302
    cls.refresh_from_db()
    assert cls.date_fin_effective == datetime.date(2031, 6, 30)


def test_stale_avenant_post_is_refused_and_does_not_overwrite(client, cls, coordinator, colleague):
    avenant = services.add_avenant(cls, objet="Prolongation", nouvelle_date_fin=datetime.date(2030, 12, 31))
    url = f"/cls/{cls.pk}/avenants/{avenant.pk}/modifier/"
    stale = avenant_data(avenant, objet="Prolongation de dix-huit mois", nouvelle_date_fin="2031-06-30")
    client.force_login(colleague)
    assert client.post(url, avenant_data(avenant, objet="Prolongation d’un an")).status_code == 302
    client.force_login(coordinator)
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    avenant.refresh_from_db()
    assert (avenant.objet, avenant.nouvelle_date_fin) == ("Prolongation d’un an", datetime.date(2030, 12, 31))


def test_another_cls_avenant_is_not_reachable(client, cls, coordinator, marne):
    other = ClsFactory(departement=marne, porteur_commune__departement=marne, in_force=True)
    avenant = services.add_avenant(other, objet="Prolongation")
    client.force_login(coordinator)
    assert client.get(f"/cls/{cls.pk}/avenants/{avenant.pk}/modifier/").status_code == 404


def organisation_data(organisation, **changes) -> dict:
    data = {"nom": organisation.nom, "type": organisation.type, "siren": organisation.siren}
    return data | {"version": organisation.version} | changes


@pytest.fixture
def ars(marne):
    return UserFactory(ars=True, departement=marne)


def test_stale_organisation_post_is_refused_and_does_not_overwrite(client, cls, ars):
    organisation = OrganisationFactory(nom="CPAM Marne")
    services.add_signataire(cls, organisation=organisation)
    url = f"/cls/{cls.pk}/signataires/organisations/{organisation.pk}/modifier/"
    client.force_login(ars)
    assert url in client.get(f"/cls/{cls.pk}/signataires/").content.decode()
    stale = organisation_data(organisation, nom="CPAM de Châlons")
    assert client.post(url, organisation_data(organisation, nom="CPAM de la Marne")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    assert Organisation.objects.get(pk=organisation.pk).nom == "CPAM de la Marne"


def test_coordinator_cannot_rename_a_shared_organisation(client, cls, coordinator):
    organisation = OrganisationFactory(nom="CPAM Marne")
    client.force_login(coordinator)
    url = f"/cls/{cls.pk}/signataires/organisations/{organisation.pk}/modifier/"
    assert client.post(url, organisation_data(organisation, nom="Autre")).status_code == 403
    assert Organisation.objects.get(pk=organisation.pk).nom == "CPAM Marne"
