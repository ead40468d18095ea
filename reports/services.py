"""Writes and permission predicates of the reports app: the ARS's « point de situation » of a CLS."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse

from contracts.models import Cls
from core.concurrency import save_if_current
from core.models import Role
from reports.perms import can_get_contract_document


def can_edit_point_de_situation(user, cls: Cls) -> bool:
    """The ARS in charge of the CLS (its department, or its region) writes the point de situation."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role == Role.ARS and cls.can_edit(user)


@transaction.atomic
def save_point_de_situation(cls: Cls, *, texte: str, date: datetime.date | None, read_version: int) -> Cls:
    """Record the text and its date; refused (StaleVersionError) if the CLS changed meanwhile."""
    cls.point_de_situation = texte.strip()
    cls.point_de_situation_date = date
    cls.full_clean()
    save_if_current(cls, read_version=read_version)
    return cls


def cls_section_context(cls: Cls, user) -> dict:
    """What the CLS page shows: the point de situation and the links to the contract document."""
    return {
        "cls": cls,
        "can_edit": can_edit_point_de_situation(user, cls),
        "can_get_contract": can_get_contract_document(user, cls),
        "departement_url": reverse("reports_departement", args=[cls.departement.code]),
    }
