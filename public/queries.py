"""What the public pages and the flyer show: public records only (see ``public.fields``).

The templates of the public pages receive these dicts, never model instances, so that a private
field cannot be shown by mistake.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import Max
from django.utils import timezone

from actions.models import FicheAction
from contracts.lifecycle import Etat
from contracts.models import Axe, Cls, Signataire
from contracts.palette import colour_for
from public.fields import DATASETS, PublicContext
from public.opendata import public_cls_queryset, public_fiche_queryset, rows
from public.perimeters import perimeter_shapes, perimeters_feature_collection
from territories.models import Departement, Region

BADGES = {
    Etat.EN_VIGUEUR.label: "fr-badge--success",
    Etat.ECHU.label: "fr-badge--error",
    Etat.ABANDONNE.label: "fr-badge--error",
    Etat.PREFIGURATION.label: "fr-badge--info",
    Etat.ELABORATION.label: "fr-badge--info",
    Etat.SIGNE.label: "fr-badge--info",
}
FICHES_PER_PAGE = 50
ON_MAP = {Etat.EN_VIGUEUR.label, Etat.PREFIGURATION.label, Etat.ELABORATION.label, Etat.SIGNE.label}


def badge_class(etat_label: str | None) -> str:
    return BADGES.get(etat_label, "")


def region_records(region: Region, context: PublicContext) -> list[dict]:
    clss = public_cls_queryset().filter(departement__region=region).order_by("departement__code", "nom", "generation")
    return rows(DATASETS["contrats"], clss, context)


@dataclass
class LegendEntry:
    record: dict
    couleur: str


def map_legend(records: list[dict]) -> list[LegendEntry]:
    """The CLS drawn on the region map (in force or in preparation today), with their colour."""
    drawn = sorted((r for r in records if r["etat"] in ON_MAP), key=lambda r: (r["nom"], r["id"]))
    return [LegendEntry(record, colour_for(index)) for index, record in enumerate(drawn)]


def region_map_geojson(region: Region, context: PublicContext) -> dict:
    """Departments as background, then the perimeter of each CLS of the legend."""
    legend = map_legend(region_records(region, context))
    colours = {entry.record["id"]: entry.couleur for entry in legend}
    shapes = perimeter_shapes(colours)
    perimeters = perimeters_feature_collection(
        [entry.record for entry in legend],
        shapes,
        lambda r: {
            "couleur": colours[r["id"]],
            "etiquette": f"{r['nom']} (CLS {r['generation']}) — {r['etat'].lower()}",
        },
    )
    background = [
        {"type": "Feature", "geometry": dep.contour.geojson, "properties": {"fond": True}}
        for dep in Departement.objects.filter(region=region, contour__isnull=False).select_related("contour")
    ]
    return {"type": "FeatureCollection", "features": background + perimeters["features"]}


def cls_record(cls_pk: int, context: PublicContext) -> dict | None:
    found = rows(DATASETS["contrats"], public_cls_queryset().filter(pk=cls_pk), context)
    return found[0] if found else None


def by_axe(records: list[dict]) -> list[tuple[str, list[dict]]]:
    """Records of fiches (in the plan's order) grouped by axis."""
    return [(axe or "Hors axe", list(group)) for axe, group in groupby(records, key=lambda r: r["axe"])]


def fiche_page(cls_pk: int, context: PublicContext, number: str | None) -> tuple[Page, list[tuple[str, list[dict]]]]:
    """One page of the CLS's fiches (``FICHES_PER_PAGE``, in the plan's order; ``number`` may be "last"),
    and its public records grouped by axis: a constant number of queries, whatever the plan's size."""
    paginator = Paginator(public_fiche_queryset().filter(cls_id=cls_pk), FICHES_PER_PAGE)
    page = paginator.get_page(paginator.num_pages if number == "last" else number)
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, by_axe(rows(DATASETS["actions"], page.object_list, context))


def first_fiches(cls_pk: int, context: PublicContext, count: int) -> tuple[list[dict], int]:
    """The public records of the CLS's ``count`` first fiches, and how many fiches it has."""
    fiches = public_fiche_queryset().filter(cls_id=cls_pk)
    return rows(DATASETS["actions"], fiches[:count], context), fiches.count()


def last_update(cls_pk: int) -> datetime.date:
    """Latest change to the contract, its axes, signatories or fiches actions."""
    dates = [
        model.objects.filter(**{key: cls_pk}).aggregate(last=Max("updated_at"))["last"]
        for model, key in ((Cls, "pk"), (Axe, "cls_id"), (Signataire, "cls_id"), (FicheAction, "cls_id"))
    ]
    return timezone.localdate(max(d for d in dates if d))
