"""Screens of the action plans: plan of a CLS, fiche, forms, "my actions", department, programmes."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions import services, spreadsheet
from actions.forms import (
    CoordinationForm,
    DepenseForm,
    EtapeForm,
    EtatForm,
    FicheForm,
    FinancementForm,
    ImportForm,
    IndicateurForm,
    MesureForm,
    NoteForm,
    PlanFilterForm,
)
from actions.history import fiche_history
from actions.models import (
    ChangementEtat,
    Etat,
    FicheAction,
    FinancementCoordination,
    Indicateur,
    NoteSuivi,
    Programme,
)
from contracts.models import Cls
from core.validators import clamp_date
from diagnostics.models import Enjeu
from territories.models import Departement

PLAN_RELATED = ("axe", "porteur", "programme", "cls")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _crumbs_cls(cls: Cls, *, plan: bool = False) -> list[dict]:
    links = [
        {"url": reverse("cls_list"), "title": "Contrats locaux de santé"},
        {"url": reverse("cls_detail", args=[cls.pk]), "title": str(cls)},
    ]
    if plan:
        links.append({"url": reverse("actions_plan", args=[cls.pk]), "title": "Plan d'action"})
    return links


def _fiche_for(request, pk, *, edit: bool = False, update: bool = False) -> FicheAction:
    fiche = get_object_or_404(FicheAction.objects.for_user(request.user).select_related("cls", "axe"), pk=pk)
    if edit and not fiche.can_edit(request.user):
        raise PermissionDenied("Seuls la coordination du CLS et l'ARS modifient cette fiche action.")
    if update and not fiche.can_update(request.user):
        raise PermissionDenied(
            "Vous ne pouvez pas mettre à jour cette action : elle n'est pas portée par votre structure."
        )
    return fiche


def euros(value) -> str:
    """« 226 024,47 », as floatformat:"2g" in French, ten times faster for long tables."""
    return f"{value or 0:,.2f}".replace(",", "\u202f").replace(".", ",")


# What a row of the action tables shows, read as plain values: no model instance per fiche and
# for its axis, carrier, programme and CLS (a third of the server time of a 300-action plan).
ROW_COLUMNS = ("pk", "numero", "titre", "etat", "debut_prevu", "fin_prevue", "debut_reel", "fin_reelle", "late")
ROW_RELATED = {"axe_intitule": "axe__intitule", "porteur_nom": "porteur__nom", "programme_nom": "programme__nom"}


def _rows(fiches, today) -> list[dict]:
    """Rows of ``_fiche_table.html`` (and the calendar) for a queryset annotated with ``total_finance``."""
    rows = list(
        fiches.with_late(today).values(
            *ROW_COLUMNS, "cls_id", "total_finance", **{k: F(v) for k, v in ROW_RELATED.items()}
        )
    )
    clss = Cls.objects.only("nom", "generation").in_bulk({row["cls_id"] for row in rows})
    url = reverse("actions_fiche", args=[0])[: -len("0/")]
    etats = dict(Etat.choices)
    for row in rows:
        row.update(
            url=f"{url}{row['pk']}/",
            cls=clss[row["cls_id"]],
            axe={"intitule": row.pop("axe_intitule")},
            porteur=row.pop("porteur_nom"),
            programme=row.pop("programme_nom"),
            etat_label=etats.get(row["etat"], ""),
            total_euros=euros(row.pop("total_finance")),
        )
    return rows


def _plan_rows(queryset, request, *, axes=None, enjeux=None, today):
    form = PlanFilterForm(request.GET or None, fiches=queryset, axes=axes, enjeux=enjeux)
    fiches = form.apply(queryset.with_totals("total_finance"), today)
    if not form.is_bound:
        fiches = fiches.order_by("cls__nom", "axe__transversal", "axe__numero", "rang")
    return form, _rows(fiches, today)


def plan(request, pk):
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    today = timezone.localdate()
    form, fiches = _plan_rows(
        FicheAction.objects.filter(cls=cls),
        request,
        axes=cls.axes.all(),
        enjeux=Enjeu.objects.filter(cls=cls).order_by("priorite", "titre"),
        today=today,
    )
    can_fund = FinancementCoordination.can_manage(cls, request.user)
    calendar = request.GET.get("vue") == "calendrier"
    params = request.GET.copy()
    params.pop("vue", None)
    table_query = params.urlencode()
    params["vue"] = "calendrier"
    return render(
        request,
        "actions/plan.html",
        {
            "title": f"Plan d'action — {cls}",
            "nav": "cls",
            "cls": cls,
            "form": form,
            "fiches": fiches,
            "today": today,
            "money": services.plan_money(cls),
            "enjeux": services.plan_enjeux(cls),
            "can_fund": can_fund,
            "coordination_form": CoordinationForm(cls=cls, initial={"annee": today.year}) if can_fund else None,
            "calendar": calendar,
            "table_query": table_query,
            "calendar_query": params.urlencode(),
            "gantt": _gantt(cls, fiches) if calendar else None,
            "can_edit": cls.can_edit(request.user),
            "breadcrumb_links": _crumbs_cls(cls),
            "breadcrumb_current": "Plan d'action",
        },
    )


def _gantt(cls: Cls, fiches: list[dict]) -> dict | None:
    """Bars positioned in % of the years spanned by the contract and the fiches' dates (rows of ``_rows``).

    Dates are clamped to 1900–2100, so that one stored before the bounds existed (9999) draws a
    bar to the edge rather than breaking the page.
    """
    dates = [d for f in fiches for d in (f["debut_prevu"], f["fin_prevue"], f["debut_reel"], f["fin_reelle"]) if d]
    dates += [d for d in (cls.date_debut_effective, cls.date_fin_effective) if d]
    if not dates:
        return None
    first, last = clamp_date(min(dates)).year, clamp_date(max(dates)).year
    start, end = datetime.date(first, 1, 1), datetime.date(last + 1, 1, 1)
    span = (end - start).days

    def pos(day):
        return round((clamp_date(day) - start).days / span * 100, 2)

    rows = []
    for fiche in fiches:
        begin = fiche["debut_reel"] or fiche["debut_prevu"]
        finish = fiche["fin_reelle"] or fiche["fin_prevue"]
        if not begin and not finish:
            continue
        begin, finish = begin or finish, finish or begin
        rows.append({"fiche": fiche, "left": pos(begin), "width": max(pos(finish) - pos(begin), 1)})
    years = [(year, pos(datetime.date(year, 1, 1))) for year in range(first, last + 1)]
    return {"years": years, "rows": rows}


def fiche_detail(request, pk):
    fiche = get_object_or_404(
        FicheAction.objects.for_user(request.user)
        .select_related(*PLAN_RELATED)
        .prefetch_related(
            "partenaires",
            "publics",
            "themes",
            "lieux",
            "enjeux",
            "etapes",
            Prefetch("notes", queryset=NoteSuivi.objects.select_related("auteur")),
            Prefetch("changements_etat", queryset=ChangementEtat.objects.select_related("auteur")),
            Prefetch("indicateurs", queryset=Indicateur.objects.prefetch_related("mesures")),
        ),
        pk=pk,
    )
    today = timezone.localdate()
    indicateurs = []
    for indicateur in fiche.indicateurs.all():
        mesures = sorted(indicateur.mesures.all(), key=lambda m: (m.annee, m.periode))
        latest = mesures[-1].value if mesures else None
        indicateurs.append(
            {
                "indicateur": indicateur,
                "mesures": mesures,
                "latest": latest,
                "progress": indicateur.progress(latest),
                "missing_last_year": not any(m.annee == today.year - 1 for m in mesures),
            }
        )
    return render(
        request,
        "actions/fiche_detail.html",
        {
            "title": str(fiche),
            "nav": "cls",
            "fiche": fiche,
            "cls": fiche.cls,
            "late": fiche.is_late(today),
            "last_year": today.year - 1,
            "money": services.fiche_money(fiche),
            "indicateurs": indicateurs,
            "history": fiche_history(fiche),
            "can_edit": fiche.can_edit(request.user),
            "can_update": fiche.can_update(request.user),
            "breadcrumb_links": _crumbs_cls(fiche.cls, plan=True),
            "breadcrumb_current": f"Fiche {fiche.numero}",
        },
    )


def fiche_create(request, pk):
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    if not cls.can_edit(request.user):
        raise PermissionDenied("Seuls la coordination du CLS et l'ARS ajoutent des fiches actions.")
    form = FicheForm(request.POST or None, cls=cls)
    if request.method == "POST" and form.is_valid():
        try:
            fiche = services.create_fiche(form.save(commit=False), user=request.user, m2m=form.m2m())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"La fiche action {fiche.numero} a été créée.")
            return redirect("actions_fiche", pk=fiche.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": f"Nouvelle fiche action — {cls}",
            "nav": "cls",
            "form": form,
            "cancel_url": reverse("actions_plan", args=[cls.pk]),
            "breadcrumb_links": _crumbs_cls(cls, plan=True),
            "breadcrumb_current": "Nouvelle fiche action",
        },
    )


def fiche_edit(request, pk):
    fiche = _fiche_for(request, pk, edit=True)
    form = FicheForm(request.POST or None, instance=fiche, cls=fiche.cls)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_fiche(
                form.save(commit=False),
                read_version=form.cleaned_data["version"] or 0,
                user=request.user,
                m2m=form.m2m(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect("actions_fiche", pk=fiche.pk)
    return render(
        request,
        "form_page.html",
        {
            "title": f"Modifier la fiche {fiche.numero}",
            "nav": "cls",
            "form": form,
            "cancel_url": reverse("actions_fiche", args=[fiche.pk]),
            "breadcrumb_links": _crumbs_cls(fiche.cls, plan=True),
            "breadcrumb_current": f"Modifier la fiche {fiche.numero}",
        },
    )


def _small_form(request, fiche, form, *, title, save, success):
    """A one-form page attached to a fiche: render it, or save it and go back to the fiche."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(reverse("actions_fiche", args=[fiche.pk]))
    return render(
        request,
        "form_page.html",
        {
            "title": f"{title} — fiche {fiche.numero}",
            "nav": "cls",
            "form": form,
            "cancel_url": reverse("actions_fiche", args=[fiche.pk]),
            "breadcrumb_links": _crumbs_cls(fiche.cls, plan=True)
            + [{"url": reverse("actions_fiche", args=[fiche.pk]), "title": f"Fiche {fiche.numero}"}],
            "breadcrumb_current": title,
        },
    )


def _save_child(form, fiche, **extra):
    obj = form.save(commit=False)
    obj.fiche = fiche
    for name, value in extra.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def fiche_state(request, pk):
    fiche = _fiche_for(request, pk, update=True)
    initial = {"etat": fiche.etat or Etat.EN_COURS, "date": timezone.localdate(), "version": fiche.version}
    form = EtatForm(request.POST or None, initial=initial)

    def save(form):
        data = form.cleaned_data
        services.change_state(
            fiche,
            etat=data["etat"],
            date=data["date"],
            motif=data["motif"],
            user=request.user,
            read_version=data["version"],
        )

    return _small_form(request, fiche, form, title="Changer l'état", save=save, success="L'état a été enregistré.")


def fiche_note(request, pk):
    fiche = _fiche_for(request, pk, update=True)
    form = NoteForm(request.POST or None, initial={"date": timezone.localdate()})
    return _small_form(
        request,
        fiche,
        form,
        title="Ajouter une note de suivi",
        save=lambda form: _save_child(form, fiche, auteur=request.user),
        success="La note a été ajoutée.",
    )


def fiche_step(request, pk):
    fiche = _fiche_for(request, pk, update=True)
    form = EtapeForm(request.POST or None)
    ordre = (fiche.etapes.order_by("-ordre").values_list("ordre", flat=True).first() or 0) + 1
    return _small_form(
        request,
        fiche,
        form,
        title="Ajouter une étape",
        save=lambda form: _save_child(form, fiche, ordre=ordre),
        success="L'étape a été ajoutée.",
    )


@require_POST
def fiche_step_toggle(request, pk, step_pk):
    fiche = _fiche_for(request, pk, update=True)
    etape = get_object_or_404(fiche.etapes, pk=step_pk)
    etape.faite = not etape.faite
    etape.faite_le = timezone.localdate() if etape.faite else None
    etape.save()
    messages.success(request, f"Étape « {etape} » : {'faite' if etape.faite else 'à faire'}.")
    return redirect("actions_fiche", pk=fiche.pk)


def fiche_funding(request, pk):
    fiche = _fiche_for(request, pk, edit=True)
    form = FinancementForm(request.POST or None)
    return _small_form(
        request,
        fiche,
        form,
        title="Ajouter un financement",
        save=lambda form: _save_child(form, fiche),
        success="Le financement a été ajouté.",
    )


def fiche_spending(request, pk):
    fiche = _fiche_for(request, pk, update=True)
    form = DepenseForm(request.POST or None, initial={"annee": timezone.localdate().year})
    return _small_form(
        request,
        fiche,
        form,
        title="Déclarer une dépense",
        save=lambda form: _save_child(form, fiche),
        success="La dépense a été enregistrée.",
    )


def fiche_indicator(request, pk):
    fiche = _fiche_for(request, pk, edit=True)
    form = IndicateurForm(request.POST or None)
    return _small_form(
        request,
        fiche,
        form,
        title="Ajouter un indicateur",
        save=lambda form: _save_child(form, fiche),
        success="L'indicateur a été ajouté.",
    )


def indicator_measure(request, pk, indicator_pk):
    fiche = _fiche_for(request, pk, update=True)
    indicateur = get_object_or_404(fiche.indicateurs, pk=indicator_pk)
    form = MesureForm(request.POST or None, indicateur=indicateur, initial={"annee": timezone.localdate().year - 1})

    def save(form):
        services.record_measure(form.save(commit=False))

    return _small_form(
        request,
        fiche,
        form,
        title=f"Saisir une valeur : {indicateur}",
        save=save,
        success=f"La valeur de « {indicateur} » a été enregistrée.",
    )


def _delete_child(request, fiche, obj, *, what: str):
    """Delete a line of a fiche (its history keeps the deletion, with who and when) and go back to the fiche."""
    label = str(obj)
    obj.delete()
    messages.success(request, f"{what} : « {label} ».")
    return redirect("actions_fiche", pk=fiche.pk)


@require_POST
def fiche_funding_delete(request, pk, line_pk):
    fiche = _fiche_for(request, pk, edit=True)
    return _delete_child(request, fiche, get_object_or_404(fiche.financements, pk=line_pk), what="Financement supprimé")


@require_POST
def fiche_spending_delete(request, pk, line_pk):
    fiche = _fiche_for(request, pk, update=True)
    return _delete_child(request, fiche, get_object_or_404(fiche.depenses, pk=line_pk), what="Dépense supprimée")


@require_POST
def fiche_step_delete(request, pk, step_pk):
    fiche = _fiche_for(request, pk, update=True)
    return _delete_child(request, fiche, get_object_or_404(fiche.etapes, pk=step_pk), what="Étape supprimée")


@require_POST
def fiche_indicator_delete(request, pk, indicator_pk):
    fiche = _fiche_for(request, pk, edit=True)
    return _delete_child(
        request, fiche, get_object_or_404(fiche.indicateurs, pk=indicator_pk), what="Indicateur supprimé"
    )


def _cls_funder(request, pk) -> Cls:
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    if not FinancementCoordination.can_manage(cls, request.user):
        raise PermissionDenied(
            "Seule l'ARS, pour les CLS de son territoire, inscrit le financement de la coordination."
        )
    return cls


def coordination_funding(request, pk):
    cls = _cls_funder(request, pk)
    form = CoordinationForm(request.POST or None, cls=cls, initial={"annee": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        line = form.save(commit=False)
        try:
            line.full_clean()  # the form leaves out the CLS, hence the one-line-per-year rule
        except ValidationError as error:
            form.add_error(None, error)
        else:
            line.save()
            messages.success(request, f"Financement de la coordination enregistré : {line}.")
            return redirect(reverse("actions_plan", args=[cls.pk]) + "#coordination")
    return render(
        request,
        "form_page.html",
        {
            "title": f"Financement ARS de la coordination — {cls}",
            "nav": "cls",
            "form": form,
            "cancel_url": reverse("actions_plan", args=[cls.pk]),
            "breadcrumb_links": _crumbs_cls(cls, plan=True),
            "breadcrumb_current": "Financement de la coordination",
        },
    )


@require_POST
def coordination_funding_delete(request, pk, line_pk):
    cls = _cls_funder(request, pk)
    line = get_object_or_404(cls.financements_coordination, pk=line_pk)
    label = str(line)
    line.delete()
    messages.success(request, f"Financement de la coordination supprimé : « {label} ».")
    return redirect(reverse("actions_plan", args=[cls.pk]) + "#coordination")


def my_actions(request):
    user = request.user
    today = timezone.localdate()
    queryset = FicheAction.objects.updatable_by(user)
    form, fiches = _plan_rows(queryset, request, today=today)
    return render(
        request,
        "actions/fiche_list.html",
        {
            "title": "Mes actions",
            "nav": "mes_actions",
            "intro": (
                f"Les actions portées par {user.organisation}."
                if user.organisation_id
                else "Les actions que vous suivez."
            ),
            "form": form,
            "fiches": fiches,
            "today": today,
            "show_cls": True,
            "breadcrumb_current": "Mes actions",
        },
    )


def departement_actions(request, code):
    departement = get_object_or_404(Departement, code=code)
    today = timezone.localdate()
    queryset = FicheAction.objects.for_user(request.user).filter(cls__departement=departement)
    form, fiches = _plan_rows(queryset, request, today=today)
    return render(
        request,
        "actions/fiche_list.html",
        {
            "title": f"Actions des CLS — {departement.nom} ({departement.code})",
            "nav": "cls",
            "intro": "Toutes les fiches actions des contrats locaux de santé du département.",
            "form": form,
            "fiches": fiches,
            "today": today,
            "show_cls": True,
            "breadcrumb_links": [{"url": reverse("departement_detail", args=[code]), "title": str(departement)}],
            "breadcrumb_current": "Actions",
        },
    )


def programme_list(request):
    programmes = Programme.objects.annotate(nb=Count("fiches")).select_related("porteur")
    return render(
        request,
        "actions/programme_list.html",
        {"title": "Programmes", "nav": "programmes", "programmes": programmes, "breadcrumb_current": "Programmes"},
    )


def programme_detail(request, pk):
    programme = get_object_or_404(Programme.objects.select_related("porteur"), pk=pk)
    today = timezone.localdate()
    fiches = _rows(
        FicheAction.objects.for_user(request.user)
        .filter(programme=programme)
        .with_totals("total_finance")
        .order_by("cls__nom", "cls__generation"),
        today,
    )
    return render(
        request,
        "actions/programme_detail.html",
        {
            "title": f"Programme « {programme} »",
            "nav": "programmes",
            "programme": programme,
            "fiches": fiches,
            "today": today,
            "breadcrumb_links": [{"url": reverse("actions_programmes"), "title": "Programmes"}],
            "breadcrumb_current": programme.nom,
        },
    )


def plan_export_xlsx(request, pk):
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    response = HttpResponse(spreadsheet.export_workbook(cls), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-action-cls-{cls.pk}.xlsx"'
    return response


def plan_export_csv(request, pk):
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    excel = request.GET.get("format") == "excel"
    response = HttpResponse(spreadsheet.export_csv(cls, excel=excel), content_type="text/csv; charset=utf-8")
    suffix = "-excel" if excel else ""
    response["Content-Disposition"] = f'attachment; filename="plan-action-cls-{cls.pk}{suffix}.csv"'
    return response


def plan_template(request):
    response = HttpResponse(spreadsheet.blank_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="modele-plan-action.xlsx"'
    return response


def plan_import(request, pk):
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    if not cls.can_edit(request.user):
        raise PermissionDenied("Seuls la coordination du CLS et l'ARS importent un plan d'action.")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            result = spreadsheet.import_workbook(cls, form.cleaned_data["fichier"], user=request.user)
        if not result.errors:
            messages.success(request, result.summary())
            return redirect("actions_plan", pk=cls.pk)
    return render(
        request,
        "actions/import.html",
        {
            "title": f"Importer un plan d'action — {cls}",
            "nav": "cls",
            "cls": cls,
            "form": form,
            "result": result,
            "breadcrumb_links": _crumbs_cls(cls, plan=True),
            "breadcrumb_current": "Importer",
        },
    )
