"""Who may act on which territories: one function per rule, used by querysets, forms and views.

An ARS agent's scope is one department (``user.departement``) or a whole region
(``user.region``); a superuser's scope is everything; nobody else has a territorial scope.
"""

from __future__ import annotations

from core.models import Role
from territories.models import Commune, Departement, Epci, Groupement


def departements_in_scope(user):
    """The departments an ARS agent (or a superuser) answers for; none for anybody else."""
    departements = Departement.objects.all()
    if not user.is_authenticated:
        return departements.none()
    if user.is_superuser:
        return departements
    if user.role != Role.ARS:
        return departements.none()
    if user.departement_id:
        return departements.filter(pk=user.departement_id)
    if user.region_id:
        return departements.filter(region_id=user.region_id)
    return departements.none()


def can_manage_departement(user, departement) -> bool:
    """May ``user`` create or edit records of ``departement``? (ARS of the department or region.)"""
    return departements_in_scope(user).filter(pk=departement.pk).exists()


def covers_several_departements(user) -> bool:
    """A region-level ARS agent or a superuser: may say that a record crosses a department border."""
    return departements_in_scope(user)[:2].count() > 1


def can_create_groupement(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ARS)


def editable_groupements(user):
    """Groupings whose communes all lie in the user's scope (a Marne agent never edits an Aube grouping)."""
    if user.is_authenticated and user.is_superuser:
        return Groupement.objects.all()
    if not can_create_groupement(user):
        return Groupement.objects.none()
    return Groupement.objects.within(departements_in_scope(user))


def can_edit_groupement(user, groupement: Groupement) -> bool:
    return editable_groupements(user).filter(pk=groupement.pk).exists()


def groupement_epci_choices(user):
    """EPCI a user may put in a grouping: all their communes in the user's scope."""
    if user.is_superuser:
        return Epci.objects.all()
    return Epci.objects.within(departements_in_scope(user))


def groupement_commune_choices(user):
    if user.is_superuser:
        return Commune.objects.all()
    return Commune.objects.in_departements(departements_in_scope(user))
