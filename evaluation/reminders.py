"""What each person has to do: the « À faire » page and the daily e-mail digest.

Five kinds of items, each scoped by role:

- contracts ending within 6 months with no next generation in preparation (no successor CLS):
  ARS agents for the CLS they edit (department or region), coordinators for their CLS;
- actions late against their calendar (``FicheAction.objects.late``) and indicators of running
  actions (neither done nor abandoned) with no value for last year, in contracts not yet ended:
  the actions the person may update (a carrier: its own; a coordinator: its CLS's; the ARS: its
  department's or region's);
- decisions past their due date and not done: those the person follows (by name or through their
  organisation), and for coordinators and the ARS those of their CLS's meetings;
- open review campaigns: for coordinators and the ARS, their CLS's campaigns with the answers
  still missing; for a carrier, campaigns still awaiting one of its answers.

A reader has nothing to do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from actions.models import Etat, FicheAction, Indicateur, Mesure
from contracts.models import Cls
from core.models import Role
from steering.models import CampagneRevue, Decision, ReponseRevue

ENDING_DAYS = 183  # six months


@dataclass
class Item:
    text: str
    url: str


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Todo:
    sections: list[Section]

    @property
    def count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def non_empty(self) -> list[Section]:
        return [section for section in self.sections if section.items]


def _current(queryset, today: datetime.date, prefix: str = "cls__"):
    """Rows of contracts not ended (nor abandoned) on ``today``."""
    return queryset.filter(
        Q(**{f"{prefix}date_fin_effective__isnull": True}) | Q(**{f"{prefix}date_fin_effective__gte": today}),
        Q(**{f"{prefix}date_abandon__isnull": True}),
    )


def _ending(user, today: datetime.date) -> list[Item]:
    horizon = today + datetime.timedelta(days=ENDING_DAYS)
    clss = (
        Cls.objects.editable_by(user)
        .filter(date_fin_effective__gte=today, date_fin_effective__lte=horizon, date_abandon__isnull=True)
        .filter(successeur__isnull=True)
        .order_by("date_fin_effective", "nom")
    )
    return [
        Item(
            f"{cls} : se termine le {cls.date_fin_effective:%d/%m/%Y} et aucun CLS suivant n'est en préparation.",
            reverse("evaluation_cls", args=[cls.pk]),
        )
        for cls in clss
    ]


def _late(fiches, today: datetime.date) -> list[Item]:
    rows = _current(fiches.late(today), today).select_related("cls").order_by("cls__nom", "numero")
    return [
        Item(
            f"{fiche.cls} — fiche {fiche} : en retard"
            + (f" (fin prévue le {fiche.fin_prevue:%d/%m/%Y})" if fiche.fin_prevue else "")
            + ".",
            reverse("actions_fiche", args=[fiche.pk]),
        )
        for fiche in rows
    ]


def _unmeasured(fiches, today: datetime.date) -> list[Item]:
    year = today.year - 1
    indicateurs = (
        _current(Indicateur.objects.filter(fiche__in=fiches), today, prefix="fiche__cls__")
        .exclude(fiche__etat__in=[Etat.REALISEE, Etat.ABANDONNEE])
        .exclude(Exists(Mesure.objects.filter(indicateur=OuterRef("pk"), annee=year)))
        .select_related("fiche__cls")
        .order_by("fiche__cls__nom", "fiche__numero", "pk")
    )
    return [
        Item(
            f"{ind.fiche.cls} — fiche {ind.fiche.numero} : « {ind.libelle} » n'a pas de valeur pour {year}.",
            reverse("actions_fiche", args=[ind.fiche_id]),
        )
        for ind in indicateurs
    ]


def _decisions(user, today: datetime.date) -> list[Item]:
    mine = Q(suivie_par=user)
    if user.organisation_id:
        mine |= Q(suivie_par_organisation_id=user.organisation_id)
    if user.role in (Role.ARS, Role.COORDINATEUR) or user.is_superuser:
        mine |= Q(reunion__instance_gouvernance__cls__in=Cls.objects.editable_by(user))
    decisions = (
        Decision.objects.filter(mine, echeance__lt=today, faite_le__isnull=True)
        .select_related("reunion__instance_gouvernance__cls")
        .order_by("echeance", "pk")
    )
    return [
        Item(
            f"{d.reunion.instance_gouvernance.cls} — décision du {d.reunion.date:%d/%m/%Y} « {d} » : échéance dépassée "
            f"({d.echeance:%d/%m/%Y}).",
            reverse("steering_meeting", args=[d.reunion_id]),
        )
        for d in decisions
    ]


def _campaigns(user) -> list[Item]:
    open_campaigns = CampagneRevue.objects.filter(close_le__isnull=True).select_related("cls")
    if user.role == Role.PORTEUR:
        if not user.organisation_id:
            return []
        waiting = ReponseRevue.objects.filter(
            campagne=OuterRef("pk"), porteur_id=user.organisation_id, repondu_le__isnull=True
        )
        campaigns = open_campaigns.filter(Exists(waiting)).order_by("cls__nom", "annee")
        return [
            Item(
                f"{c} : vos réponses sont attendues"
                + (f" avant le {c.date_limite:%d/%m/%Y}" if c.date_limite else "")
                + ".",
                reverse("steering_my_review"),
            )
            for c in campaigns
        ]
    campaigns = (
        open_campaigns.filter(cls__in=Cls.objects.editable_by(user))
        .annotate(missing=Count("reponses", filter=Q(reponses__repondu_le__isnull=True)))
        .order_by("cls__nom", "annee")
    )
    return [
        Item(
            f"{c} : campagne ouverte, réponses attendues : {c.missing}.",
            reverse("steering_campaign", args=[c.pk]),
        )
        for c in campaigns
    ]


def todo_for(user, today: datetime.date) -> Todo:
    if not user.is_authenticated or (user.role == Role.LECTEUR and not user.is_superuser):
        return Todo([])
    fiches = FicheAction.objects.updatable_by(user)
    return Todo(
        [
            Section("fin", "Contrats qui se terminent sans CLS suivant en préparation", _ending(user, today)),
            Section("retard", "Actions en retard sur leur calendrier", _late(fiches, today)),
            Section("indicateurs", f"Indicateurs sans valeur pour {today.year - 1}", _unmeasured(fiches, today)),
            Section("decisions", "Décisions dont l'échéance est dépassée", _decisions(user, today)),
            Section("revues", "Campagnes de revue annuelle ouvertes", _campaigns(user)),
        ]
    )


def digest(user, todo: Todo, today: datetime.date, *, base_url: str) -> tuple[str, str]:
    """The e-mail of ``todo``: (subject, plain-text body), in French; links made absolute with ``base_url``."""
    subject = f"SantéLoc : {todo.count} point{'s' if todo.count > 1 else ''} à faire au {today:%d/%m/%Y}"
    lines = [f"Bonjour {user.get_full_name() or user.username},", "", "Voici ce qui vous attend dans SantéLoc :"]
    for section in todo.non_empty:
        lines += ["", f"{section.title} ({len(section.items)}) :"]
        lines += [f"- {item.text}\n  {base_url}{item.url}" for item in section.items]
    lines += [
        "",
        f"La liste à jour : {base_url}{reverse('evaluation_todo')}",
        "",
        "Ce message est envoyé au plus une fois par jour, quand il y a quelque chose à faire.",
    ]
    return subject, "\n".join(lines)
