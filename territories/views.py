"""Named groupings of EPCIs and communes (PETR, Pays, basins), kept by the ARS."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.models import Role
from territories.forms import GroupementForm
from territories.models import Groupement


def _require_ars(user):
    if not (user.is_superuser or user.role == Role.ARS):
        raise PermissionDenied("Seuls les agents de l'ARS gèrent les groupements de territoires.")


def groupement_list(request):
    groupements = Groupement.objects.prefetch_related("epcis")
    totals = groupements.perimeter_totals()
    return render(
        request,
        "territories/groupement_list.html",
        {
            "title": "Groupements de territoires",
            "nav": "cls",
            "rows": [(g, *totals.get(g.pk, (0, 0))) for g in groupements],
            "can_edit": request.user.is_superuser or request.user.role == Role.ARS,
        },
    )


def groupement_form(request, pk=None):
    _require_ars(request.user)
    groupement = get_object_or_404(Groupement, pk=pk) if pk else None
    form = GroupementForm(request.POST or None, instance=groupement)
    if request.method == "POST" and form.is_valid():
        groupement = form.save()
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
