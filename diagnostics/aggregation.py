"""Indicator values for any set of communes, by each indicator's aggregation rule.

The database sums the communes' values (one grouped query for all indicators); the rule then
combines the sums: a sum of counts, a ratio of sums (never a mean of commune rates), a mean
weighted by another indicator (APL: by standardised population). ``finalize`` is shared by the
SQL path and the pure-Python path the extract command uses for department, region and France
values, so that they are computed the same way.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from diagnostics.models import Agregation, Indicateur, Niveau, Statut, Valeur
from territories.models import Commune


@dataclass(slots=True)
class Parts:
    """Sums over a set of communes for one base indicator."""

    total: float = 0.0
    weighted: float = 0.0
    weights: float = 0.0
    count: int = 0
    secret: int = 0
    single: float | None = None  # the value when exactly one commune has one

    def add(self, value: float | None, weight: float | None = None, statut: str = Statut.PUBLIEE):
        if statut == Statut.SECRET:
            self.secret += 1
        if value is None or statut != Statut.PUBLIEE:
            return
        self.total += value
        self.count += 1
        self.single = value if self.count == 1 else None
        if weight is not None:
            self.weighted += value * weight
            self.weights += weight


@dataclass(slots=True)
class Figure:
    value: float | None
    communes: int = 0  # communes with a value
    secret: int = 0  # communes under statistical secrecy
    stored: bool = False  # read as published for the territory, not computed from its communes
    reason: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None


def base_indicators(indicateur: Indicateur) -> list[int]:
    if indicateur.agregation == Agregation.RATIO:
        return [indicateur.numerateur_id, indicateur.denominateur_id]
    return [indicateur.pk]


NO_PARTS = Parts()  # read only: what ``finalize`` sees for a base indicator without any value


def finalize(indicateur: Indicateur, parts: dict[int, Parts]) -> Figure:
    """Combine the sums of the base indicators into the indicator's value for the set."""
    rule = indicateur.agregation
    own = parts.get(indicateur.id, NO_PARTS)
    if rule == Agregation.SOMME:
        return Figure(own.total if own.count else None, own.count, own.secret, reason=_no_data(own))
    if rule == Agregation.MOYENNE_PONDEREE:
        if not own.weights:
            return Figure(None, own.count, own.secret, reason=_no_data(own))
        return Figure(own.weighted / own.weights, own.count, own.secret)
    if rule == Agregation.RATIO:
        num = parts.get(indicateur.numerateur_id, NO_PARTS)
        den = parts.get(indicateur.denominateur_id, NO_PARTS)
        if not num.count or not den.total:
            return Figure(None, num.count, num.secret, reason=_no_data(num))
        return Figure(num.total / den.total * float(indicateur.facteur), min(num.count, den.count), num.secret)
    # Not aggregable: only a value published for a single commune can be shown.
    if own.count == 1 and own.secret == 0:
        return Figure(own.single, 1)
    if own.secret:
        reason = (
            f"Non calculable : l'INSEE ne publie pas les effectifs qui permettraient de l'agréger, et la valeur "
            f"est couverte par le secret statistique pour {own.secret} commune{'s' if own.secret > 1 else ''}"
            f" ; publiée pour {own.count}."
        )
    elif own.count:
        reason = f"Non calculable pour un ensemble : valeur publiée commune par commune ({own.count} communes)."
    else:
        reason = "Non disponible à ce niveau."
    return Figure(None, own.count, own.secret, reason=reason)


def _no_data(parts: Parts) -> str:
    if parts.secret and not parts.count:
        return "Secret statistique pour toutes les communes."
    return "" if parts.count else "Aucune valeur pour ces communes."


def _parts_rows(rows) -> dict:
    parts: dict = defaultdict(Parts)
    for row in rows:
        p = parts[row["key"], row["indicateur_id"]]
        p.total, p.count, p.secret = row["total"] or 0.0, row["n"], row["n_secret"]
        p.weighted, p.weights = row["wsum"] or 0.0, row["wtot"] or 0.0
        p.single = row["total"] if row["n"] == 1 else None
    return parts


def _grouped_parts(indicateurs, communes, group: str | None):
    """{(group key, base indicator id): Parts} for the communes' current values, in one query."""
    base_ids = {pk for ind in indicateurs for pk in base_indicators(ind)}
    published = Q(statut=Statut.PUBLIEE, valeur__isnull=False)
    rows = (
        Valeur.objects.current()
        .filter(niveau=Niveau.COMMUNE, commune__in=communes, indicateur_id__in=base_ids)
        .values("indicateur_id", key=F(group) if group else F("niveau"))
        .annotate(
            total=Sum("valeur", filter=published),
            n=Count("id", filter=published),
            n_secret=Count("id", filter=Q(statut=Statut.SECRET)),
            wsum=Sum(F("valeur") * F("poids"), filter=published),
            wtot=Sum("poids", filter=published),
        )
        .order_by()
    )
    return _parts_rows(rows)


def aggregate(indicateurs: list[Indicateur], communes) -> dict[str, Figure]:
    """Each indicator's value for the set of communes (a queryset or a list of ids), one query."""
    parts = _grouped_parts(indicateurs, communes, None)
    by_base = {pk: p for (_key, pk), p in parts.items()}
    return {ind.code: finalize(ind, by_base) for ind in indicateurs}


def aggregate_by(indicateurs: list[Indicateur], communes, group: str) -> dict:
    """{group key: {code: Figure}}, e.g. ``group="commune__epcis"`` for each EPCI, one query."""
    parts = _grouped_parts(indicateurs, communes, group)
    keyed: dict = defaultdict(dict)
    for (key, pk), p in parts.items():
        keyed[key][pk] = p
    return {key: {ind.code: finalize(ind, base) for ind in indicateurs} for key, base in keyed.items()}


def commune_figures(indicateurs: list[Indicateur], communes) -> dict[int, dict[str, Figure]]:
    """{commune id: {code: Figure}}: what ``aggregate_by(…, "commune_id")`` gives, in one query without GROUP BY.

    A commune has one value per indicator and vintage, so its rows are read as they are and
    added up in Python (``Parts.add``, the rule of the SQL sums): three times faster for the
    thousands of communes of a region.
    """
    base_ids = {pk for ind in indicateurs for pk in base_indicators(ind)}
    rows = (
        Valeur.objects.current()
        .filter(niveau=Niveau.COMMUNE, commune__in=communes, indicateur_id__in=base_ids)
        .values_list("commune_id", "indicateur_id", "valeur", "poids", "statut")
        .order_by()
    )
    keyed: dict = defaultdict(dict)
    for commune_id, indicateur_id, value, weight, statut in rows:
        base = keyed[commune_id]
        parts = base.get(indicateur_id)
        if parts is None:
            parts = base[indicateur_id] = Parts()
        parts.add(value, weight, statut)
    return {key: {ind.code: finalize(ind, base) for ind in indicateurs} for key, base in keyed.items()}


def stored_values(indicateurs: list[Indicateur], territories: list[tuple[str, str]]) -> dict:
    """Published or secret values stored for (niveau, code) territories: {(niveau, code, ind code): Figure}."""
    if not territories:
        return {}
    where = Q()
    for niveau, code in territories:
        where |= Q(niveau=niveau, code=code)
    found = {}
    rows = (
        Valeur.objects.current()
        .filter(where, indicateur__in=indicateurs)
        .values_list("niveau", "code", "indicateur__code", "valeur", "statut")
    )
    for niveau, code, ind_code, value, statut in rows:
        if statut == Statut.PUBLIEE and value is not None:
            found[niveau, code, ind_code] = Figure(value, stored=True)
        else:
            reason = "Secret statistique." if statut == Statut.SECRET else "Non disponible."
            found[niveau, code, ind_code] = Figure(None, stored=True, reason=reason)
    return found


# ---------------------------------------------------------------------------
# Cached figures. A perimeter's, a department's, a region's or its EPCIs' figures are computed from
# thousands of commune values (the same for every CLS of a department or region) and change only
# on an import of values or territories, or, for a perimeter, when its communes change: they are
# kept in Django's cache under keys that say so (``data_version``, ``perimeter_key``).

CACHE_SECONDS = 24 * 3600


def values_changed(indicator_ids) -> None:
    """Record that values of these indicators were written: figures cached from them are stale.

    Every write of values (imports, weights, surfaces) calls it; ``data_version`` reads the mark.
    """
    if indicator_ids:
        Indicateur.objects.filter(pk__in=set(indicator_ids)).update(updated_at=timezone.now())


def data_version() -> str:
    """A key part that changes whenever a figure computed from commune values may change (two queries).

    The catalogue: an indicator added, removed or edited, or its values written (``values_changed``);
    the communes' EPCIs and, through them, new or merged communes (territories import): a fingerprint
    of the membership table.
    """
    catalogue = Indicateur.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    memberships = Commune.epcis.through.objects.aggregate(n=Count("id"), links=Sum(F("commune_id") * F("epci_id")))
    return hashlib.sha1(repr((catalogue, memberships)).encode(), usedforsecurity=False).hexdigest()


def perimeter_key(cls) -> str:
    """A CLS and its set of communes, for the keys of figures cached for its perimeter (one query)."""
    links = cls.communes.through.objects.filter(cls=cls).aggregate(
        n=Count("id"), total=Sum("commune_id"), squares=Sum(F("commune_id") * F("commune_id"))
    )
    return f"{cls.pk}:{links['n']}:{links['total']}:{links['squares']}"


def cached(key: str, version: str, compute: Callable):
    """``compute()``, or its result kept under ``key`` for this ``version`` of the data."""
    key = "diagnostics:" + hashlib.sha1(f"{key}:{version}".encode(), usedforsecurity=False).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def python_parts(indicateurs: list[Indicateur], values: dict[str, dict[str, tuple]]) -> dict[int, Parts]:
    """Parts from in-memory commune values {indicator code: {commune code: (value, weight, statut)}}."""
    parts: dict[int, Parts] = {}
    by_code = {ind.code: ind for ind in indicateurs}
    for code, per_commune in values.items():
        ind = by_code.get(code)
        if ind is None:
            continue
        p = parts.setdefault(ind.pk, Parts())
        for value, weight, statut in per_commune.values():
            p.add(value, weight, statut)
    return parts
