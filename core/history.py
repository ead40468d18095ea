"""Who changed what, when: change logs read from django-simple-history, for record pages.

Each app lists which histories make up a record (a CLS and its signatories, a
fiche and its money…); this module turns them into ``Change`` rows with old →
new values, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist

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


def _display_many(model, name: str, rows: list[dict]) -> str:
    """A many-to-many value as recorded by simple_history: rows of the through table."""
    related = model._meta.get_field(name).related_model
    source = model._meta.model_name
    ids = [value for row in rows for key, value in row.items() if key not in {source, "id"}]
    names = sorted(str(obj) for obj in related.objects.filter(pk__in=ids))
    return ", ".join(names) or "aucun"


def _describe(model, record) -> str:
    """The object as its model names it, read from the historical row itself.

    A historical row has the same fields as the object, and the relations the
    caller asked to ``select_related``: most ``__str__`` work on it unchanged,
    without a query per row. Others fall back on the rebuilt instance.
    """
    try:
        try:
            return model.__str__(record)
        except AttributeError:  # the name uses a property only the model has
            return str(record.instance)
    except ObjectDoesNotExist:  # a deleted row whose related rows are gone too
        return f"n° {record.id}"


def changes_of(model, records, label: str, *, name_each: bool = False, related: tuple[str, ...] = ()) -> list[Change]:
    """Changes recorded in ``records`` (historical rows of ``model``), one per version.

    Versions of one object are compared in order to list "field : old → new";
    a version that changed nothing visible is left out. With ``name_each``, the
    object is named after ``label`` (for the parts of a record: "Signataire : CAF");
    ``related`` lists the relations its name needs, loaded with the rows.
    """
    by_object: dict[int, list] = {}
    for record in records.select_related("history_user", *related).order_by("history_date", "history_id"):
        by_object.setdefault(record.id, []).append(record)
    changes = []
    for versions in by_object.values():
        previous = None
        for record in versions:
            details = []
            if previous is not None:
                for diff in record.diff_against(previous).changes:
                    name = model._meta.get_field(diff.field).verbose_name
                    show = _display_many if isinstance(diff.new, list) else _display
                    details.append(
                        f"{name} : {show(model, diff.field, diff.old)} → {show(model, diff.field, diff.new)}"
                    )
            previous = record
            if record.history_type == "~" and not details:
                continue
            what = f"{label} : {_describe(model, record)}" if name_each else label
            changes.append(Change(record.history_date, _who(record), what, ACTIONS[record.history_type], details))
    return changes


def newest_first(changes: list[Change], limit: int | None = None) -> list[Change]:
    return sorted(changes, key=lambda change: change.when, reverse=True)[:limit]
