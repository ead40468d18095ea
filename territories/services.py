"""Writes on territories kept by the ARS (groupings), each in one transaction."""

from __future__ import annotations

from django.db import transaction

from core.concurrency import save_if_current
from territories.models import Commune, Epci, Groupement
from territories.signals import groupement_changed


@transaction.atomic
def save_groupement(
    groupement: Groupement, *, epcis: list[Epci], communes: list[Commune], read_version: int | None = None
) -> Groupement:
    """Save a grouping and its members if nobody saved it meanwhile; the records built on it follow."""
    groupement.full_clean()
    if groupement.pk is None:
        groupement.save()
    else:
        save_if_current(groupement, read_version=read_version if read_version is not None else groupement.version)
    groupement.epcis.set(epcis)
    groupement.communes.set(communes)
    groupement_changed.send(sender=Groupement, groupement=groupement)
    return groupement
