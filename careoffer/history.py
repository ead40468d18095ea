"""Who changed a structure or a scheme, when, and what: for their pages."""

from __future__ import annotations

from core.history import Change, changes_of, newest_first


def structure_history(structure) -> list[Change]:
    from careoffer.models import ActiviteMmg, Creneau, Structure

    changes = changes_of(Structure, structure.history.all(), "Fiche")
    changes += changes_of(Creneau, Creneau.history.filter(structure_id=structure.pk), "Horaires", name_each=True)
    changes += changes_of(
        ActiviteMmg, ActiviteMmg.history.filter(structure_id=structure.pk), "Activité", name_each=True
    )
    return newest_first(changes)


def dispositif_history(dispositif) -> list[Change]:
    from careoffer.models import AnneeScolaireDispositif, Dispositif, Subvention

    changes = changes_of(Dispositif, dispositif.history.all(), "Fiche")
    changes += changes_of(
        Subvention, Subvention.history.filter(dispositif_id=dispositif.pk), "Subvention", name_each=True
    )
    changes += changes_of(
        AnneeScolaireDispositif,
        AnneeScolaireDispositif.history.filter(dispositif_id=dispositif.pk),
        "Année scolaire",
        name_each=True,
    )
    return newest_first(changes)
