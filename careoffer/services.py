"""Writes to the care-offer registry: save a structure, its transitions, import a file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from careoffer.models import Creneau, Dispositif, Etat, Structure, Subvention, TypeStructure
from core.concurrency import save_if_current
from territories.models import Commune


@transaction.atomic
def save_structure(
    structure: Structure,
    *,
    read_version: int | None,
    communes: list[Commune] | None = None,
    slots: list[tuple[int, datetime.time, datetime.time]] | None = None,
) -> Structure:
    """Check and save ``structure`` (refused if someone saved it meanwhile); set a CPTS's territory, an MMG's slots."""
    structure.full_clean()
    if communes and structure.type != TypeStructure.CPTS:
        raise ValidationError({"communes": "Seule une CPTS couvre un ensemble de communes."})
    if structure.pk is None:
        structure.save()
    else:
        save_if_current(structure, read_version=read_version or 0)
    if communes is not None:
        structure.communes.set(communes if structure.type == TypeStructure.CPTS else [])
    if slots is not None:
        set_slots(structure, slots)
    return structure


def set_slots(structure: Structure, slots: list[tuple[int, datetime.time, datetime.time]]) -> None:
    """Replace the opening slots of an MMG (kept when unchanged, so that history stays quiet)."""
    if slots and structure.type != TypeStructure.MMG:
        raise ValidationError({"horaires": "Les horaires d'ouverture concernent les maisons médicales de garde."})
    if sorted(slots) == sorted(structure.slots()):
        return
    for creneau in structure.creneaux.all():
        creneau.delete()
    for jour, debut, fin in sorted(set(slots)):
        creneau = Creneau(structure=structure, jour=jour, debut=debut, fin=fin)
        creneau.full_clean()
        creneau.save()


@transaction.atomic
def open_structure(structure: Structure, *, day: datetime.date) -> Structure:
    """Projet → en fonctionnement on ``day``."""
    if structure.etat_at(day) != Etat.PROJET or structure.date_ouverture:
        raise ValidationError("Cette structure est déjà ouverte.")
    if structure.date_projet and day < structure.date_projet:
        raise ValidationError("La structure ne peut pas ouvrir avant le début de son projet.")
    structure.date_ouverture = day
    return save_structure(structure, read_version=structure.version)


@transaction.atomic
def close_structure(structure: Structure, *, day: datetime.date) -> Structure:
    """En fonctionnement → fermé on ``day``."""
    if not structure.date_ouverture:
        raise ValidationError("Une structure en projet ne peut pas fermer : elle n'a pas ouvert.")
    if structure.date_fermeture:
        raise ValidationError("Cette structure est déjà fermée.")
    if day < structure.date_ouverture:
        raise ValidationError("La fermeture ne peut pas précéder l'ouverture.")
    structure.date_fermeture = day
    return save_structure(structure, read_version=structure.version)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    noun: str = "structure"

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        e = "" if self.noun == "dispositif" else "e"  # « dispositif » is masculine, « structure » feminine
        if not self.changed and not self.unchanged:
            return f"Aucun{e} {self.noun} dans le fichier."
        if not self.changed:
            return f"Aucun changement : les {self.unchanged} {self.noun}s du fichier sont déjà à jour."
        parts = [f"{len(self.created)} {self.noun}(s) créé{e}(s)", f"{len(self.updated)} mis{e}(s) à jour"]
        if self.unchanged:
            parts.append(f"{self.unchanged} inchangé{e}(s)")
        return ", ".join(parts) + "."


@transaction.atomic
def import_structures(*, departement, records: list[dict]) -> ImportReport:
    """Create or update the structures of already-validated ``records`` (see ``careoffer.spreadsheet``).

    A structure is identified by its department, type and name; a record equal to what is
    stored changes nothing, so importing the same file twice reports « Aucun changement ».
    """
    report = ImportReport()
    existing = {
        (s.type, s.nom): s for s in Structure.objects.filter(departement=departement).prefetch_related("communes")
    }
    for record in records:
        values = dict(record)
        communes = values.pop("communes")
        structure = existing.get((values["type"], values["nom"]))
        if structure is None:
            structure = Structure(departement=departement, **values)
            save_structure(structure, read_version=None, communes=communes)
            report.created.append(structure.nom)
            continue
        changed = [name for name, value in values.items() if getattr(structure, name) != value]
        same_communes = {c.pk for c in structure.communes.all()} == {c.pk for c in communes}
        if not changed and same_communes:
            report.unchanged += 1
            continue
        for name in changed:
            setattr(structure, name, values[name])
        save_structure(structure, read_version=structure.version, communes=communes)
        report.updated.append(structure.nom)
    return report


@transaction.atomic
def save_dispositif(
    dispositif: Dispositif, *, read_version: int | None, subsidies: dict[int, Decimal] | None = None, funder=None
) -> Dispositif:
    """Check and save a scheme (refused if someone saved it meanwhile); set its yearly subsidies from ``funder``."""
    dispositif.full_clean()
    if dispositif.pk is None:
        dispositif.save()
    else:
        save_if_current(dispositif, read_version=read_version or 0)
    if subsidies is not None:
        current = {s.annee: s for s in dispositif.subventions.filter(financeur=funder)}
        for year, subvention in current.items():
            if year not in subsidies:
                subvention.delete()
        for year, amount in subsidies.items():
            subvention = current.get(year) or Subvention(dispositif=dispositif, annee=year, financeur=funder)
            if subvention.pk is None or subvention.montant != amount:
                subvention.montant = amount
                subvention.full_clean()
                subvention.save()
    return dispositif


@transaction.atomic
def save_rows(parent: Structure | Dispositif, *, read_version: int, saved: list, deleted: list) -> None:
    """Save the rows of ``parent`` edited together (an MMG's activity periods, a unit's school years).

    The parent's version guards the whole set: if someone changed the record or its rows
    meanwhile, nothing is written (``StaleVersionError``); otherwise its version moves on.
    """
    save_if_current(parent, read_version=read_version)
    for row in deleted:
        row.delete()
    for row in saved:
        row.full_clean()
        row.save()


@transaction.atomic
def import_dispositifs(*, departement, records: list[dict], funder) -> ImportReport:
    """Create or update the schemes of already-validated ``records`` (see ``careoffer.spreadsheet``).

    A scheme is identified by its department, type and name. Its « subventions » are those of
    ``funder`` (the ARS), as on the scheme form: the cell lists them all. A record equal to what
    is stored changes nothing, so importing the same file twice reports « Aucun changement ».
    """
    report = ImportReport(noun="dispositif")
    existing = {
        (d.type, d.nom): d for d in Dispositif.objects.filter(departement=departement).prefetch_related("subventions")
    }
    funder_id = funder.pk if funder else None
    for record in records:
        values = dict(record)
        subsidies = values.pop("subventions")
        dispositif = existing.get((values["type"], values["nom"]))
        if dispositif is None:
            dispositif = Dispositif(departement=departement, **values)
            save_dispositif(dispositif, read_version=None, subsidies=subsidies, funder=funder)
            report.created.append(dispositif.nom)
            continue
        changed = [name for name, value in values.items() if getattr(dispositif, name) != value]
        current = {s.annee: s.montant for s in dispositif.subventions.all() if s.financeur_id == funder_id}
        if not changed and current == subsidies:
            report.unchanged += 1
            continue
        for name in changed:
            setattr(dispositif, name, values[name])
        save_dispositif(dispositif, read_version=dispositif.version, subsidies=subsidies, funder=funder)
        report.updated.append(dispositif.nom)
    return report


@transaction.atomic
def import_registry(*, departement, structures: list[dict] | None, dispositifs: list[dict] | None, funder):
    """Import both tables of a file at once: all or nothing. Returns the report of each table present."""
    reports = []
    if structures is not None:
        reports.append(import_structures(departement=departement, records=structures))
    if dispositifs is not None:
        reports.append(import_dispositifs(departement=departement, records=dispositifs, funder=funder))
    return reports
