"""Who changed what on a fiche action: the fiche, its money, steps, notes and indicators."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from actions.models import Depense, Etape, FicheAction, Financement, Indicateur, Mesure, NoteSuivi

ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    action: str
    details: list[str] = field(default_factory=list)


def _who(record) -> str:
    return str(record.history_user) if record.history_user else "import ou commande"


def _display(model, name: str, value) -> str:
    if value in (None, ""):
        return "vide"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"n° {value}"
    return str(value)


def _diffs(model, records) -> list[tuple]:
    out, previous = [], None
    for record in records:
        details = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if isinstance(change.new, list):  # many-to-many: not tracked value by value
                    continue
                label = model._meta.get_field(change.field).verbose_name
                old, new = _display(model, change.field, change.old), _display(model, change.field, change.new)
                details.append(f"{label} : {old} → {new}")
        out.append((record, details))
        previous = record
    return out


def fiche_history(fiche: FicheAction, limit: int = 50) -> list[Change]:
    """Changes to the fiche and its parts, newest first, with old → new values."""
    changes = []
    records = fiche.history.select_related("history_user").order_by("history_date", "history_id")
    for record, details in _diffs(FicheAction, records):
        if record.history_type == "~" and not details:
            continue
        changes.append(Change(record.history_date, _who(record), "Fiche", ACTIONS[record.history_type], details))
    parts = (
        (Financement, "Financement", {"fiche_id": fiche.pk}),
        (Depense, "Dépense", {"fiche_id": fiche.pk}),
        (Etape, "Étape", {"fiche_id": fiche.pk}),
        (NoteSuivi, "Note", {"fiche_id": fiche.pk}),
        (Indicateur, "Indicateur", {"fiche_id": fiche.pk}),
        (Mesure, "Mesure", {"indicateur__fiche_id": fiche.pk}),
    )
    for model, label, filters in parts:
        if model is Mesure:
            indicator_ids = list(Indicateur.history.filter(fiche_id=fiche.pk).values_list("id", flat=True))
            filters = {"indicateur_id__in": set(indicator_ids)}
        records = model.history.filter(**filters).select_related("history_user").order_by("id", "history_date")
        by_object: dict[int, list] = {}
        for record in records:
            by_object.setdefault(record.id, []).append(record)
        for object_records in by_object.values():
            for record, details in _diffs(model, object_records):
                changes.append(
                    Change(
                        record.history_date,
                        _who(record),
                        f"{label} : {_describe(record)}",
                        ACTIONS[record.history_type],
                        details,
                    )
                )
    return sorted(changes, key=lambda change: change.when, reverse=True)[:limit]


def _describe(record) -> str:
    try:
        return str(record.instance)
    except Exception:
        return f"n° {record.id}"
