"""Screens of the territorial diagnostic: CLS profile, qualitative inputs, issues, white zones."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.gzip import gzip_page

from contracts.coverage import departement_coverage, region_coverage
from contracts.models import Cls
from core.concurrency import StaleVersionError
from core.dates import InvalidDate, parse_as_of
from core.tabular import CsvWriter
from diagnostics import documents, queries, services
from diagnostics.forms import ApportForm, EnjeuForm, IndicateurChoiceForm
from diagnostics.models import Agregation, ApportQualitatif, Enjeu, Indicateur
from territories.models import Commune, Departement, Region

DEFAULT_MAP_INDICATOR = "apl_mg"


def _visible_cls(request, pk) -> Cls:
    return get_object_or_404(Cls.objects.for_user(request.user).select_related("departement__region"), pk=pk)


def _editable_cls(request, pk) -> Cls:
    cls = _visible_cls(request, pk)
    if not cls.can_edit(request.user):
        raise PermissionDenied("Seuls la coordination de ce CLS et l'ARS modifient son diagnostic.")
    return cls


def _breadcrumb(cls: Cls, diagnostic: bool = False) -> list[dict]:
    links = [
        {"url": reverse("cls_list"), "title": "Contrats locaux de santé"},
        {"url": reverse("cls_detail", args=[cls.pk]), "title": str(cls)},
    ]
    if diagnostic:
        links.append({"url": reverse("diagnostic", args=[cls.pk]), "title": "Diagnostic"})
    return links


def _map_indicator(request, indicateurs) -> tuple[Indicateur, IndicateurChoiceForm]:
    mappable = [ind for ind in indicateurs if ind.agregation != Agregation.SOMME or ind.code == "population_2021"]
    choices = [(ind.code, ind.libelle) for ind in mappable]
    form = IndicateurChoiceForm(request.GET or None, choices=choices)
    code = DEFAULT_MAP_INDICATOR
    if form.is_valid() and form.cleaned_data["indicateur"]:
        code = form.cleaned_data["indicateur"]
    by_code = {ind.code: ind for ind in mappable}
    chosen = by_code.get(code) or (mappable[0] if mappable else None)
    if chosen is not None:
        form.initial["indicateur"] = chosen.code
    return chosen, form


def diagnostic(request, pk):
    cls = _visible_cls(request, pk)
    indicateurs = queries.catalogue()
    profile = queries.perimeter_profile(cls, indicateurs)
    indicateur, choice_form = _map_indicator(request, indicateurs)
    map_rows, classes = queries.perimeter_map(cls, indicateur, profile.version) if indicateur else ([], [])
    published = [row.indicateur for row in profile.publiees]
    published_rows = queries.published_commune_values(cls, published) if published else []
    peer_indicators, peers = queries.peers(cls, profile)
    today = timezone.localdate()
    enjeux, sans_action = queries.enjeux_with_actions(cls)
    return render(
        request,
        "diagnostics/diagnostic.html",
        {
            "title": f"Diagnostic — {cls.nom}",
            "nav": "cls",
            "cls": cls,
            "profile": profile,
            "indicateur": indicateur,
            "choice_form": choice_form,
            "map_rows": queries.map_table_rows(map_rows),
            "classes": classes,
            "publiees": queries.published_table_rows(published_rows),
            "nb_publiees": len(published_rows),
            "publiees_indicateurs": published,
            "chart": queries.comparison_chart(profile),
            "hopitaux": [queries.hospital_label(hospital) for hospital in queries.perimeter_hospitals(cls)],
            "pairs": peers,
            "pairs_indicateurs": peer_indicators,
            "perimetre_textes": [profile.row(ind.code).perimetre_text for ind in peer_indicators],
            "couverture": [
                departement_coverage(cls.departement, today),
                region_coverage(cls.departement.region, today),
            ],
            "today": today,
            "apports": cls.apports_qualitatifs.all(),
            "enjeux": enjeux,
            "enjeux_sans_action": sans_action,
            "offre": queries.care_offer(cls, today),
            "can_edit": cls.can_edit(request.user),
            "breadcrumb_links": _breadcrumb(cls),
            "breadcrumb_current": "Diagnostic",
        },
    )


def diagnostic_document(request, pk, fmt):
    """The diagnostic as DOCX or PDF, for whoever may read the page."""
    cls = _visible_cls(request, pk)
    content = documents.diagnostic_content(cls, timezone.localdate())
    if fmt == "docx":
        body = documents.diagnostic_docx(content)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body = documents.diagnostic_pdf(content)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{content.filename}.{fmt}"'
    return response


@gzip_page
def diagnostic_map(request, pk):
    cls = _visible_cls(request, pk)
    indicateur, _form = _map_indicator(request, queries.catalogue())
    if indicateur is None:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    return HttpResponse(queries.perimeter_map_geojson(cls, indicateur), content_type="application/json")


def _edit(request, cls, instance, form_class, kind: str, form_kwargs=None):
    form = form_class(request.POST or None, instance=instance, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                obj = form.save(commit=False)
                obj.cls = cls
                version = form.cleaned_data.get("version")
                if isinstance(obj, Enjeu):
                    services.save_enjeu(
                        obj,
                        read_version=version,
                        indicateurs=form.cleaned_data["indicateurs"],
                        apports=form.cleaned_data["apports"],
                    )
                else:
                    services.save_apport(obj, read_version=version)
        except StaleVersionError as error:
            form.add_error(None, error)
        except ValidationError as error:  # a rule only the service sees (the same title twice in the CLS)
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(reverse("diagnostic", args=[cls.pk]) + ("#enjeux" if kind == "enjeu" else "#apports"))
    labels = {"enjeu": ("un enjeu", "l'enjeu"), "apport": ("un apport qualitatif", "l'apport qualitatif")}
    title = f"Modifier {labels[kind][1]}" if instance.pk else f"Ajouter {labels[kind][0]}"
    return render(
        request,
        "form_page.html",
        {
            "title": f"{title} — {cls.nom}",
            "heading": title,
            "intro": cls,
            "cancel_url": reverse("diagnostic", args=[cls.pk]),
            "nav": "cls",
            "cls": cls,
            "form": form,
            "breadcrumb_links": _breadcrumb(cls, diagnostic=True),
            "breadcrumb_current": title,
        },
    )


def apport_edit(request, pk, apport_pk=None):
    cls = _editable_cls(request, pk)
    apport = get_object_or_404(cls.apports_qualitatifs, pk=apport_pk) if apport_pk else ApportQualitatif(cls=cls)
    return _edit(request, cls, apport, ApportForm, "apport")


def enjeu_edit(request, pk, enjeu_pk=None):
    cls = _editable_cls(request, pk)
    enjeu = get_object_or_404(cls.enjeux, pk=enjeu_pk) if enjeu_pk else Enjeu(cls=cls)
    return _edit(request, cls, enjeu, EnjeuForm, "enjeu", form_kwargs={"cls": cls})


# ---------------------------------------------------------------------------
# White zones


def _day(request) -> datetime.date:
    """``?date=``; a malformed date falls back to today."""
    try:
        return parse_as_of(request.GET.get("date"))
    except InvalidDate:
        return timezone.localdate()


def _white_zones(request, *, departement=None, region=None, geojson=False):
    communes = Commune.objects.filter(queries.scope_filter(departement, region))
    day = _day(request)
    weights = queries.parse_weights(request.GET)
    scope_key = f"departement:{departement.pk}" if departement else f"region:{region.pk}"
    zones = queries.white_zones(communes, day, weights, scope_key=scope_key)
    name = str(departement) if departement else region.nom
    if geojson:
        return HttpResponse(queries.white_zone_geojson(communes, zones), content_type="application/json")
    if request.GET.get("format") == "csv":
        return _white_zones_csv(zones, name)
    return render(
        request,
        "diagnostics/zones_blanches.html",
        {
            "title": f"Zones blanches — {name}",
            "nav": "couverture",
            "territoire": name,
            "zones": zones,
            "champs_poids": [(ind, weights.get(ind.code, 0)) for ind in queries.need_indicators()],
            "query": request.GET.urlencode(),
            "breadcrumb_links": [
                {
                    "url": reverse("departement_detail", args=[departement.code])
                    if departement
                    else reverse("region_detail", args=[region.code]),
                    "title": name,
                }
            ],
            "breadcrumb_current": "Zones blanches",
        },
    )


def _white_zones_csv(zones, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"zones-blanches-{zones.day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = CsvWriter(response, delimiter=";")
    codes = [ind.code for ind, _w in zones.criteres]
    writer.writerow(
        ["rang", "niveau", "code", "nom", "population", "score"] + codes + [f"contribution_{c}" for c in codes]
    )
    for level, items in (("commune", zones.communes), ("epci", zones.epcis)):
        for rank, item in enumerate(items, start=1):
            values = [item.valeurs.get(c).value if item.valeurs.get(c) else "" for c in codes]
            contributions = [round(item.contributions.get(c, 0), 4) for c in codes]
            writer.writerow(
                [rank, level, item.code, item.nom, item.population, round(item.score, 4), *values, *contributions]
            )
    return response


def departement_white_zones(request, code):
    return _white_zones(request, departement=get_object_or_404(Departement.objects.select_related("region"), code=code))


def region_white_zones(request, code):
    return _white_zones(request, region=get_object_or_404(Region, code=code))


@gzip_page
def departement_white_zones_map(request, code):
    departement = get_object_or_404(Departement, code=code)
    return _white_zones(request, departement=departement, geojson=True)


@gzip_page
def region_white_zones_map(request, code):
    return _white_zones(request, region=get_object_or_404(Region, code=code), geojson=True)
