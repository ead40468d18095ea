"""Screens of the care-offer registry.

Reading is public (``@login_not_required``): the registry holds names, places, opening
hours, public subsidies and counts already published by the ARS, nothing personal.
Creating, editing and importing are for ARS agents of the department (or its region).
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.gzip import gzip_page

from careoffer import queries, schedule, services, spreadsheet
from careoffer.forms import (
    ActiviteFormSet,
    AnneeScolaireFormSet,
    DispositifForm,
    ImportForm,
    StructureFilterForm,
    StructureForm,
    VersionForm,
)
from careoffer.history import dispositif_history, structure_history
from careoffer.models import (
    DISPOSITIF_SHORT,
    SHORT_LABELS,
    Dispositif,
    Jour,
    Structure,
    TypeDispositif,
    TypeStructure,
)
from contracts.models import Organisation, OrganisationType
from core.concurrency import StaleVersionError
from territories.models import Departement, Region
from territories.perms import can_manage_departement


def _filters(request) -> tuple[StructureFilterForm, datetime.date, str, str]:
    """(form, day, kind, state) from ``?date=&type=&etat=``; today and everything when absent or invalid."""
    form = StructureFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        return form, data["date"] or timezone.localdate(), data["type"], data["etat"]
    return form, timezone.localdate(), "", ""


def _departement_crumb(departement) -> list[dict]:
    return [
        {
            "url": reverse("careoffer_departement", args=[departement.code]),
            "title": f"Offre de soins — {departement.nom}",
        }
    ]


@login_not_required
def home(request):
    """Entry point of the « Offre de soins » menu: an ARS delegation's own department, else the region's page."""
    user = request.user
    if user.is_authenticated and user.departement_id:
        return redirect("careoffer_departement", code=user.departement.code)
    code = user.region.code if user.is_authenticated and user.region_id else settings.HOME_REGION_CODE
    return region_offer(request, code)


@login_not_required
def region_offer(request, code):
    region = get_object_or_404(Region, code=code)
    day = timezone.localdate()
    rows = queries.region_rows(region, day)
    return render(
        request,
        "careoffer/home.html",
        {
            "title": f"Offre de soins — {region.nom}",
            "nav": "offre",
            "region": region,
            "day": day,
            "rows": rows[:-1],
            "total": rows[-1],
            "kinds": [SHORT_LABELS[kind] for kind in TypeStructure.values],
            "scheme_kinds": [DISPOSITIF_SHORT[kind] for kind in TypeDispositif.values],
            "school_years": queries.region_school_year_rows(region),
        },
    )


@login_not_required
def departement_offer(request, code):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    form, day, kind, etat = _filters(request)
    query = request.GET.urlencode()
    return render(
        request,
        "careoffer/departement.html",
        {
            "title": f"Offre de soins — {departement.nom}",
            "nav": "offre",
            "departement": departement,
            "day": day,
            "form": form,
            "filtered": bool(kind or etat),
            "geojson_url": reverse("careoffer_map", args=[code]) + (f"?{query}" if query else ""),
            "can_manage": can_manage_departement(request.user, departement),
            "breadcrumb_links": [
                {
                    "url": reverse("careoffer_region", args=[departement.region.code]),
                    "title": f"Offre de soins — {departement.region.nom}",
                }
            ],
            "breadcrumb_current": departement.nom,
            **queries.departement_overview(departement, day=day, kind=kind, etat=etat),
        },
    )


@login_not_required
@gzip_page
def departement_map(request, code):
    departement = get_object_or_404(Departement, code=code)
    _form, day, kind, etat = _filters(request)
    return JsonResponse(queries.map_geojson(departement, day=day, kind=kind, etat=etat))


@login_not_required
def structure_detail(request, pk):
    structure = get_object_or_404(
        Structure.objects.for_user(request.user)
        .select_related("departement", "commune", "porteur")
        .prefetch_related("communes", "creneaux", "activites"),
        pk=pk,
    )
    now = timezone.now()
    day = timezone.localdate()
    context = {
        "title": f"{structure.type_court} — {structure.nom}",
        "nav": "offre",
        "structure": structure,
        "etat": structure.etat_at(day),
        "day": day,
        "cls_list": list(structure.cls_at(day).select_related("departement")),
        "alertes": structure.alertes_membres(),
        # Who changed what names people: shown to logged-in users only, the page itself is public.
        "history": structure_history(structure)[:30] if request.user.is_authenticated else None,
        "can_edit": structure.can_edit(request.user),
        "breadcrumb_links": _departement_crumb(structure.departement),
        "breadcrumb_current": structure.nom,
    }
    if structure.type == TypeStructure.MMG:
        slots = structure.slots()
        context |= {
            "timetable": _timetable(structure),
            "has_slots": bool(slots),
            "open_now": structure.is_open(now) if slots else None,
            "open_until": schedule.open_until(slots, now, departement_code=structure.departement.code),
            "next_opening": structure.next_opening(now) if slots else None,
        }
    return render(request, "careoffer/structure_detail.html", context)


def _timetable(structure) -> list[tuple[str, list]]:
    rows = []
    for value, label in Jour.choices:
        times = [c for c in structure.creneaux.all() if c.jour == value]
        if times:
            rows.append((label, times))
    return rows


@login_not_required
def dispositif_detail(request, pk):
    dispositif = get_object_or_404(
        Dispositif.objects.for_user(request.user)
        .select_related("departement", "commune", "porteur", "parrain")
        .prefetch_related("subventions__financeur", "annees_scolaires"),
        pk=pk,
    )
    return render(
        request,
        "careoffer/dispositif_detail.html",
        {
            "title": f"{dispositif.type_court} — {dispositif.nom}",
            "nav": "offre",
            "dispositif": dispositif,
            "can_edit": dispositif.can_edit(request.user),
            "history": dispositif_history(dispositif)[:30] if request.user.is_authenticated else None,
            "total_subventions": sum(s.montant for s in dispositif.subventions.all()),
            "breadcrumb_links": _departement_crumb(dispositif.departement),
            "breadcrumb_current": dispositif.nom,
        },
    )


def _structure_form(request, *, departement, structure=None):
    form = StructureForm(request.POST or None, instance=structure, departement=departement)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_structure(
                form.save(commit=False),
                read_version=form.cleaned_data["version"],
                communes=form.cleaned_data["territoire"],
                slots=form.cleaned_data["horaires"],
            )
        except ValidationError as error:  # StaleVersionError included
            form.add_error(None, error)
        else:
            messages.success(request, f"La structure « {saved.nom} » a été enregistrée.")
            return redirect("careoffer_structure", pk=saved.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": f"Modifier {structure}" if structure else f"Nouvelle structure — {departement.nom}",
            "nav": "offre",
            "form": form,
            "cancel_url": reverse("careoffer_structure", args=[structure.pk])
            if structure
            else reverse("careoffer_departement", args=[departement.code]),
            "breadcrumb_links": _departement_crumb(departement),
            "breadcrumb_current": "Modifier" if structure else "Nouvelle structure",
        },
    )


def structure_create(request, code):
    departement = get_object_or_404(Departement, code=code)
    if not can_manage_departement(request.user, departement):
        raise PermissionDenied("Seuls les agents de l'ARS du département enregistrent l'offre de soins.")
    return _structure_form(request, departement=departement)


def structure_edit(request, pk):
    structure = get_object_or_404(Structure.objects.select_related("departement", "commune"), pk=pk)
    if not structure.can_edit(request.user):
        raise PermissionDenied("Seuls les agents de l'ARS du département modifient cette structure.")
    return _structure_form(request, departement=structure.departement, structure=structure)


def _ars_funder():
    return Organisation.objects.filter(type=OrganisationType.ARS).order_by("pk").first()


def _dispositif_form(request, *, departement, dispositif=None):
    funder = _ars_funder()
    form = DispositifForm(request.POST or None, instance=dispositif, departement=departement, funder=funder)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_dispositif(
                form.save(commit=False),
                read_version=form.cleaned_data["version"],
                subsidies=form.cleaned_data["subventions_texte"],
                funder=funder,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Le dispositif « {saved.nom} » a été enregistré.")
            return redirect("careoffer_dispositif", pk=saved.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": f"Modifier {dispositif}"
            if dispositif
            else f"Nouveau dispositif médico-social — {departement.nom}",
            "nav": "offre",
            "form": form,
            "cancel_url": reverse("careoffer_dispositif", args=[dispositif.pk])
            if dispositif
            else reverse("careoffer_departement", args=[departement.code]),
            "breadcrumb_links": _departement_crumb(departement),
            "breadcrumb_current": "Modifier" if dispositif else "Nouveau dispositif",
        },
    )


def dispositif_create(request, code):
    departement = get_object_or_404(Departement, code=code)
    if not can_manage_departement(request.user, departement):
        raise PermissionDenied("Seuls les agents de l'ARS du département enregistrent les dispositifs médico-sociaux.")
    return _dispositif_form(request, departement=departement)


def dispositif_edit(request, pk):
    dispositif = get_object_or_404(Dispositif.objects.select_related("departement", "commune"), pk=pk)
    if not dispositif.can_edit(request.user):
        raise PermissionDenied("Seuls les agents de l'ARS du département modifient ce dispositif.")
    return _dispositif_form(request, departement=dispositif.departement, dispositif=dispositif)


def _rows_page(request, *, parent, formset_class, title, intro, row_label, done_url):
    """One page editing the rows of ``parent`` together, guarded by the parent's version."""
    prefix = "lignes"
    formset = formset_class(request.POST or None, instance=parent, prefix=prefix)
    version = VersionForm(request.POST or None, initial={"version": parent.version})
    stale = None
    if request.method == "POST" and formset.is_valid() and version.is_valid():
        saved = formset.save(commit=False)
        try:
            services.save_rows(
                parent, read_version=version.cleaned_data["version"], saved=saved, deleted=formset.deleted_objects
            )
        except StaleVersionError as error:
            stale = error.messages[0]
        except ValidationError as error:  # a row only the service sees twice (the same school year)
            stale = " ".join(error.messages)
        else:
            messages.success(request, f"{row_label[1]} de « {parent} » : modifications enregistrées.")
            return redirect(done_url)
    return render(
        request,
        "careoffer/rows_form.html",
        {
            "title": title,
            "nav": "offre",
            "intro": intro,
            "formset": formset,
            "version": version,
            "stale": stale,
            "row_label": row_label[0],
            "cancel_url": done_url,
            "breadcrumb_links": [
                *_departement_crumb(parent.departement),
                {"url": done_url, "title": parent.nom},
            ],
            "breadcrumb_current": row_label[1],
        },
    )


def structure_activity(request, pk):
    structure = get_object_or_404(Structure.objects.select_related("departement"), pk=pk, type=TypeStructure.MMG)
    if not structure.can_edit(request.user):
        raise PermissionDenied("Seuls les agents de l'ARS du département saisissent l'activité de cette structure.")
    return _rows_page(
        request,
        parent=structure,
        formset_class=ActiviteFormSet,
        title=f"Activité — {structure.nom}",
        intro="Une période par bloc : consultations par week-end en moyenne, parts orientées par le Centre 15 "
        "et par les urgences (en %). Cochez « Supprimer » pour retirer une période ; le dernier bloc, vide, "
        "sert à en ajouter une.",
        row_label=("Période", "Activité"),
        done_url=reverse("careoffer_structure", args=[structure.pk]),
    )


def dispositif_school_years(request, pk):
    dispositif = get_object_or_404(Dispositif.objects.select_related("departement"), pk=pk)
    if not dispositif.can_edit(request.user):
        raise PermissionDenied("Seuls les agents de l'ARS du département saisissent les années de ce dispositif.")
    return _rows_page(
        request,
        parent=dispositif,
        formset_class=AnneeScolaireFormSet,
        title=f"Années scolaires — {dispositif.nom}",
        intro="Une année scolaire par bloc, désignée par l'année de la rentrée (2023 pour 2023/2024) : enfants "
        "scolarisés et budget de l'année. Cochez « Supprimer » pour retirer une année ; le dernier bloc, vide, "
        "sert à en ajouter une.",
        row_label=("Année scolaire", "Années scolaires"),
        done_url=reverse("careoffer_dispositif", args=[dispositif.pk]),
    )


@login_not_required
def export(request, code, fmt):
    """The structures as CSV; as XLSX, the whole registry: sheets « Structures » and « Dispositifs »."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Formats proposés : CSV et XLSX.")
    departement = get_object_or_404(Departement, code=code)
    rows = spreadsheet.export_rows(departement)
    name = f"offre-de-soins-{departement.code}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        schemes = spreadsheet.scheme_rows(departement, funder=_ars_funder())
        return _download(spreadsheet.to_workbook([("Structures", rows), ("Dispositifs", schemes)]), f"{name}.xlsx")
    return _download(spreadsheet.to_csv(rows), f"{name}.csv")


@login_not_required
def export_schemes(request, code):
    """The medico-social schemes as CSV (a CSV file holds one table; the XLSX export holds both)."""
    departement = get_object_or_404(Departement, code=code)
    rows = spreadsheet.scheme_rows(departement, funder=_ars_funder())
    return _download(
        spreadsheet.to_csv(rows), f"dispositifs-medico-sociaux-{departement.code}-{timezone.localdate():%Y-%m-%d}.csv"
    )


def _download(content: bytes, filename: str) -> HttpResponse:
    if filename.endswith(".xlsx"):
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _read_upload(upload, departement) -> tuple[dict, list[str]]:
    """({"structures": records, "dispositifs": records}, errors) from every table of the uploaded file."""
    try:
        tables = spreadsheet.read_tables(upload.name, upload.read())
    except spreadsheet.FileError as error:
        return {}, [str(error)]
    parsed, errors, where_of = {}, [], {}
    for where, rows in tables:
        kind = spreadsheet.table_kind(rows)
        if kind in parsed:
            errors.append(f"{where} : une autre feuille ({where_of[kind]}) contient déjà les {kind} ; gardez-en une.")
            continue
        parse = spreadsheet.parse_dispositifs if kind == "dispositifs" else spreadsheet.parse_structures
        records, table_errors = parse(where, rows, departement=departement)
        parsed[kind], where_of[kind] = records, where
        errors += table_errors
    return parsed, errors


def import_view(request, code):
    departement = get_object_or_404(Departement, code=code)
    if not can_manage_departement(request.user, departement):
        raise PermissionDenied("Seuls les agents de l'ARS du département importent l'offre de soins.")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        parsed, errors = _read_upload(upload, departement)
        if not errors:
            try:
                reports = services.import_registry(
                    departement=departement,
                    structures=parsed.get("structures"),
                    dispositifs=parsed.get("dispositifs"),
                    funder=_ars_funder(),
                )
            except ValidationError as error:
                errors = [f"« {upload.name} » : {message}" for message in error.messages]
            else:
                messages.success(request, " ".join(report.summary() for report in reports))
                return redirect("careoffer_departement", code=departement.code)
    return render(
        request,
        "careoffer/import.html",
        {
            "title": f"Importer l'offre de soins — {departement.nom}",
            "nav": "offre",
            "form": form,
            "errors": errors,
            "departement": departement,
            "headers": spreadsheet.HEADERS,
            "scheme_headers": spreadsheet.SCHEME_HEADERS,
            "breadcrumb_links": _departement_crumb(departement),
            "breadcrumb_current": "Importer",
        },
    )
