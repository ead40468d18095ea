"""Screens of the CLS registry: list, page, creation and edition."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from contracts import page_sections, perms, services
from contracts.forms import (
    AvenantForm,
    AxeFormSet,
    ClsCreateForm,
    ClsFilterForm,
    ClsForm,
    OrganisationForm,
    PerimeterAddForm,
    SignataireForm,
    TerritorySearchForm,
)
from contracts.geojson import cls_perimeter_geojson
from contracts.history import cls_history
from contracts.lifecycle import Etat, etat_at, state_filter
from contracts.models import Cls, Organisation, PerimetreElement, Signataire

CLS_LIST_RELATED = ("departement", "porteur_commune", "porteur_epci", "porteur_groupement")


def _editable_cls(request, pk) -> Cls:
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    if not cls.can_edit(request.user):
        raise PermissionDenied("Vous ne pouvez pas modifier ce contrat local de santé.")
    return cls


def _breadcrumb(cls: Cls | None = None) -> list[dict]:
    links = [{"url": reverse("cls_list"), "title": "Contrats locaux de santé"}]
    if cls is not None:
        links.append({"url": reverse("cls_detail", args=[cls.pk]), "title": str(cls)})
    return links


CLS_PER_PAGE = 50


def cls_list(request):
    form = ClsFilterForm(request.GET or None)
    today = timezone.localdate()
    queryset = Cls.objects.for_user(request.user).select_related(*CLS_LIST_RELATED)
    if form.is_valid():
        data = form.cleaned_data
        if data["departement"]:
            queryset = queryset.filter(departement=data["departement"])
        if data["etat"]:
            queryset = queryset.filter(state_filter(Etat(data["etat"]), today))
        if data["generation"]:
            queryset = queryset.filter(generation=data["generation"].strip())
        if data["q"]:
            queryset = queryset.filter(nom__icontains=data["q"].strip())
    page = Paginator(queryset.with_perimeter_totals(), CLS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(cls, etat_at(cls, today)) for cls in page]
    return render(
        request,
        "contracts/cls_list.html",
        {
            "title": "Contrats locaux de santé",
            "nav": "cls",
            "form": form,
            "rows": rows,
            "page_obj": page,
            "today": today,
            "can_create": perms.can_create_cls(request.user),
        },
    )


def cls_detail(request, pk):
    queryset = Cls.objects.for_user(request.user).select_related(
        *CLS_LIST_RELATED, "predecesseur", "structure_coordination", "hors_departement_autorise_par"
    )
    cls = get_object_or_404(
        queryset.prefetch_related(
            Prefetch("signataires", queryset=Signataire.objects.select_related("organisation", "avenant")),
            "axes",
            "avenants__signataires_ajoutes",
            "coordinateurs",
            Prefetch(
                "perimetre_elements", queryset=PerimetreElement.objects.select_related("commune", "epci", "groupement")
            ),
        ),
        pk=pk,
    )
    today = timezone.localdate()
    communes = cls.communes.order_by("-population", "nom")
    return render(
        request,
        "contracts/cls_detail.html",
        {
            "title": str(cls),
            "nav": "cls",
            "cls": cls,
            "etat": etat_at(cls, today),
            "today": today,
            "communes": communes,
            "population": communes.total_population(),
            "warnings": services.warnings_for(cls),
            "can_edit": cls.can_edit(request.user),
            "successeur": Cls.objects.filter(predecesseur=cls).first(),
            "history": cls_history(cls),
            "sections": page_sections.for_cls(cls, request.user),
            "breadcrumb_links": _breadcrumb(),
            "breadcrumb_current": str(cls),
        },
    )


@gzip_page
def cls_perimeter(request, pk):
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    return JsonResponse(cls_perimeter_geojson(cls))


def cls_create(request):
    if not perms.can_create_cls(request.user):
        raise PermissionDenied("Seuls les agents de l'ARS créent un contrat local de santé.")
    form = ClsCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                cls = form.save(commit=False)
                services.create_cls(cls, perimeter=form.cleaned_data["perimetre"])
                form.save_m2m()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Le CLS « {cls} » a été créé.")
            return redirect("cls_detail", pk=cls.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": "Créer un contrat local de santé",
            "cancel_url": reverse("cls_list"),
            "nav": "cls",
            "form": form,
            "breadcrumb_links": _breadcrumb(),
            "breadcrumb_current": "Nouveau CLS",
        },
    )


def cls_edit(request, pk):
    cls = _editable_cls(request, pk)
    form = ClsForm(request.POST or None, instance=cls, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.save_cls(form.save(commit=False), read_version=form.read_version)
                form.save_m2m()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect("cls_detail", pk=cls.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": f"Modifier {cls}",
            "cancel_url": reverse("cls_detail", args=[cls.pk]),
            "nav": "cls",
            "form": form,
            "cls": cls,
            "breadcrumb_links": _breadcrumb(cls),
            "breadcrumb_current": "Modifier",
        },
    )


def cls_perimeter_edit(request, pk):
    cls = _editable_cls(request, pk)
    search = TerritorySearchForm(request.GET or None)
    results = None
    if search.is_valid():
        text = search.cleaned_data["q"]
        # Only what this CLS may take: its department's territories (contracts.perms).
        results = {
            "communes": list(perms.perimeter_communes(cls).search(text).select_related("departement")[:15]),
            "epcis": list(perms.perimeter_epcis(cls).filter(Q(nom__icontains=text) | Q(code=text.strip()))[:10]),
            "groupements": list(perms.perimeter_groupements(cls).filter(nom__icontains=text)[:10]),
        }
        if not any(results.values()):
            results = None
    if request.method == "POST":
        form = PerimeterAddForm(request.POST, cls=cls)
        if form.is_valid():
            territory = form.cleaned_data["territory"]
            try:
                services.add_to_perimeter(cls, **{form.cleaned_data["type"]: territory})
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, f"« {territory} » a été ajouté au périmètre.")
        else:
            messages.error(request, form.non_field_errors()[0])
        return redirect("cls_perimeter_edit", pk=cls.pk)
    elements = cls.perimetre_elements.select_related("commune", "epci", "groupement")
    return render(
        request,
        "contracts/cls_perimeter_form.html",
        {
            "title": f"Périmètre de {cls}",
            "nav": "cls",
            "cls": cls,
            "elements": elements,
            "search": search,
            "results": results,
            "can_allow_cross_border": perms.can_allow_cross_border(request.user, cls),
            "nb_communes": cls.communes.count(),
            "population": cls.communes.total_population(),
            "breadcrumb_links": _breadcrumb(cls),
            "breadcrumb_current": "Périmètre",
        },
    )


@require_POST
def cls_cross_border(request, pk):
    """A region-level ARS agent allows (or no longer allows) the CLS to take territories of other departments."""
    cls = _editable_cls(request, pk)
    allow = request.POST.get("autoriser") == "1"
    try:
        (services.allow_cross_border if allow else services.withdraw_cross_border)(cls, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            "Ce CLS peut désormais prendre des territoires d’autres départements."
            if allow
            else "Ce CLS ne prend plus que des territoires de son département.",
        )
    return redirect("cls_perimeter_edit", pk=cls.pk)


@require_POST
def cls_perimeter_remove(request, pk, element_pk):
    cls = _editable_cls(request, pk)
    element = get_object_or_404(cls.perimetre_elements, pk=element_pk)
    try:
        services.remove_from_perimeter(element)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"« {element.territoire} » a été retiré du périmètre.")
    return redirect("cls_perimeter_edit", pk=cls.pk)


def cls_parties_edit(request, pk):
    """Signatories of the CLS; a missing organisation can be added to the directory here."""
    cls = _editable_cls(request, pk)
    form = SignataireForm(request.POST if "signataire" in request.POST else None, cls=cls)
    organisation_form = OrganisationForm(request.POST if "organisation" in request.POST else None, prefix="org")
    if request.method == "POST":
        if "signataire" in request.POST and form.is_valid():
            services.add_signataire(cls, organisation=form.cleaned_data["organisation"])
            messages.success(request, f"« {form.cleaned_data['organisation']} » a été ajouté aux signataires.")
            return redirect("cls_parties_edit", pk=cls.pk)
        if "organisation" in request.POST and organisation_form.is_valid():
            with transaction.atomic():
                organisation = services.save_organisation(organisation_form.save(commit=False))
                services.add_signataire(cls, organisation=organisation)
            messages.success(request, f"« {organisation} » a été créé et ajouté aux signataires.")
            return redirect("cls_parties_edit", pk=cls.pk)
    return render(
        request,
        "contracts/cls_parties_form.html",
        {
            "title": f"Signataires de {cls}",
            "nav": "cls",
            "cls": cls,
            "form": form,
            "organisation_form": organisation_form,
            "signataires": cls.signataires.select_related("organisation", "avenant"),
            "can_edit_organisation": perms.can_edit_organisation(request.user),
            "breadcrumb_links": _breadcrumb(cls),
            "breadcrumb_current": "Signataires",
        },
    )


def organisation_edit(request, pk, organisation_pk):
    """Correct an organisation of the directory from a CLS's signatories page (ARS only: it is shared)."""
    cls = _editable_cls(request, pk)
    if not perms.can_edit_organisation(request.user):
        raise PermissionDenied("Seuls les agents de l’ARS corrigent l’annuaire des organisations.")
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_organisation(form.save(commit=False), read_version=form.read_version)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"L’organisation « {organisation} » a été enregistrée.")
            return redirect("cls_parties_edit", pk=cls.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": f"Modifier l’organisation « {organisation} »",
            "intro": "L’annuaire est commun à tous les CLS : la correction vaut partout où l’organisation figure.",
            "cancel_url": reverse("cls_parties_edit", args=[cls.pk]),
            "nav": "cls",
            "cls": cls,
            "form": form,
            "breadcrumb_links": _breadcrumb(cls),
            "breadcrumb_current": "Modifier une organisation",
        },
    )


@require_POST
def cls_signataire_remove(request, pk, signataire_pk):
    cls = _editable_cls(request, pk)
    signataire = get_object_or_404(cls.signataires.select_related("organisation"), pk=signataire_pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.remove_signataire(signataire, read_version=version)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"« {signataire.organisation} » a été retiré des signataires.")
    return redirect("cls_parties_edit", pk=cls.pk)


def cls_axes_edit(request, pk):
    cls = _editable_cls(request, pk)
    formset = AxeFormSet(request.POST or None, instance=cls)
    if request.method == "POST" and formset.is_valid():
        try:
            formset.save_axes()
        except ValidationError as error:
            formset._non_form_errors.extend(error.messages)
        else:
            messages.success(request, "Les axes ont été enregistrés.")
            return redirect("cls_detail", pk=cls.pk)
    return render(
        request,
        "contracts/cls_axes_form.html",
        {
            "title": f"Axes de {cls}",
            "nav": "cls",
            "cls": cls,
            "formset": formset,
            "breadcrumb_links": _breadcrumb(cls),
            "breadcrumb_current": "Axes",
        },
    )


def cls_avenant_edit(request, pk, avenant_pk=None):
    """Record a new avenant, or correct one (refused if somebody saved it meanwhile)."""
    cls = _editable_cls(request, pk)
    avenant = get_object_or_404(cls.avenants, pk=avenant_pk) if avenant_pk else None
    form = AvenantForm(request.POST or None, instance=avenant, cls=cls)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_avenant(
                form.save(commit=False),
                signataires_ajoutes=list(form.cleaned_data["signataires_ajoutes"]),
                read_version=form.read_version,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "L’avenant a été enregistré.")
            return redirect("cls_detail", pk=cls.pk)
    title = f"Modifier l’avenant « {avenant.objet} »" if avenant else f"Nouvel avenant à {cls}"
    return render(
        request,
        "form_page.html",
        {
            "title": title,
            "intro": "Un avenant peut prolonger le contrat (nouvelle date de fin) et ajouter des signataires.",
            "submit_label": "Enregistrer l’avenant",
            "cancel_url": reverse("cls_detail", args=[cls.pk]),
            "nav": "cls",
            "cls": cls,
            "form": form,
            "breadcrumb_links": _breadcrumb(cls),
            "breadcrumb_current": "Modifier l’avenant" if avenant else "Nouvel avenant",
        },
    )
