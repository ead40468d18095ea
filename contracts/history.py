"""The change log of a CLS and its parts, for its page."""

from __future__ import annotations

from contracts.models import Avenant, Axe, Cls, PerimetreElement, Signataire
from core.history import Change, changes_of, newest_first

PARTS = (
    (Signataire, "Signataire", ("organisation",)),
    (Axe, "Axe", ()),
    (Avenant, "Avenant", ()),
    (PerimetreElement, "Périmètre", ("commune", "epci", "groupement")),
)


def cls_history(cls: Cls, limit: int = 30) -> list[Change]:
    """Changes to the CLS and its parts, newest first, with old → new values."""
    changes = changes_of(Cls, cls.history.all(), "Contrat")
    for model, label, related in PARTS:
        changes += changes_of(model, model.history.filter(cls_id=cls.pk), label, name_each=True, related=related)
    return newest_first(changes, limit)
