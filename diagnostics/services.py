"""Writes of the diagnostic: derived indicators, qualitative inputs and issues."""

from __future__ import annotations

from django.db import transaction

from core.concurrency import save_if_current
from diagnostics.aggregation import values_changed
from diagnostics.geometry import area_km2
from diagnostics.models import ApportQualitatif, Enjeu, Indicateur, Niveau, Statut, Valeur
from territories.models import CommuneContour

BATCH = 2000


@transaction.atomic
def compute_surfaces() -> tuple[int, int]:
    """Indicator « superficie » of each commune from its contour (see ``diagnostics.geometry``).

    Returns (created, updated); a second run changes nothing.
    """
    indicator = Indicateur.objects.filter(code="superficie").first()
    if indicator is None:
        return 0, 0
    existing = {
        v.commune_id: v
        for v in Valeur.objects.filter(indicateur=indicator, niveau=Niveau.COMMUNE, annee=indicator.millesime)
    }
    to_create, to_update = [], []
    for commune_id, code, geojson in CommuneContour.objects.values_list("commune_id", "commune__code", "geojson"):
        area = round(area_km2(geojson), 4)
        current = existing.get(commune_id)
        if current is None:
            to_create.append(
                Valeur(
                    indicateur=indicator,
                    niveau=Niveau.COMMUNE,
                    code=code,
                    commune_id=commune_id,
                    annee=indicator.millesime,
                    valeur=area,
                    statut=Statut.PUBLIEE,
                )
            )
        elif current.valeur != area:
            current.valeur = area
            to_update.append(current)
    Valeur.objects.bulk_create(to_create, batch_size=BATCH)
    Valeur.objects.bulk_update(to_update, ["valeur"], batch_size=BATCH)
    if to_create or to_update:
        values_changed([indicator.pk])
    return len(to_create), len(to_update)


def save_apport(apport: ApportQualitatif, *, read_version: int | None) -> ApportQualitatif:
    apport.full_clean()
    if apport.pk is None:
        apport.save()
    else:
        save_if_current(apport, read_version=read_version or 0)
    return apport


def save_enjeu(enjeu: Enjeu, *, read_version: int | None, indicateurs=None, apports=None) -> Enjeu:
    with transaction.atomic():
        enjeu.full_clean()
        if enjeu.pk is None:
            enjeu.save()
        else:
            save_if_current(enjeu, read_version=read_version or 0)
        if indicateurs is not None:
            enjeu.indicateurs.set(indicateurs)
        if apports is not None:
            enjeu.apports.set([a for a in apports if a.cls_id == enjeu.cls_id])
    return enjeu
