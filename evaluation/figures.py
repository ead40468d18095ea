"""The figures of a contract's evaluation, computed from its action plan (nothing here is stored).

Per action: its state, how many of its indicators reached their target, the coordinator's
assessment (``EvaluationAction``) or, before it is written, what the carrier proposed in the
last yearly review. Per axis and for the CLS: actions by state, indicator attainment; for the
CLS: money by funder and year (requested, committed = granted or paid, paid), spending by year,
issues of the diagnostic covered by at least one action or not.

An indicator "reaches its target" when its last measure (latest year, then period) is at or
beyond the target, in the direction going from its baseline to its target
(``Indicateur.progress`` = 100). Without a target or a measure it is not assessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from actions.models import Depense, Etat, FicheAction, Financement, Indicateur, Stade, money_sum
from actions.services import plan_enjeux
from contracts.models import Cls
from evaluation.models import EvaluationAction
from steering.models import Poursuite, ReponseRevue

NO_STATE = "État non renseigné"
NO_AXIS = "Hors axe"


@dataclass
class Attainment:
    """Indicators assessed (with a target and a measure) and how many reached their target."""

    evalues: int = 0
    atteints: int = 0
    sans_mesure: int = 0

    def add(self, reached: bool | None) -> None:
        if reached is None:
            self.sans_mesure += 1
            return
        self.evalues += 1
        self.atteints += reached

    @property
    def part(self) -> int | None:
        """Share of assessed indicators reaching their target, in % (None when none is assessed)."""
        return round(self.atteints / self.evalues * 100) if self.evalues else None

    @property
    def text(self) -> str:
        if not self.evalues:
            return "aucun indicateur évaluable"
        return f"{self.atteints} sur {self.evalues} ({self.part} %)"


@dataclass
class IndicatorRow:
    indicateur: Indicateur
    annee: int | None
    valeur: Decimal | None
    atteint: bool | None  # None: no target or no measure


@dataclass
class ActionRow:
    fiche: FicheAction
    axe: str
    etat: str
    indicateurs: Attainment
    evaluation: EvaluationAction | None
    proposition: str  # what the carrier answered in the last review ("" when nothing)
    proposition_annee: int | None

    @property
    def a_poursuivre(self) -> bool:
        return self.evaluation.a_poursuivre if self.evaluation else False


@dataclass
class AxeRow:
    label: str
    actions: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    indicateurs: Attainment = field(default_factory=Attainment)


@dataclass
class MoneyRow:
    financeur: str
    annee: int
    sollicite: Decimal
    engage: Decimal
    verse: Decimal


@dataclass
class Figures:
    cls: Cls
    actions: list[ActionRow]
    states: list[str]  # the states present, in the order of ``Etat`` (columns of the by-axis table)
    by_state: list[tuple[str, int]]
    axes: list[AxeRow]
    indicateurs: list[IndicatorRow]
    attainment: Attainment
    money: list[MoneyRow]
    money_total: MoneyRow
    depenses: list[tuple[int, Decimal]]
    depenses_total: Decimal
    enjeux_couverts: list[tuple[str, int]]
    enjeux_non_couverts: list[str]

    @property
    def a_poursuivre(self) -> list[ActionRow]:
        return [row for row in self.actions if row.a_poursuivre]

    @property
    def evaluees(self) -> int:
        return sum(row.evaluation is not None for row in self.actions)


def last_measure(indicateur: Indicateur):
    """The latest measure (year, then period) among the prefetched ``mesures``, or None."""
    mesures = sorted(indicateur.mesures.all(), key=lambda m: (m.annee, m.periode))
    return mesures[-1] if mesures else None


def indicator_row(indicateur: Indicateur) -> IndicatorRow:
    mesure = last_measure(indicateur)
    value = mesure.value if mesure else None
    progress = indicateur.progress(value)
    return IndicatorRow(
        indicateur, mesure.annee if mesure else None, value, None if progress is None else progress == 100
    )


def last_proposals(cls: Cls) -> dict[int, tuple[str, int]]:
    """Per fiche, the continuation the carrier proposed in its latest review answer: (poursuite, year)."""
    answers = (
        ReponseRevue.objects.filter(fiche__cls=cls)
        .exclude(poursuite="")
        .order_by("fiche_id", "-campagne__annee")
        .values_list("fiche_id", "poursuite", "campagne__annee")
    )
    proposals: dict[int, tuple[str, int]] = {}
    for fiche_id, poursuite, annee in answers:
        proposals.setdefault(fiche_id, (poursuite, annee))
    return proposals


def proposed_continuation(fiche: FicheAction) -> bool | None:
    """Whether the latest review answer for ``fiche`` proposed to continue it (None: no answer)."""
    proposal = ReponseRevue.objects.filter(fiche=fiche).exclude(poursuite="").order_by("-campagne__annee").first()
    return None if proposal is None else proposal.poursuite != Poursuite.NON


def _axe_label(fiche: FicheAction) -> str:
    return str(fiche.axe) if fiche.axe else NO_AXIS


def cls_figures(cls: Cls) -> Figures:
    fiches = list(
        FicheAction.objects.filter(cls=cls)
        .select_related("axe", "porteur", "evaluation")
        .prefetch_related(
            Prefetch("indicateurs", queryset=Indicateur.objects.select_related("fiche").prefetch_related("mesures"))
        )
    )
    labels = dict(Etat.choices)
    proposals = last_proposals(cls)
    poursuite_labels = dict(Poursuite.choices)
    axes: dict[str, AxeRow] = {}
    for axe in cls.axes.all():
        axes[str(axe)] = AxeRow(str(axe))
    total = Attainment()
    actions, indicateurs, by_state = [], [], {}
    for fiche in fiches:
        etat = labels.get(fiche.etat, NO_STATE)
        axe = axes.setdefault(_axe_label(fiche), AxeRow(_axe_label(fiche)))
        axe.actions += 1
        axe.by_state[etat] = axe.by_state.get(etat, 0) + 1
        by_state[etat] = by_state.get(etat, 0) + 1
        own = Attainment()
        for indicateur in fiche.indicateurs.all():
            row = indicator_row(indicateur)
            indicateurs.append(row)
            for attainment in (own, axe.indicateurs, total):
                attainment.add(row.atteint)
        evaluation = getattr(fiche, "evaluation", None)
        poursuite, annee = proposals.get(fiche.pk, ("", None))
        actions.append(
            ActionRow(fiche, _axe_label(fiche), etat, own, evaluation, poursuite_labels.get(poursuite, ""), annee)
        )
    order = [*labels.values(), NO_STATE]
    states = [label for label in order if label in by_state]

    money_rows = [
        MoneyRow(row["financeur__nom"], row["annee"], row["sollicite"], row["engage"], row["verse"])
        for row in Financement.objects.filter(fiche__cls=cls)
        .order_by()
        .values("financeur__nom", "annee")
        .annotate(
            sollicite=money_sum("montant", stade=Stade.SOLLICITE),
            engage=money_sum("montant", stade__in=[Stade.ACQUIS, Stade.VERSE]),
            verse=money_sum("montant", stade=Stade.VERSE),
        )
        .order_by("financeur__nom", "annee")
    ]
    money_total = MoneyRow(
        "Total",
        0,
        sum((r.sollicite for r in money_rows), Decimal("0.00")),
        sum((r.engage for r in money_rows), Decimal("0.00")),
        sum((r.verse for r in money_rows), Decimal("0.00")),
    )
    depenses = [(row["annee"], row["total"]) for row in Depense.objects.filter(fiche__cls=cls).totals_by("annee")]
    enjeux = plan_enjeux(cls)
    return Figures(
        cls=cls,
        actions=actions,
        states=states,
        by_state=[(label, by_state[label]) for label in states],
        axes=list(axes.values()),
        indicateurs=indicateurs,
        attainment=total,
        money=money_rows,
        money_total=money_total,
        depenses=depenses,
        depenses_total=sum((amount for _, amount in depenses), Decimal("0.00")),
        enjeux_couverts=[(e.titre, e.nb_actions) for e in enjeux["enjeux"] if e.nb_actions],
        enjeux_non_couverts=[e.titre for e in enjeux["sans_action"]],
    )
