"""Who may do what with a CLS, and which territories a CLS may take: one function per rule.

Querysets (``ClsQuerySet.editable_by``), forms, services and views call these functions; the
territorial scope of a person comes from ``territories.perms``.
"""

from __future__ import annotations

from core.models import Role
from territories.models import Commune, Departement, Epci, Groupement
from territories.perms import covers_several_departements, departements_in_scope


def editable_cls(queryset, user):
    """The CLS of ``queryset`` that ``user`` may edit: the ARS in its scope, a coordinator its own CLS."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.ARS:
        return queryset.filter(departement__in=departements_in_scope(user))
    if user.role == Role.COORDINATEUR:
        return queryset.filter(coordinateurs=user)
    return queryset.none()


def can_edit_cls(user, cls) -> bool:
    return editable_cls(type(cls).objects.filter(pk=cls.pk), user).exists()


def can_create_cls(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ARS)


def can_choose_coordination(user) -> bool:
    """Who coordinates a CLS and which delegation follows it are the ARS's decisions."""
    return can_create_cls(user)


def can_edit_organisation(user) -> bool:
    """The directory of organisations is shared by every CLS: the ARS corrects a name or a SIREN."""
    return can_create_cls(user)


def departement_choices(user, cls=None):
    """Departments the user may attach a CLS to (a coordinator keeps the CLS's own)."""
    if can_choose_coordination(user):
        return departements_in_scope(user)
    return Departement.objects.filter(pk=getattr(cls, "departement_id", None))


def predecessor_choices(user, cls=None):
    """CLS that ``user`` may name as predecessor: those they may edit, since naming one ends it.

    The CLS's current predecessor stays a valid choice, so that saving the form keeps it.
    """
    from contracts.models import Cls

    choices = editable_cls(Cls.objects.all(), user)
    if cls is not None and cls.pk:
        choices = choices.exclude(pk=cls.pk)
        if cls.predecesseur_id:
            choices = choices | Cls.objects.filter(pk=cls.predecesseur_id)
    return choices.distinct().select_related("departement")


# --- Territories of a CLS: perimeter and carrier ---------------------------------------------------


def perimeter_departements(cls, *, departement=None):
    """Departments whose territories the CLS may take: its own, or, when an ARS agent covering
    several departments allowed it to cross the border, that agent's scope.

    ``departement`` replaces the CLS's department (a form changing it, a CLS being created).
    """
    departement_id = departement.pk if departement is not None else cls.departement_id
    own = Departement.objects.filter(pk=departement_id)
    if cls.hors_departement_autorise_par_id:
        return own | departements_in_scope(cls.hors_departement_autorise_par)
    return own


def perimeter_communes(cls, **kwargs):
    return Commune.objects.in_departements(perimeter_departements(cls, **kwargs))


def perimeter_epcis(cls, **kwargs):
    """EPCI with communes in the CLS's department(s)."""
    return Epci.objects.touching(perimeter_departements(cls, **kwargs))


def perimeter_groupements(cls, **kwargs):
    """Groupings whose communes all lie in the CLS's department(s)."""
    return Groupement.objects.within(perimeter_departements(cls, **kwargs))


def territory_fits(cls, territory, **kwargs) -> bool:
    """May ``territory`` (commune, EPCI or grouping) be in the CLS's perimeter or carry it?"""
    choices = {Commune: perimeter_communes, Epci: perimeter_epcis, Groupement: perimeter_groupements}
    return choices[type(territory)](cls, **kwargs).filter(pk=territory.pk).exists()


def can_allow_cross_border(user, cls) -> bool:
    """An ARS agent with several departments in scope, the CLS's among them (or a superuser)."""
    return covers_several_departements(user) and departements_in_scope(user).filter(pk=cls.departement_id).exists()
