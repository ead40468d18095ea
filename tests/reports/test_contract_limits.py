"""The contract document: for the people who may edit the CLS, and refused past a plan size."""

import html

import pytest
from django.urls import reverse

from reports import contrat
from reports.documents import DOCX_TYPE, PDF_TYPE
from tests.factories import ClsFactory, DepartementFactory, FicheActionFactory, UserFactory

pytestmark = pytest.mark.django_db

URLS = ["reports_contract", "reports_contract_docx", "reports_contract_pdf"]


@pytest.fixture
def plan():
    coordination = UserFactory(coordinateur=True)
    cls = ClsFactory(coordinateurs=[coordination], in_force=True)
    axe = FicheActionFactory(axe__cls=cls).axe
    FicheActionFactory.create_batch(2, axe=axe)
    return cls, coordination


def personas(cls, coordination):
    other_cls = ClsFactory()
    other = UserFactory(coordinateur=True)
    other_cls.coordinateurs.add(other)
    return {
        "coordination of the CLS": (coordination, True),
        "ARS of its department": (UserFactory(ars=True, departement=cls.departement), True),
        "ARS of another department": (UserFactory(ars=True, departement=DepartementFactory(code="08")), False),
        "coordination of another CLS": (other, False),
        "reader": (UserFactory(), False),
    }


def test_only_the_editors_of_the_cls_get_its_contract_document(client, plan):
    cls, coordination = plan
    for persona, (user, allowed) in personas(cls, coordination).items():
        client.force_login(user)
        for name in URLS:
            status = client.get(reverse(name, args=[cls.pk])).status_code
            assert status == (200 if allowed else 403), (persona, name, status)
        page = client.get(reverse("cls_detail", args=[cls.pk])).content.decode()
        assert (reverse("reports_contract_pdf", args=[cls.pk]) in page) is allowed, persona


def test_the_editor_downloads_both_files(client, plan):
    cls, coordination = plan
    client.force_login(coordination)
    for name, content_type in (("reports_contract_docx", DOCX_TYPE), ("reports_contract_pdf", PDF_TYPE)):
        response = client.get(reverse(name, args=[cls.pk]))
        assert response["Content-Type"] == content_type
        assert (
            response["Content-Disposition"] == f'attachment; filename="contrat-cls-{cls.pk}.{name.rsplit("_", 1)[1]}"'
        )


def test_a_plan_over_the_cap_gets_a_french_explanation_instead_of_the_document(client, plan, monkeypatch):
    monkeypatch.setattr(contrat, "CONTRACT_MAX_FICHES", 2)
    cls, coordination = plan
    client.force_login(coordination)
    for name in ("reports_contract_docx", "reports_contract_pdf"):
        response = client.get(reverse(name, args=[cls.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("reports_contract", args=[cls.pk])
    page = html.unescape(client.get(reverse("reports_contract", args=[cls.pk])).content.decode())
    assert "Ce plan compte 3 fiches actions\u202f: le document du contrat, qui les annexe toutes, " in page
    assert "n’est produit que jusqu’à 2 fiches." in page
    assert reverse("actions_export_xlsx", args=[cls.pk]) in page
    assert reverse("reports_contract_pdf", args=[cls.pk]) not in page
