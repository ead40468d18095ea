"""Who changed what, when: the change log of a CLS and its parts, for its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist

from contracts.models import Avenant, Axe, Cls, PerimetreElement, Signataire

ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    action: str
    fields: list[str]


def _who(record) -> str:
    return str(record.history_user) if record.history_user else "import ou commande"


def cls_history(cls: Cls) -> list[Change]:
    """Changes to the CLS and its parts, newest first."""
    changes = []
    records = list(cls.history.select_related("history_user").order_by("history_date"))
    previous = None
    for record in records:
        fields = []
        if previous is not None:
            fields = [
                str(Cls._meta.get_field(change.field).verbose_name) for change in record.diff_against(previous).changes
            ]
        changes.append(Change(record.history_date, _who(record), "Contrat", ACTIONS[record.history_type], fields))
        previous = record
    for model, label in (
        (Signataire, "Signataire"),
        (Axe, "Axe"),
        (Avenant, "Avenant"),
        (PerimetreElement, "Périmètre"),
    ):
        for record in model.history.filter(cls_id=cls.pk).select_related("history_user"):
            changes.append(
                Change(
                    record.history_date,
                    _who(record),
                    f"{label} : {_describe(record)}",
                    ACTIONS[record.history_type],
                    [],
                )
            )
    return sorted(changes, key=lambda change: change.when, reverse=True)


def _describe(record) -> str:
    try:
        return str(record.instance)
    except ObjectDoesNotExist:  # a deleted row whose related objects are gone
        return f"n° {record.id}"
