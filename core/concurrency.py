"""Optimistic locking: refuse a save made from a stale copy of a record.

Two people open the same CLS form; the first saves; the second's save must not
silently overwrite the first. Each versioned form carries the version it was
read at; ``save_if_current`` re-reads the row under a lock and refuses when the
version moved on meanwhile.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import VersionedModel


class StaleVersionError(ValidationError):
    pass


def save_if_current(instance: VersionedModel, *, read_version: int) -> None:
    """Save ``instance`` if nobody saved it since ``read_version``; bump the version."""
    model = type(instance)
    with transaction.atomic():
        if instance.pk is not None:
            # No default ordering: it may join a nullable relation, which PostgreSQL cannot lock.
            current = model.objects.select_for_update().only("version").filter(pk=instance.pk).order_by("pk").first()
            if current is None:
                raise StaleVersionError(
                    "Cet élément a été supprimé par quelqu’un d’autre pendant que vous le modifiiez : "
                    "vos changements n’ont pas été enregistrés.",
                    code="deleted",
                )
            if current.version != read_version:
                raise StaleVersionError(
                    "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous la "
                    "modifiiez. Vos changements n'ont pas été enregistrés : rechargez la page "
                    "pour voir la version actuelle, puis refaites vos modifications.",
                    code="stale",
                )
            instance.version = current.version + 1
        instance.save()


STALE_DELETE_MESSAGE = (
    "Cet élément a été modifié ou retiré par quelqu’un d’autre pendant que vous consultiez la page. Rien n’a été "
    "retiré : rechargez la page pour voir la version actuelle."
)


def delete_if_current(instance, *, read_version: int | None) -> None:
    """Delete a versioned record unless somebody changed (or deleted) it since ``read_version`` was read."""
    model = type(instance)
    with transaction.atomic():
        current = (
            model.objects.select_for_update()
            .filter(pk=instance.pk)
            .order_by("pk")
            .values_list("version", flat=True)
            .first()
        )
        if current is None or current != read_version:
            raise StaleVersionError(STALE_DELETE_MESSAGE, code="stale")
        instance.delete()
