"""Writes that span several CLS records, each in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts import perms
from contracts.lifecycle import derived_dates, duration_warning
from contracts.models import Avenant, Axe, Cls, Organisation, PerimetreElement, Signataire
from contracts.perimeter_shape import refresh_perimeter_shape
from core.concurrency import delete_if_current, save_if_current
from territories.models import Commune, Epci, Groupement


def refresh_derived_dates(cls: Cls) -> None:
    """Recompute the stored derived dates of ``cls`` and of its predecessor."""
    for target in filter(None, (cls, cls.predecesseur)):
        values = derived_dates(target)
        if any(getattr(target, name) != value for name, value in values.items()):
            Cls.objects.filter(pk=target.pk).update(**values)
            for name, value in values.items():
                setattr(target, name, value)


@transaction.atomic
def save_cls(cls: Cls, *, read_version: int | None = None) -> Cls:
    """Validate and save a CLS's own fields (not its perimeter)."""
    watched = ("predecesseur_id", "departement_id", "porteur_commune_id", "porteur_epci_id", "porteur_groupement_id")
    previous = Cls.objects.filter(pk=cls.pk).values(*watched).first() if cls.pk else None
    previous_predecessor_id = previous["predecesseur_id"] if previous else None
    if previous is None and cls.predecesseur_id and not cls.hors_departement_autorise_par_id:
        # The next generation of a CLS allowed to cross the border keeps that permission.
        cls.hors_departement_autorise_par_id = cls.predecesseur.hors_departement_autorise_par_id
        cls.hors_departement_autorise_le = cls.predecesseur.hors_departement_autorise_le
    cls.full_clean(exclude=["communes"])
    # A carrier recorded before the department rule is kept; a new or changed one must fit.
    carrier_changed = previous is None or any(previous[name] != getattr(cls, name) for name in watched[1:])
    if carrier_changed and cls.porteur is not None:
        check_territory_fits(cls, cls.porteur, what="porter")
    if cls.pk is None:
        cls.save()
    else:
        save_if_current(cls, read_version=read_version if read_version is not None else cls.version)
    refresh_derived_dates(cls)
    if previous_predecessor_id and previous_predecessor_id != cls.predecesseur_id:
        refresh_derived_dates(Cls.objects.get(pk=previous_predecessor_id))
    return cls


def check_territory_fits(
    cls: Cls, territory: Commune | Epci | Groupement, *, what: str = "entrer dans", departement=None
) -> None:
    """Refuse a territory outside the CLS's department(s) (``contracts.perms.perimeter_departements``)."""
    if not perms.territory_fits(cls, territory, departement=departement):
        raise ValidationError(
            "« %(territory)s » est hors du département du CLS et ne peut pas %(what)s ce contrat : seul un agent "
            "de l’ARS compétent sur plusieurs départements peut autoriser un CLS à déborder du département.",
            params={"territory": territory, "what": what},
            code="hors_departement",
        )


def recompute_perimeter(cls: Cls) -> int:
    """Set ``cls.communes`` from its perimeter choices and store its shape; return the commune count."""
    codes = set()
    for element in cls.perimetre_elements.select_related("epci", "groupement"):
        codes.update(element.communes().values_list("pk", flat=True))
    cls.communes.set(codes)
    refresh_perimeter_shape(cls)
    return len(codes)


@transaction.atomic
def add_to_perimeter(
    cls: Cls, *, commune: Commune | None = None, epci: Epci | None = None, groupement: Groupement | None = None
) -> PerimetreElement:
    check_territory_fits(cls, commune or epci or groupement)
    element, _created = PerimetreElement.objects.get_or_create(
        cls=cls, commune=commune, epci=epci, groupement=groupement
    )
    recompute_perimeter(cls)
    return element


def recompute_perimeters_using(groupement: Groupement) -> int:
    """Recompute the perimeter of every CLS built on ``groupement``; return how many.

    Refused (the grouping's save is rolled back) when the grouping now spills out of the
    department(s) of a CLS that uses it.
    """
    clss = list(Cls.objects.filter(perimetre_elements__groupement=groupement).distinct())
    if spilled := [cls for cls in clss if not perms.territory_fits(cls, groupement)]:
        raise ValidationError(
            "Ce groupement compose le périmètre de %(names)s : il ne peut pas prendre de communes hors du "
            "département de ce contrat.",
            params={"names": ", ".join(f"« {cls} »" for cls in spilled)},
        )
    for cls in clss:
        recompute_perimeter(cls)
    return len(clss)


@transaction.atomic
def allow_cross_border(cls: Cls, *, by) -> None:
    """Record that ``by`` (an ARS agent covering several departments) lets the CLS cross its department's border."""
    if not perms.can_allow_cross_border(by, cls):
        raise ValidationError(
            "Seul un agent de l’ARS compétent sur plusieurs départements, dont celui du CLS, peut autoriser "
            "un CLS à déborder du département."
        )
    cls.hors_departement_autorise_par = by
    cls.hors_departement_autorise_le = timezone.localdate()
    cls.save(update_fields=["hors_departement_autorise_par", "hors_departement_autorise_le", "updated_at"])


@transaction.atomic
def withdraw_cross_border(cls: Cls, *, by) -> None:
    """Withdraw the permission, once the perimeter and the carrier are back in the department."""
    if not perms.can_allow_cross_border(by, cls):
        raise ValidationError(
            "Seul un agent de l’ARS compétent sur plusieurs départements peut retirer cette autorisation."
        )
    inside = Cls(departement_id=cls.departement_id)
    outside = [
        element.territoire
        for element in cls.perimetre_elements.select_related("commune", "epci", "groupement")
        if not perms.territory_fits(inside, element.territoire)
    ]
    if cls.porteur is not None and not perms.territory_fits(inside, cls.porteur):
        outside.append(cls.porteur)
    if outside:
        raise ValidationError(
            "Retirez d’abord du périmètre ou du portage les territoires hors du département : %(names)s.",
            params={"names": ", ".join(str(territory) for territory in outside)},
        )
    cls.hors_departement_autorise_par = None
    cls.hors_departement_autorise_le = None
    cls.save(update_fields=["hors_departement_autorise_par", "hors_departement_autorise_le", "updated_at"])


@transaction.atomic
def remove_from_perimeter(element: PerimetreElement) -> None:
    cls = element.cls
    if cls.perimetre_elements.count() == 1:
        raise ValidationError(
            "Le périmètre d'un CLS ne peut pas être vide : ajoutez d'abord un autre élément avant de retirer "
            "le dernier."
        )
    element.delete()
    recompute_perimeter(cls)


@transaction.atomic
def create_cls(cls: Cls, *, perimeter: list[Commune | Epci | Groupement]) -> Cls:
    """Create a CLS with its initial perimeter (which cannot be empty)."""
    if not perimeter:
        raise ValidationError(
            "Le périmètre d'un CLS ne peut pas être vide : choisissez au moins une commune, un EPCI ou un groupement."
        )
    save_cls(cls)
    for territory in perimeter:
        check_territory_fits(cls, territory)
        key = {Commune: "commune", Epci: "epci", Groupement: "groupement"}[type(territory)]
        PerimetreElement.objects.get_or_create(cls=cls, **{key: territory})
    recompute_perimeter(cls)
    return cls


@transaction.atomic
def add_avenant(
    cls: Cls,
    *,
    objet: str,
    date_signature: datetime.date | None = None,
    nouvelle_date_fin: datetime.date | None = None,
    signataires_ajoutes: list[Organisation] = (),
) -> Avenant:
    avenant = Avenant(cls=cls, objet=objet, date_signature=date_signature, nouvelle_date_fin=nouvelle_date_fin)
    return save_avenant(avenant, signataires_ajoutes=signataires_ajoutes)


@transaction.atomic
def save_avenant(
    avenant: Avenant, *, signataires_ajoutes: list[Organisation] = (), read_version: int | None = None
) -> Avenant:
    """Create or correct an avenant (refused if somebody saved it since ``read_version``); dates follow."""
    cls = avenant.cls
    nouvelle_date_fin = avenant.nouvelle_date_fin
    if nouvelle_date_fin and cls.date_debut_effective and nouvelle_date_fin <= cls.date_debut_effective:
        raise ValidationError(
            {"nouvelle_date_fin": "La nouvelle date de fin doit être postérieure au début du contrat."}
        )
    avenant.full_clean()
    if avenant.pk is None:
        avenant.save()
    else:
        save_if_current(avenant, read_version=read_version if read_version is not None else avenant.version)
    for organisation in signataires_ajoutes:
        signataire, created = Signataire.objects.select_for_update().get_or_create(
            cls=cls, organisation=organisation, defaults={"avenant": avenant}
        )
        if not created and signataire.avenant_id != avenant.pk:
            signataire.avenant = avenant
            signataire.version += 1  # a page showing the signatory before is now stale
            signataire.save()
    avenant.signataires_ajoutes.set(signataires_ajoutes)
    refresh_derived_dates(cls)
    return avenant


def remove_signataire(signataire: Signataire, *, read_version: int | None) -> None:
    """Remove a signatory unless somebody changed it (an avenant took it over) since the page was read."""
    delete_if_current(signataire, read_version=read_version)


@transaction.atomic
def save_axes(
    cls: Cls, *, changed: list[tuple[Axe, int | None]], deleted: list[tuple[Axe, int | None]], added: list[Axe]
) -> None:
    """Apply one post of the axes form: every changed or deleted axis must be as the person read it.

    The numbers of the changed axes are freed first, so that swapping 1 and 2 saves in any order.
    """
    Axe.objects.filter(pk__in=[axe.pk for axe, _ in changed]).update(numero=None)
    for axe, read_version in deleted:
        delete_if_current(axe, read_version=read_version)
    for axe, read_version in changed:
        save_if_current(axe, read_version=read_version or 0)
    for axe in added:
        axe.cls = cls
        axe.full_clean()
        axe.save()


@transaction.atomic
def save_organisation(organisation: Organisation, *, read_version: int | None = None) -> Organisation:
    """Create or correct an organisation of the directory (refused if somebody saved it since ``read_version``)."""
    organisation.full_clean()
    if organisation.pk is None:
        organisation.save()
    else:
        save_if_current(organisation, read_version=read_version if read_version is not None else organisation.version)
    return organisation


@transaction.atomic
def add_signataire(cls: Cls, *, organisation: Organisation) -> Signataire:
    signataire = Signataire(cls=cls, organisation=organisation)
    signataire.full_clean()
    signataire.save()
    return signataire


@dataclass
class Overlap:
    other: Cls
    communes: int
    start: datetime.date
    end: datetime.date | None


def overlaps(cls: Cls) -> list[Overlap]:
    """Other CLS in force on some of the same communes during the same days."""
    start, end = cls.date_debut_effective, cls.date_fin_effective
    if start is None:
        return []
    candidates = (
        Cls.objects.filter(communes__in=cls.communes.all(), date_debut_effective__isnull=False)
        .exclude(pk=cls.pk)
        .distinct()
    )
    found = []
    for other in candidates:
        common_start = max(start, other.date_debut_effective)
        ends = [d for d in (end, other.date_fin_effective) if d]
        common_end = min(ends) if ends else None
        if common_end is None or common_start <= common_end:
            shared = cls.communes.filter(pk__in=other.communes.all()).count()
            found.append(Overlap(other, shared, common_start, common_end))
    return found


def warnings_for(cls: Cls) -> list[str]:
    """Points of the record that deserve a look, in French, for the CLS page."""
    out = []
    if message := duration_warning(cls):
        out.append(message)
    for overlap in overlaps(cls):
        period = f"du {overlap.start:%d/%m/%Y}" + (
            f" au {overlap.end:%d/%m/%Y}" if overlap.end else " sans date de fin"
        )
        out.append(
            f"{overlap.communes} commune(s) sont aussi couvertes par « {overlap.other} », en vigueur en même temps "
            f"({period})."
        )
    if cls.date_debut_effective and cls.date_fin_effective is None:
        out.append("Date de fin inconnue : renseignez-la, ou un avenant, pour que la couverture soit juste.")
    return out
