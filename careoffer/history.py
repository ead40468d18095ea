"""Who changed a structure or a scheme, when, and which fields: for their pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


def _main_changes(instance, label: str) -> list[Change]:
    model = type(instance)
    changes, previous = [], None
    for record in instance.history.select_related("history_user").order_by("history_date", "history_id"):
        fields = []
        if previous is not None:
            fields = [str(model._meta.get_field(c.field).verbose_name) for c in record.diff_against(previous).changes]
        changes.append(Change(record.history_date, _who(record), label, ACTIONS[record.history_type], fields))
        previous = record
    return changes


def _part_changes(history_manager, label: str, **lookup) -> list[Change]:
    return [
        Change(record.history_date, _who(record), f"{label} : {record}", ACTIONS[record.history_type], [])
        for record in history_manager.filter(**lookup).select_related("history_user")
    ]


def structure_history(structure) -> list[Change]:
    from careoffer.models import ActiviteMmg, Creneau

    changes = _main_changes(structure, "Fiche")
    changes += _part_changes(Creneau.history, "Horaires", structure_id=structure.pk)
    changes += _part_changes(ActiviteMmg.history, "Activité", structure_id=structure.pk)
    return sorted(changes, key=lambda change: change.when, reverse=True)


def dispositif_history(dispositif) -> list[Change]:
    from careoffer.models import AnneeScolaireDispositif, Subvention

    changes = _main_changes(dispositif, "Fiche")
    changes += _part_changes(Subvention.history, "Subvention", dispositif_id=dispositif.pk)
    changes += _part_changes(AnneeScolaireDispositif.history, "Année scolaire", dispositif_id=dispositif.pk)
    return sorted(changes, key=lambda change: change.when, reverse=True)
