"""Writes across the action-plan models, and the figures shown about a plan."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from actions.models import (
    ChangementEtat,
    Depense,
    Etat,
    FicheAction,
    Financement,
    FinancementCoordination,
    Mesure,
    Stade,
    money_sum,
)
from contracts.models import Axe, Cls
from core.concurrency import save_if_current
from diagnostics.models import Enjeu


def next_rang(*, cls: Cls, axe: Axe | None) -> int:
    """The first free rank after the last fiche of ``axe`` in ``cls``."""
    last = FicheAction.objects.filter(cls=cls, axe=axe).aggregate(m=Max("rang"))["m"]
    return (last or 0) + 1


def check_enjeux(fiche: FicheAction, m2m: dict | None) -> None:
    """An action answers only issues of its own CLS's diagnostic."""
    foreign = [e for e in (m2m or {}).get("enjeux", []) if e.cls_id != fiche.cls_id]
    if foreign:
        titles = ", ".join(f"« {e.titre} »" for e in foreign)
        raise ValidationError({"enjeux": f"Enjeu(x) d'un autre CLS, refusé(s) : {titles}."})


@transaction.atomic
def create_fiche(fiche: FicheAction, *, user=None, m2m: dict | None = None) -> FicheAction:
    """Save a new fiche, numbered after the last one of its axis when it has no rank yet."""
    if not fiche.rang:
        fiche.rang = next_rang(cls=fiche.cls, axe=fiche.axe)
    fiche.full_clean()
    check_enjeux(fiche, m2m)
    fiche.save()
    for name, values in (m2m or {}).items():
        getattr(fiche, name).set(values)
    if fiche.etat:
        ChangementEtat.objects.create(
            fiche=fiche, etat=fiche.etat, date=fiche.date_ajout or timezone.localdate(), auteur=user
        )
    return fiche


@transaction.atomic
def save_fiche(fiche: FicheAction, *, read_version: int, user=None, m2m: dict | None = None) -> FicheAction:
    """Save an edited fiche unless someone saved it meanwhile; a new axis gives it the next rank there."""
    previous = FicheAction.objects.only("axe_id", "etat").get(pk=fiche.pk)
    if previous.axe_id != fiche.axe_id:
        fiche.rang = next_rang(cls=fiche.cls, axe=fiche.axe)
    fiche.full_clean()
    check_enjeux(fiche, m2m)
    save_if_current(fiche, read_version=read_version)
    for name, values in (m2m or {}).items():
        getattr(fiche, name).set(values)
    if fiche.etat != previous.etat and fiche.etat:
        ChangementEtat.objects.create(
            fiche=fiche, ancien_etat=previous.etat, etat=fiche.etat, date=timezone.localdate(), auteur=user
        )
    return fiche


@transaction.atomic
def renumber_axe(*, cls: Cls, axe: Axe | None) -> int:
    """Close the gaps in the ranks of ``axe`` (1, 2, 3… in the current order); return how many moved."""
    fiches = list(FicheAction.objects.filter(cls=cls, axe=axe).order_by("rang", "pk"))
    moved = [f for rank, f in enumerate(fiches, start=1) if f.rang != rank]
    # Two passes, so that no intermediate state breaks the unique (cls, numero) constraint.
    offset = len(fiches) + max((f.rang for f in fiches), default=0)
    for fiche in moved:
        fiche.rang += offset
        fiche.save(update_fields=["rang", "numero"])
    for rank, fiche in enumerate(fiches, start=1):
        if fiche.rang != rank:
            fiche.rang = rank
            fiche.save(update_fields=["rang", "numero"])
    return len(moved)


@transaction.atomic
def refresh_numeros(*, cls: Cls) -> int:
    """Recompute the numbers of a CLS's fiches after its axes were renumbered; return how many changed."""
    fiches = list(FicheAction.objects.filter(cls=cls).select_related("axe"))
    stale = [f for f in fiches if f.numero != f.compute_numero()]
    for fiche in stale:
        fiche.numero = f"~{fiche.pk}"
        FicheAction.objects.filter(pk=fiche.pk).update(numero=fiche.numero)
    for fiche in stale:
        fiche.save(update_fields=["numero"])
    return len(stale)


@transaction.atomic
def change_state(
    fiche: FicheAction, *, etat: str, date: datetime.date, motif: str = "", user=None, read_version: int
) -> ChangementEtat:
    """Record a change of state with its date and reason; refused if the fiche changed meanwhile."""
    change = ChangementEtat(fiche=fiche, ancien_etat=fiche.etat, etat=etat, date=date, motif=motif, auteur=user)
    change.full_clean()
    fiche.etat = etat
    if etat == Etat.EN_COURS and fiche.debut_reel is None:
        fiche.debut_reel = date
    if etat == Etat.REALISEE and fiche.fin_reelle is None:
        fiche.fin_reelle = date
    save_if_current(fiche, read_version=read_version)
    change.save()
    return change


@transaction.atomic
def record_measure(mesure: Mesure) -> tuple[Mesure, bool]:
    """Save a measure; a value already recorded for the same period is replaced. Returns (mesure, created)."""
    existing = Mesure.objects.filter(indicateur=mesure.indicateur, annee=mesure.annee, periode=mesure.periode).first()
    if existing is not None:
        for field in ("valeur", "numerateur", "denominateur", "source", "commentaire"):
            setattr(existing, field, getattr(mesure, field))
        existing.full_clean()
        existing.save()
        return existing, False
    mesure.full_clean()
    mesure.save()
    return mesure, True


def fiche_money(fiche: FicheAction) -> dict:
    """The financing table of one fiche, with totals by year, by funder and overall."""
    financements = Financement.objects.filter(fiche=fiche)
    return {
        "lignes": financements.select_related("financeur"),
        "par_annee": financements.totals_by("annee"),
        "par_financeur": financements.totals_by("financeur__nom"),
        "total": financements.total(),
        "total_acquis": financements.filter(stade__in=["acquis", "verse"]).total(),
        "depenses": Depense.objects.filter(fiche=fiche),
        "total_depense": Depense.objects.filter(fiche=fiche).total(),
    }


def plan_enjeux(cls: Cls) -> dict:
    """The issues of the CLS's diagnostic with the number of actions answering each; those none answers."""
    enjeux = list(Enjeu.objects.filter(cls=cls).annotate(nb_actions=Count("actions")).order_by("priorite", "titre"))
    return {"enjeux": enjeux, "sans_action": [e for e in enjeux if not e.nb_actions]}


def plan_money(cls: Cls) -> dict:
    """Totals of a CLS's plan: overall, by axis, by funder, by year; coordination funding."""
    financements = Financement.objects.filter(fiche__cls=cls)
    coordination = FinancementCoordination.objects.filter(cls=cls).order_by("annee")
    return {
        "total": financements.total(),
        "par_axe": financements.totals_by("fiche__axe__numero", "fiche__axe__intitule"),
        "par_financeur": financements.totals_by("financeur__nom"),
        "par_annee": financements.totals_by("annee"),
        "depenses": Depense.objects.filter(fiche__cls=cls).total(),
        "coordination": coordination,
        "total_coordination": coordination.aggregate(t=money_sum("montant"))["t"],
        "total_coordination_acquis": coordination.filter(stade__in=[Stade.ACQUIS, Stade.VERSE]).aggregate(
            t=money_sum("montant")
        )["t"],
    }


def cls_section_context(cls: Cls, user) -> dict:
    """What the CLS page shows about its action plan: ``data`` of actions/includes/_cls_section.html."""
    fiches = FicheAction.objects.filter(cls=cls)
    by_state = dict(fiches.order_by().values_list("etat").annotate(n=Count("pk")))
    labels = dict(Etat.choices)
    etats = [(labels.get(key, "État non renseigné"), n) for key, n in sorted(by_state.items(), key=lambda kv: kv[0])]
    coordination = FinancementCoordination.objects.filter(cls=cls).order_by("annee")
    return {
        "cls": cls,
        "count": sum(by_state.values()),
        "by_state": etats,
        "total_financement": Financement.objects.filter(fiche__cls=cls).total(),
        "coordination": coordination,
        "can_edit": cls.can_edit(user),
    }
