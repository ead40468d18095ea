"""The life of a CLS, derived from its dated milestones.

intention déclarée → préfiguration/diagnostic → élaboration → signé → en vigueur
→ échu (or abandonné at any point). The state on any day is computed from the
milestone dates, the avenants' new end dates and the successor's start, so
that a report "as of 2023-12-31" sees the past as it was.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from contracts.models import Cls


class Etat(models.TextChoices):
    INTENTION = "intention", "Intention déclarée"
    PREFIGURATION = "prefiguration", "Préfiguration / diagnostic"
    ELABORATION = "elaboration", "Élaboration"
    SIGNE = "signe", "Signé, pas encore en application"
    EN_VIGUEUR = "en_vigueur", "En vigueur"
    ECHU = "echu", "Échu"
    ABANDONNE = "abandonne", "Abandonné"
    NON_DATE = "non_date", "Sans jalon daté"


PREPARATION_STATES = {Etat.PREFIGURATION, Etat.ELABORATION, Etat.SIGNE}
MIN_DURATION_MONTHS, MAX_DURATION_MONTHS = 36, 60


def derived_dates(cls: Cls) -> dict[str, datetime.date | None]:
    """The three stored, derived dates of ``cls`` (see ``Cls`` fields).

    - preparation starts at the préfiguration, or the élaboration if sooner;
    - the contract applies from its start date, or its signature when no start
      is known;
    - it ends at the latest avenant's new end date, else the end date signed;
      when neither is known and a successor has started, the day before it.
    """
    starts = [d for d in (cls.date_prefiguration, cls.date_elaboration) if d]
    extensions = [a.nouvelle_date_fin for a in cls.avenants.all() if a.nouvelle_date_fin] if cls.pk else []
    fin = max(extensions) if extensions else cls.date_fin
    if fin is None and cls.pk:
        successor = Cls.objects.filter(predecesseur=cls).first()
        successor_start = successor and (successor.date_debut or successor.date_signature)
        if successor_start:
            fin = successor_start - datetime.timedelta(days=1)
    return {
        "date_debut_preparation": min(starts) if starts else None,
        "date_debut_effective": cls.date_debut or cls.date_signature,
        "date_fin_effective": fin,
    }


def etat_at(cls: Cls, day: datetime.date) -> Etat | None:
    """State of ``cls`` on ``day``; ``None`` before its first milestone."""
    if cls.date_abandon and cls.date_abandon <= day:
        return Etat.ABANDONNE
    start = cls.date_debut_effective
    if start and start <= day:
        if cls.date_fin_effective and cls.date_fin_effective < day:
            return Etat.ECHU
        return Etat.EN_VIGUEUR
    if cls.date_signature and cls.date_signature <= day:
        return Etat.SIGNE
    if cls.date_elaboration and cls.date_elaboration <= day:
        return Etat.ELABORATION
    if cls.date_prefiguration and cls.date_prefiguration <= day:
        return Etat.PREFIGURATION
    if cls.date_engagement and cls.date_engagement <= day:
        return Etat.INTENTION
    has_milestone = any(
        (cls.date_engagement, cls.date_prefiguration, cls.date_elaboration, cls.date_signature, cls.date_debut)
    )
    return None if has_milestone else Etat.NON_DATE


def months_between(start: datetime.date, end_inclusive: datetime.date) -> int:
    """Whole months from ``start`` to the day after ``end_inclusive``.

    Computed on (year, month, day) so that a date stored before the bounds existed (31/12/9999)
    does not overflow.
    """
    if end_inclusive == datetime.date.max:
        after = (end_inclusive.year + 1, 1, 1)
    else:
        day = end_inclusive + datetime.timedelta(days=1)
        after = (day.year, day.month, day.day)
    return (after[0] - start.year) * 12 + after[1] - start.month - (after[2] < start.day)


def duration_warning(cls: Cls) -> str | None:
    """A CLS is signed for 3 to 5 years; anything else deserves a look."""
    start, end = cls.date_debut_effective, cls.date_fin_effective
    if not (start and end):
        return None
    months = months_between(start, end)
    if MIN_DURATION_MONTHS <= months <= MAX_DURATION_MONTHS:
        return None
    years = months / 12
    return (
        f"Durée de {years:.1f} ans".replace(".", ",")
        + " : un CLS est normalement conclu pour 3 à 5 ans (avenants compris)."
    )


def _not_after(field: str, day: datetime.date) -> Q:
    """The milestone ``field`` has not happened by ``day`` (unknown or later)."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": day})


def state_filter(etat: Etat, day: datetime.date) -> Q:
    """SQL condition equivalent to ``etat_at(cls, day) == etat``."""
    if etat == Etat.ABANDONNE:
        return Q(date_abandon__lte=day)
    alive = _not_after("date_abandon", day)
    started = Q(date_debut_effective__lte=day)
    steps = [
        (Etat.SIGNE, "date_signature"),
        (Etat.ELABORATION, "date_elaboration"),
        (Etat.PREFIGURATION, "date_prefiguration"),
        (Etat.INTENTION, "date_engagement"),
    ]
    if etat == Etat.EN_VIGUEUR:
        return alive & started & (Q(date_fin_effective__isnull=True) | Q(date_fin_effective__gte=day))
    if etat == Etat.ECHU:
        return alive & started & Q(date_fin_effective__lt=day)
    if etat == Etat.NON_DATE:
        return (
            Q(
                date_engagement__isnull=True,
                date_prefiguration__isnull=True,
                date_elaboration__isnull=True,
                date_signature__isnull=True,
                date_debut__isnull=True,
            )
            & alive
        )
    condition = alive & _not_after("date_debut_effective", day)
    for step, field in steps:
        if step == etat:
            return condition & Q(**{f"{field}__lte": day})
        condition &= _not_after(field, day)
    raise ValueError(etat)
