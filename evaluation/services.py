"""Writes of the evaluation: the conclusions, each action's assessment, and the next generation.

``prepare_next_cls`` creates the next CLS from an evaluated one in one transaction: same carrier,
perimeter (the same choices and the same communes), signatories, partners, coordinators and axes,
and a copy of each action marked « à poursuivre », linked to the action it continues. The dates,
states, money, indicators and issues are not copied: they belong to the new contract's life.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import FicheAction
from actions.services import create_fiche
from contracts.models import Axe, Cls, PerimetreElement, Signataire
from contracts.services import save_cls
from core.concurrency import save_if_current
from core.models import Role
from evaluation.completeness import cls_completeness
from evaluation.models import Evaluation, EvaluationAction

FICHE_FIELDS = (
    "titre",
    "objectif_general",
    "objectifs_specifiques",
    "description",
    "porteur",
    "tout_le_perimetre",
    "objectif_prs",
    "priorite",
    "participation",
    "programme",
)
FICHE_M2M = ("partenaires", "publics", "themes", "lieux")


@transaction.atomic
def save_evaluation(evaluation: Evaluation, *, read_version: int, user=None) -> Evaluation:
    """Save the conclusions unless someone else saved them meanwhile.

    Text saved by a person is theirs: it is no longer an illustrative example of the demo.
    """
    if user is not None and user.is_authenticated:
        evaluation.redigee_par = user
    evaluation.illustratif = False
    evaluation.full_clean()
    save_if_current(evaluation, read_version=read_version)
    return evaluation


@transaction.atomic
def save_action_evaluation(evaluation: EvaluationAction, *, read_version: int) -> EvaluationAction:
    """Save one action's assessment unless someone else saved it meanwhile (no longer illustrative)."""
    evaluation.illustratif = False
    evaluation.full_clean()
    save_if_current(evaluation, read_version=read_version)
    return evaluation


def next_generation(generation: str) -> str:
    """« 1 » → « 2 », « 2+ » → « 3 »."""
    return str(int(re.match(r"\d+", generation).group()) + 1)


@transaction.atomic
def prepare_next_cls(*, cls: Cls) -> Cls:
    """Create the next generation of ``cls``; refused if it has no evaluation or already has a successor."""
    if Cls.objects.filter(predecesseur=cls).exists():
        raise ValidationError(
            f"Le CLS suivant de « {cls} » existe déjà ({cls.successeur}) : il ne peut être préparé qu'une fois."
        )
    if not Evaluation.objects.filter(cls=cls).exists():
        raise ValidationError("Rédigez d'abord l'évaluation de ce CLS : le suivant se prépare à partir d'elle.")
    new = save_cls(
        Cls(
            nom=cls.nom,
            departement=cls.departement,
            porteur_commune=cls.porteur_commune,
            porteur_epci=cls.porteur_epci,
            porteur_groupement=cls.porteur_groupement,
            generation=next_generation(cls.generation),
            predecesseur=cls,
            structure_coordination=cls.structure_coordination,
            contact_coordination=cls.contact_coordination,
            observations=f"Préparé dans SantéLoc à partir de l'évaluation du {cls}.",
        )
    )
    for element in cls.perimetre_elements.all():
        PerimetreElement.objects.create(
            cls=new, commune_id=element.commune_id, epci_id=element.epci_id, groupement_id=element.groupement_id
        )
    new.communes.set(cls.communes.all())
    new.partenaires.set(cls.partenaires.all())
    new.coordinateurs.set(cls.coordinateurs.all())
    for signataire in cls.signataires.all():
        Signataire.objects.create(cls=new, organisation_id=signataire.organisation_id)
    axes = {}
    for axe in cls.axes.all():
        axes[axe.pk] = Axe.objects.create(
            cls=new, numero=axe.numero, intitule=axe.intitule, type=axe.type, transversal=axe.transversal
        )
    continuing = (
        FicheAction.objects.filter(cls=cls, evaluation__a_poursuivre=True)
        .select_related("axe")
        .prefetch_related(*FICHE_M2M)
        .order_by("axe__transversal", "axe__numero", "rang")
    )
    for old in continuing:
        fiche = FicheAction(cls=new, axe=axes.get(old.axe_id), predecesseur=old)
        for name in FICHE_FIELDS:
            setattr(fiche, name, getattr(old, name))
        create_fiche(fiche, m2m={name: list(getattr(old, name).all()) for name in FICHE_M2M})
    return new


def cls_section_context(cls: Cls, user) -> dict:
    """The completeness and evaluation section of the CLS page (``evaluation/includes/_cls_section.html``)."""
    return {
        "cls": cls,
        "completeness": cls_completeness(cls, timezone.localdate()),
        "has_evaluation": Evaluation.objects.filter(cls=cls).exists(),
        "can_compare": user.is_superuser or user.role == Role.ARS,
    }
