"""Public pages (no login), the flyer, the open data downloads; and the form of the public contact."""

from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.gzip import gzip_page

from contracts import services
from contracts.geojson import cls_perimeter_geojson
from contracts.models import Cls
from core.concurrency import StaleVersionError
from public import opendata, queries
from public.fields import DATASETS, PublicContext
from public.flyer import FLYER_ACTIONS, flyer_pdf
from public.forms import ContactCoordinationForm
from public.perimeters import perimeter_shapes, perimeters_feature_collection
from territories.models import Region

JSON_OPTIONS = {"ensure_ascii": False}
# Open-data files are streamed, this many records at a time.
OPEN_DATA_CHUNK = 500
GEOJSON_PROPERTIES = ("id", "nom", "generation", "departement", "porteur", "population", "etat", "etat_au")


PK_SLOT = 987654321  # stands for a CLS id in the address of public pages, resolved once per request


def _context(request) -> PublicContext:
    prefix, suffix = request.build_absolute_uri(reverse("public_cls", args=[PK_SLOT])).rsplit(str(PK_SLOT), 1)
    return PublicContext(today=timezone.localdate(), page_url=lambda pk: f"{prefix}{pk}{suffix}")


def _home_breadcrumb(region: Region) -> list[dict]:
    return [{"url": reverse("public_region", args=[region.code]), "title": f"Les CLS — {region.nom}"}]


@login_not_required
def home(request):
    return redirect("public_region", code=settings.HOME_REGION_CODE)


@login_not_required
def region_page(request, code):
    region = get_object_or_404(Region, code=code)
    context = _context(request)
    records = queries.region_records(region, context)
    return render(
        request,
        "public/region.html",
        {
            "title": f"Les contrats locaux de santé — {region.nom}",
            "nav": "public",
            "region": region,
            "today": context.today,
            "rows": [(record, queries.badge_class(record["etat"])) for record in records],
            "legend": queries.map_legend(records),
            "geojson_url": reverse("public_region_map", args=[region.code]),
        },
    )


@login_not_required
@gzip_page
def region_map(request, code):
    region = get_object_or_404(Region, code=code)
    return JsonResponse(queries.region_map_geojson(region, _context(request)), json_dumps_params=JSON_OPTIONS)


def _public_cls(request, pk) -> tuple[Cls, dict, PublicContext]:
    cls = get_object_or_404(Cls.objects.select_related("departement__region"), pk=pk)
    context = _context(request)
    return cls, queries.cls_record(cls.pk, context), context


@login_not_required
def cls_page(request, pk):
    cls, record, context = _public_cls(request, pk)
    region = cls.departement.region
    fiches_page, axes_fiches = queries.fiche_page(cls.pk, context, request.GET.get("page"))
    return render(
        request,
        "public/cls.html",
        {
            "title": f"{record['nom']} (CLS {record['generation']})",
            "nav": "public",
            "cls": record,
            "badge": queries.badge_class(record["etat"]),
            "axes_fiches": axes_fiches,
            "fiches_page": fiches_page,
            "communes": cls.communes.order_by("-population", "nom").values("code", "nom", "population"),
            "updated": queries.last_update(cls.pk),
            "geojson_url": reverse("public_cls_map", args=[cls.pk]),
            "breadcrumb_links": _home_breadcrumb(region),
            "breadcrumb_current": record["nom"],
        },
    )


@login_not_required
@gzip_page
def cls_map(request, pk):
    return JsonResponse(cls_perimeter_geojson(get_object_or_404(Cls, pk=pk)), json_dumps_params=JSON_OPTIONS)


@login_not_required
def cls_flyer(request, pk):
    cls, record, context = _public_cls(request, pk)
    fiches, nb_fiches = queries.first_fiches(cls.pk, context, FLYER_ACTIONS)
    pdf = flyer_pdf(
        record=record,
        fiches=fiches,
        nb_fiches=nb_fiches,
        page_url=record["page_publique"],
        updated=queries.last_update(cls.pk),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cls-{cls.pk}-affiche.pdf"'
    return response


def _file_urls(request, slug: str) -> list[str]:
    return [request.build_absolute_uri(reverse(name, args=[slug])) for name in ("public_data_csv", "public_data_json")]


@login_not_required
def opendata_page(request):
    region = Region.objects.filter(code=settings.HOME_REGION_CODE).first()
    datasets = [
        {
            "dataset": dataset,
            "csv": reverse("public_data_csv", args=[slug]),
            "json": reverse("public_data_json", args=[slug]),
            "schema": reverse("public_data_schema", args=[slug]),
        }
        for slug, dataset in DATASETS.items()
    ]
    return render(
        request,
        "public/opendata.html",
        {
            "title": "Données ouvertes",
            "nav": "opendata",
            "datasets": datasets,
            "licence": opendata.LICENCE,
            "updated": opendata.last_update(),
            "breadcrumb_links": _home_breadcrumb(region) if region else [],
            "breadcrumb_current": "Données ouvertes",
        },
    )


def _dataset(slug: str):
    if slug not in DATASETS:
        raise Http404("Jeu de données inconnu.")
    return DATASETS[slug]


def _download(content: Iterator[bytes], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _record_chunks(slug: str, context: PublicContext) -> Iterator[list[dict]]:
    """The dataset's public records, ``OPEN_DATA_CHUNK`` objects at a time: each chunk prefetches its
    own relations, so memory stays bounded and the queries grow with the chunks, never per record."""
    objects = opendata.QUERYSETS[slug]().iterator(chunk_size=OPEN_DATA_CHUNK)
    while chunk := list(islice(objects, OPEN_DATA_CHUNK)):
        yield opendata.rows(DATASETS[slug], chunk, context)


def _csv_stream(slug: str, context: PublicContext, *, excel: bool) -> Iterator[bytes]:
    """The same bytes as ``opendata.to_csv`` of every record, written chunk by chunk."""
    dataset = DATASETS[slug]
    yield opendata.to_csv(dataset, [], excel=excel)  # the (BOM and) header line
    for records in _record_chunks(slug, context):
        yield opendata.to_csv(dataset, records, excel=excel).split(b"\r\n", 1)[1]


def _json_stream(slug: str, context: PublicContext) -> Iterator[bytes]:
    """The same bytes as ``opendata.to_json`` of every record (an indented array), chunk by chunk."""
    dataset, separator = DATASETS[slug], b"\n"
    yield b"["
    for records in _record_chunks(slug, context):
        yield separator + opendata.to_json(dataset, records)[2:-2]  # the items, without "[\n" and "\n]"
        separator = b",\n"
    yield b"]" if separator == b"\n" else b"\n]"


@login_not_required
@gzip_page
def data_csv(request, slug):
    _dataset(slug)
    excel = request.GET.get("variante") == "excel"
    content = _csv_stream(slug, _context(request), excel=excel)
    suffix = "-excel" if excel else ""
    return _download(content, "text/csv; charset=utf-8", f"santeloc-{slug}{suffix}.csv")


@login_not_required
@gzip_page
def data_json(request, slug):
    _dataset(slug)
    return _download(_json_stream(slug, _context(request)), "application/json", f"santeloc-{slug}.json")


@login_not_required
def data_schema(request, slug):
    dataset = _dataset(slug)
    schema = opendata.table_schema(
        dataset, homepage=request.build_absolute_uri(reverse("public_opendata")), data_urls=_file_urls(request, slug)
    )
    return JsonResponse(schema, json_dumps_params={**JSON_OPTIONS, "indent": 1})


@login_not_required
@gzip_page
def data_perimeters(request):
    records = opendata.file_records(DATASETS["contrats"], opendata.dataset_rows("contrats", _context(request)))
    shapes = perimeter_shapes([record["id"] for record in records])
    collection = perimeters_feature_collection(records, shapes, lambda r: {k: r[k] for k in GEOJSON_PROPERTIES})
    response = JsonResponse(collection, json_dumps_params=JSON_OPTIONS, content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="santeloc-perimetres.geojson"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def contact_edit(request, pk):
    """The public contact of the coordination, for the CLS's editors (login required)."""
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    if not cls.can_edit(request.user):
        raise PermissionDenied("Vous ne pouvez pas modifier ce contrat local de santé.")
    form = ContactCoordinationForm(request.POST or None, instance=cls, initial={"version": cls.version})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.save_cls(form.save(commit=False), read_version=form.cleaned_data["version"] or 0)
        except StaleVersionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Le contact public de la coordination a été enregistré.")
            return redirect("cls_detail", pk=cls.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": f"Contact public de la coordination — {cls}",
            "intro": "Ce contact est affiché sur la page publique du contrat, sur son affiche et dans les données "
            "ouvertes. Le nom de la structure qui assure la coordination y figure aussi.",
            "cancel_url": reverse("cls_detail", args=[cls.pk]),
            "nav": "cls",
            "form": form,
            "breadcrumb_links": [
                {"url": reverse("cls_list"), "title": "Contrats locaux de santé"},
                {"url": reverse("cls_detail", args=[cls.pk]), "title": str(cls)},
            ],
            "breadcrumb_current": "Contact public",
        },
    )
