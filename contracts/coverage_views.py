"""Public coverage pages and API: region, department, JSON."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page

from contracts.coverage import coverage_by_departement, departement_coverage, region_coverage
from contracts.geojson import COVERAGE_CLASSES, NO_COVERAGE, departement_map_geojson, map_entries, region_map_geojson
from contracts.lifecycle import etat_at
from contracts.models import Cls
from core.dates import InvalidDate, parse_as_of
from territories.models import Departement, Region


def _as_of(request):
    """(date, error message) from ``?date=``; today when absent or invalid."""
    try:
        return parse_as_of(request.GET.get("date")), None
    except InvalidDate as error:
        return parse_as_of(None), str(error)


@login_not_required
def home(request):
    return redirect("region_detail", code=settings.HOME_REGION_CODE)


@login_not_required
def region_detail(request, code):
    region = get_object_or_404(Region, code=code)
    day, date_error = _as_of(request)
    rows = coverage_by_departement(day, departements=region.departements.all())
    return render(
        request,
        "contracts/region_detail.html",
        {
            "title": f"Couverture en contrats locaux de santé — {region}",
            "nav": "couverture",
            "region": region,
            "day": day,
            "date_error": date_error,
            "coverage": region_coverage(region, day),
            "rows": rows,
            "classes": COVERAGE_CLASSES,
            "no_coverage": NO_COVERAGE,
            "geojson_url": reverse("region_map", args=[region.code]) + f"?date={day.isoformat()}",
        },
    )


@login_not_required
@gzip_page
def region_map(request, code):
    region = get_object_or_404(Region, code=code)
    day, _error = _as_of(request)
    rates = {row.code: float(row.taux_en_vigueur) for row in coverage_by_departement(day, region.departements.all())}
    return JsonResponse(region_map_geojson(region, rates))


@login_not_required
def departement_detail(request, code):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    day, date_error = _as_of(request)
    entries = map_entries(departement, day)
    clss = (
        Cls.objects.filter(departement=departement)
        .select_related("porteur_commune", "porteur_epci", "porteur_groupement")
        .with_perimeter_totals()
        .order_by("nom", "generation")
    )
    rows = [(cls, etat_at(cls, day)) for cls in clss]
    return render(
        request,
        "contracts/departement_detail.html",
        {
            "title": f"Contrats locaux de santé — {departement.nom}",
            "nav": "couverture",
            "departement": departement,
            "day": day,
            "date_error": date_error,
            "coverage": departement_coverage(departement, day),
            "entries": entries,
            "rows": [(cls, etat) for cls, etat in rows if etat is not None],
            "geojson_url": reverse("departement_map", args=[departement.code]) + f"?date={day.isoformat()}",
            "api_url": reverse("api_departement_coverage", args=[departement.code]) + f"?date={day.isoformat()}",
            "breadcrumb_links": [
                {"url": reverse("region_detail", args=[departement.region.code]), "title": departement.region.nom}
            ],
            "breadcrumb_current": departement.nom,
        },
    )


@login_not_required
@gzip_page
def departement_map(request, code):
    departement = get_object_or_404(Departement, code=code)
    day, _error = _as_of(request)
    return JsonResponse(departement_map_geojson(departement, day))


@login_not_required
def api_departement_coverage(request, code):
    departement = Departement.objects.filter(code=code).first()
    if departement is None:
        return JsonResponse(
            {"erreur": f"Département « {code} » inconnu."}, status=404, json_dumps_params={"ensure_ascii": False}
        )
    try:
        day = parse_as_of(request.GET.get("date"))
    except InvalidDate as error:
        return JsonResponse({"erreur": str(error)}, status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(departement_coverage(departement, day).as_json(), json_dumps_params={"ensure_ascii": False})
