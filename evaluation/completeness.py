"""How complete and current the follow-up of each CLS is: one score out of 100 and its four parts.

The actions counted are those still running (state neither « réalisée » nor « abandonnée »).

==========================  =====  ==========================================================
part                        weight  share
==========================  =====  ==========================================================
État à jour                   30   actions whose state changed (``ChangementEtat``), which got a
                                   follow-up note, or whose carrier declared their state in a yearly
                                   review, in the last 6 months (saving a fiche for another reason,
                                   a typo say, does not say its state is current)
Indicateurs mesurés           25   actions with at least one indicator measured for last year
                                   (``Mesure.annee`` = current year − 1)
Financements renseignés       20   actions with at least one financing line or spending recorded
Réunions tenues               25   meetings held in the last 12 months over meetings planned
                                   (``Instance.reunions_par_an``), capped per body so that an extra
                                   COPIL does not make up for a COTECH that never met
==========================  =====  ==========================================================

score = Σ weight × share, rounded to the unit. A part with nothing to count (no running action,
no body planned) counts 0: a plan with no follow-up is not complete.

``completeness_of`` runs a constant number of queries whatever the number of CLS.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from actions.models import ChangementEtat, Depense, Etat, FicheAction, Financement, Mesure, NoteSuivi
from contracts.models import Cls
from steering.models import Instance, ReponseRevue

FRESH_DAYS = 183  # six months
MEETINGS_DAYS = 365
WEIGHTS = {"etat": 30, "indicateurs": 25, "argent": 20, "reunions": 25}
LABELS = {
    "etat": "État à jour (6 derniers mois)",
    "indicateurs": "Indicateurs mesurés pour l'année passée",
    "argent": "Financements ou dépenses renseignés",
    "reunions": "Réunions tenues comme prévu (12 derniers mois)",
}
CLOSED_STATES = [Etat.REALISEE, Etat.ABANDONNEE]


@dataclass
class Part:
    key: str
    numerateur: int
    denominateur: int

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def poids(self) -> int:
        return WEIGHTS[self.key]

    @property
    def part(self) -> float:
        return self.numerateur / self.denominateur if self.denominateur else 0.0

    @property
    def pourcentage(self) -> int:
        return round(self.part * 100)

    @property
    def points(self) -> float:
        return self.poids * self.part


@dataclass
class Completeness:
    cls: Cls
    parts: list[Part]

    @property
    def score(self) -> int:
        return round(sum(part.points for part in self.parts))

    def part(self, key: str) -> Part:
        return next(part for part in self.parts if part.key == key)


def _running_fiches(clss, today: datetime.date):
    cutoff = today - datetime.timedelta(days=FRESH_DAYS)
    fiche = OuterRef("pk")
    return (
        FicheAction.objects.filter(cls__in=clss)
        .exclude(etat__in=CLOSED_STATES)
        .annotate(
            changed=Exists(ChangementEtat.objects.filter(fiche=fiche, date__gte=cutoff)),
            noted=Exists(NoteSuivi.objects.filter(fiche=fiche, date__gte=cutoff)),
            measured=Exists(Mesure.objects.filter(indicateur__fiche=fiche, annee=today.year - 1)),
            funded=Exists(Financement.objects.filter(fiche=fiche)),
            spent=Exists(Depense.objects.filter(fiche=fiche)),
            reviewed=Exists(ReponseRevue.objects.filter(fiche=fiche, repondu_le__date__gte=cutoff).exclude(etat="")),
        )
        .order_by()
        .values("cls_id", "changed", "noted", "measured", "funded", "spent", "reviewed")
        .annotate(n=Count("pk"))
    )


def completeness_of(clss, today: datetime.date) -> dict[int, Completeness]:
    """The completeness of each CLS of the queryset ``clss``, by CLS id (three queries)."""
    contracts = {cls.pk: cls for cls in clss}
    counts = {pk: {"total": 0, "etat": 0, "indicateurs": 0, "argent": 0} for pk in contracts}
    for row in _running_fiches(contracts.keys(), today):
        count = counts[row["cls_id"]]
        count["total"] += row["n"]
        count["etat"] += row["n"] * (row["changed"] or row["noted"] or row["reviewed"])
        count["indicateurs"] += row["n"] * row["measured"]
        count["argent"] += row["n"] * (row["funded"] or row["spent"])
    meetings = {pk: [0, 0] for pk in contracts}
    since = today - datetime.timedelta(days=MEETINGS_DAYS)
    bodies = (
        Instance.objects.filter(cls__in=contracts.keys(), reunions_par_an__gt=0)
        .annotate(held=Count("reunions", filter=Q(reunions__date__gt=since, reunions__date__lte=today)))
        .values_list("cls_id", "reunions_par_an", "held")
    )
    for cls_id, planned, held in bodies:
        meetings[cls_id][0] += min(held, planned)
        meetings[cls_id][1] += planned
    return {
        pk: Completeness(
            cls,
            [
                *(Part(key, counts[pk][key], counts[pk]["total"]) for key in ("etat", "indicateurs", "argent")),
                Part("reunions", *meetings[pk]),
            ],
        )
        for pk, cls in contracts.items()
    }


def cls_completeness(cls: Cls, today: datetime.date) -> Completeness:
    return completeness_of(Cls.objects.filter(pk=cls.pk), today)[cls.pk]


def departement_completeness(departement, today: datetime.date) -> list[Completeness]:
    """CLS of the department in force or in preparation on ``today``, best follow-up first."""
    clss = Cls.objects.filter(departement=departement).in_force_or_preparation_at(today).order_by("nom", "generation")
    return sorted(completeness_of(clss, today).values(), key=lambda c: -c.score)
