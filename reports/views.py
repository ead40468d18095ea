"""Screens of the reports: departmental and regional reports (preview, DOCX, PDF), contract
document of a CLS, and the ARS's « point de situation ».

Everything is generated in the request: the Marne report takes about 1 s and the Grand Est
report about 2 s (see ``bench/reports.py``), well under the time a person waits for a download.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from contracts.models import Cls
from core.concurrency import StaleVersionError
from core.dates import InvalidDate, parse_as_of
from reports import documents, services
from reports.contrat import contract_document, too_many_fiches
from reports.departement import departement_report, region_report
from reports.forms import PointDeSituationForm
from reports.perms import can_get_contract_document
from territories.models import Departement, Region

RENDERERS = {
    "departement": (departement_report, documents.departement_docx, documents.departement_pdf),
    "region": (region_report, documents.region_docx, documents.region_pdf),
}
CONTENT_TYPES = {"docx": documents.DOCX_TYPE, "pdf": documents.PDF_TYPE}


def _as_of(request):
    """(date, error message) from ``?date=``; today when absent or invalid."""
    try:
        return parse_as_of(request.GET.get("date")), None
    except InvalidDate as error:
        return parse_as_of(None), str(error)


def _download(body: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def index(request):
    day, date_error = _as_of(request)
    regions = Region.objects.filter(
        Q(departements__cls__isnull=False) | Q(pk=getattr(request.user, "region_id", None))
    ).distinct()
    rows = [
        (region, region.departements.annotate(nb_cls=Count("cls")).order_by("code"))
        for region in regions.order_by("nom")
    ]
    return render(
        request,
        "reports/index.html",
        {"title": "Rapports", "nav": "rapports", "day": day, "date_error": date_error, "rows": rows},
    )


def _territory(kind: str, code: str):
    if kind == "departement":
        return get_object_or_404(Departement.objects.select_related("region"), code=code)
    return get_object_or_404(Region, code=code)


def report_preview(request, kind, code):
    territory = _territory(kind, code)
    day, date_error = _as_of(request)
    report = RENDERERS[kind][0](territory, day)
    breadcrumb = [{"url": reverse("reports_index") + f"?date={day.isoformat()}", "title": "Rapports"}]
    return render(
        request,
        f"reports/{kind}.html",
        {
            "title": report.titre,
            "nav": "rapports",
            "report": report,
            "day": day,
            "date_error": date_error,
            "breadcrumb_links": breadcrumb,
            "breadcrumb_current": str(territory),
        },
    )


def report_document(request, kind, code, fmt):
    territory = _territory(kind, code)
    try:
        day = parse_as_of(request.GET.get("date"))
    except InvalidDate as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    build, docx, pdf = RENDERERS[kind]
    report = build(territory, day)
    return _download(docx(report) if fmt == "docx" else pdf(report), fmt, report.filename)


def _cls_breadcrumb(cls: Cls) -> list[dict]:
    return [
        {"url": reverse("cls_list"), "title": "Contrats locaux de santé"},
        {"url": reverse("cls_detail", args=[cls.pk]), "title": str(cls)},
    ]


def _contract_cls(request, pk) -> Cls:
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    if not can_get_contract_document(request.user, cls):
        raise PermissionDenied("Le document du contrat est réservé à la coordination du CLS et à l’ARS qui le suit.")
    return cls


def contract_preview(request, pk):
    cls = _contract_cls(request, pk)
    refusal = too_many_fiches(cls)
    return render(
        request,
        "reports/contrat.html",
        {
            "title": f"Document du contrat — {cls}",
            "nav": "cls",
            "cls": cls,
            "refusal": refusal,
            "c": None if refusal else contract_document(cls),
            "breadcrumb_links": _cls_breadcrumb(cls),
            "breadcrumb_current": "Document du contrat",
        },
    )


def contract_file(request, pk, fmt):
    cls = _contract_cls(request, pk)
    if too_many_fiches(cls):
        return redirect("reports_contract", pk=cls.pk)  # the page says why
    contract = contract_document(cls)
    body = documents.contract_docx(contract) if fmt == "docx" else documents.contract_pdf(contract)
    return _download(body, fmt, contract.filename)


def point_de_situation_edit(request, pk):
    cls = get_object_or_404(Cls.objects.for_user(request.user).select_related("departement"), pk=pk)
    if not services.can_edit_point_de_situation(request.user, cls):
        raise PermissionDenied("Seule l'ARS qui suit ce contrat rédige son point de situation.")
    form = PointDeSituationForm(request.POST or None, instance=cls)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_point_de_situation(
                cls,
                texte=form.cleaned_data["point_de_situation"],
                date=form.cleaned_data["point_de_situation_date"],
                read_version=form.cleaned_data["version"] or 0,
            )
        except StaleVersionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Le point de situation a été enregistré.")
            return redirect("cls_detail", pk=cls.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": f"Point de situation — {cls}",
            "intro": "Ce texte court, tenu par l'ARS, est repris dans le rapport départemental.",
            "nav": "cls",
            "form": form,
            "cancel_url": reverse("cls_detail", args=[cls.pk]),
            "breadcrumb_links": _cls_breadcrumb(cls),
            "breadcrumb_current": "Point de situation",
        },
    )
