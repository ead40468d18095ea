"""Who changed what on a fiche action: the fiche, its money, steps, notes and indicators."""

from __future__ import annotations

from actions.models import Depense, Etape, FicheAction, Financement, Indicateur, Mesure, NoteSuivi
from core.history import Change, changes_of, newest_first


def fiche_history(fiche: FicheAction, limit: int = 50) -> list[Change]:
    """Changes to the fiche and its parts, newest first, with old → new values."""
    changes = changes_of(FicheAction, fiche.history.all(), "Fiche")
    for model, label, related in (
        (Financement, "Financement", ("financeur",)),  # its name shows the funder
        (Depense, "Dépense", ()),
        (Etape, "Étape", ()),
        (NoteSuivi, "Note", ()),
        (Indicateur, "Indicateur", ()),
    ):
        history = model.history.filter(fiche_id=fiche.pk)
        changes += changes_of(model, history, label, name_each=True, related=related)
    # Measures of indicators deleted since are still part of the fiche's story.
    indicator_ids = set(Indicateur.history.filter(fiche_id=fiche.pk).values_list("id", flat=True))
    changes += changes_of(Mesure, Mesure.history.filter(indicateur_id__in=indicator_ids), "Mesure", name_each=True)
    return newest_first(changes, limit)
