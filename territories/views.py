"""Named groupings of EPCIs and communes (PETR, Pays, basins), kept by the ARS."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from territories import perms, services
from territories.forms import GroupementForm
from territories.models import Groupement


def groupement_list(request):
    groupements = Groupement.objects.prefetch_related("epcis")
    totals = groupements.perimeter_totals()
    editable = set(perms.editable_groupements(request.user).values_list("pk", flat=True))
    return render(
        request,
        "territories/groupement_list.html",
        {
            "title": "Groupements de territoires",
            "nav": "cls",
            "rows": [(g, *totals.get(g.pk, (0, 0)), g.pk in editable) for g in groupements],
            "can_edit": perms.can_create_groupement(request.user),
        },
    )


def groupement_form(request, pk=None):
    if not perms.can_create_groupement(request.user):
        raise PermissionDenied("Seuls les agents de l’ARS gèrent les groupements de territoires.")
    # A grouping out of the agent's scope does not exist for them.
    groupement = get_object_or_404(perms.editable_groupements(request.user), pk=pk) if pk else None
    form = GroupementForm(request.POST or None, instance=groupement, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            groupement = services.save_groupement(
                form.save(commit=False),
                epcis=form.cleaned_data["epci_codes"],
                communes=form.cleaned_data["commune_codes"],
                read_version=form.read_version,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Le groupement « {groupement} » a été enregistré.")
            return redirect("groupement_list")
    return render(
        request,
        "form_page.html",
        {
            "cancel_url": reverse("groupement_list"),
            "title": f"Modifier {groupement}" if groupement else "Nouveau groupement",
            "nav": "cls",
            "form": form,
            "breadcrumb_links": [{"url": reverse("groupement_list"), "title": "Groupements"}],
            "breadcrumb_current": str(groupement) if groupement else "Nouveau",
        },
    )
