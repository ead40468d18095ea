"""Screens of the evaluation: a CLS's evaluation and report, the next generation, completeness, « À faire »."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from actions.models import FicheAction
from contracts.models import Cls
from core.models import Role
from evaluation import completeness, documents, services
from evaluation.figures import cls_figures, proposed_continuation
from evaluation.forms import ConfirmForm, EvaluationActionForm, EvaluationForm
from evaluation.models import Evaluation, EvaluationAction
from evaluation.reminders import todo_for
from territories.models import Departement

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _crumbs(cls: Cls, *, evaluation: bool = False) -> list[dict]:
    links = [
        {"url": reverse("cls_list"), "title": "Contrats locaux de santé"},
        {"url": reverse("cls_detail", args=[cls.pk]), "title": str(cls)},
    ]
    if evaluation:
        links.append({"url": reverse("evaluation_cls", args=[cls.pk]), "title": "Évaluation"})
    return links


EDITORS_ONLY = "Seules la coordination du CLS et l'ARS rédigent son évaluation."


def _cls(request, pk, *, edit: bool = False) -> Cls:
    cls = get_object_or_404(Cls.objects.for_user(request.user).select_related("departement"), pk=pk)
    if edit and not cls.can_edit(request.user):
        raise PermissionDenied(EDITORS_ONLY)
    return cls


def evaluation_cls(request, pk):
    cls = _cls(request, pk)
    can_edit = cls.can_edit(request.user)
    evaluation = Evaluation.objects.filter(cls=cls).first() or Evaluation(cls=cls)
    form = EvaluationForm(request.POST if request.method == "POST" else None, instance=evaluation) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(EDITORS_ONLY)
        if form.is_valid():
            try:
                services.save_evaluation(form.save(commit=False), read_version=form.read_version, user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Les conclusions de l'évaluation ont été enregistrées.")
                return redirect("evaluation_cls", pk=cls.pk)
    figures = cls_figures(cls)
    return render(
        request,
        "evaluation/cls.html",
        {
            "title": f"Évaluation — {cls}",
            "nav": "cls",
            "cls": cls,
            "evaluation": evaluation if evaluation.pk else None,
            "figures": figures,
            "content": documents.report_content(figures, timezone.localdate()),
            "form": form,
            "can_edit": can_edit,
            "successeur": Cls.objects.filter(predecesseur=cls).first(),
            "breadcrumb_links": _crumbs(cls),
            "breadcrumb_current": "Évaluation",
        },
    )


def evaluation_action(request, pk, fiche_pk):
    cls = _cls(request, pk, edit=True)
    fiche = get_object_or_404(FicheAction.objects.filter(cls=cls), pk=fiche_pk)
    evaluation = EvaluationAction.objects.filter(fiche=fiche).first() or EvaluationAction(fiche=fiche)
    initial = {}
    if evaluation.pk is None:
        proposed = proposed_continuation(fiche)
        if proposed is not None:
            initial["a_poursuivre"] = proposed
    form = EvaluationActionForm(
        request.POST if request.method == "POST" else None, instance=evaluation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action_evaluation(form.save(commit=False), read_version=form.read_version)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"L'évaluation de la fiche {fiche.numero} a été enregistrée.")
            return redirect(reverse("evaluation_cls", args=[cls.pk]) + "#actions")
    return render(
        request,
        "form_page.html",
        {
            "title": f"Évaluer la fiche {fiche}",
            "nav": "cls",
            "form": form,
            "intro": "La case « à poursuivre » est préremplie avec la suite proposée par le porteur à la dernière "
            "revue annuelle, quand il y en a une."
            if initial
            else "",
            "cancel_url": reverse("evaluation_cls", args=[cls.pk]),
            "breadcrumb_links": _crumbs(cls, evaluation=True),
            "breadcrumb_current": f"Fiche {fiche.numero}",
        },
    )


def evaluation_report(request, pk, fmt):
    cls = _cls(request, pk)
    content = documents.cls_report(cls, timezone.localdate())
    if fmt == "docx":
        body, content_type = documents.report_docx(content), DOCX
    else:
        body, content_type = documents.report_pdf(content), "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{content.filename}.{fmt}"'
    return response


def evaluation_prepare(request, pk):
    cls = _cls(request, pk, edit=True)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.prepare_next_cls(cls=cls)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Le {new} a été créé à partir de l'évaluation. Complétez ses dates et son plan.")
            return redirect("cls_detail", pk=new.pk)
    continuing = FicheAction.objects.filter(cls=cls, evaluation__a_poursuivre=True).order_by("numero")
    return render(
        request,
        "evaluation/prepare.html",
        {
            "title": f"Préparer le CLS suivant — {cls}",
            "nav": "cls",
            "cls": cls,
            "form": form,
            "continuing": continuing,
            "successeur": Cls.objects.filter(predecesseur=cls).first(),
            "has_evaluation": Evaluation.objects.filter(cls=cls).exists(),
            "breadcrumb_links": _crumbs(cls, evaluation=True),
            "breadcrumb_current": "Préparer le CLS suivant",
        },
    )


def evaluation_departement(request, code):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    user = request.user
    in_scope = user.role == Role.ARS and (
        user.departement_id == departement.pk or (not user.departement_id and user.region_id == departement.region_id)
    )
    if not (in_scope or user.is_superuser):
        raise PermissionDenied("Cette comparaison est réservée aux agents de l'ARS qui suivent ce département.")
    today = timezone.localdate()
    return render(
        request,
        "evaluation/departement.html",
        {
            "title": f"Complétude du suivi des CLS — {departement}",
            "nav": "cls",
            "departement": departement,
            "rows": completeness.departement_completeness(departement, today),
            "today": today,
            "breadcrumb_links": [{"url": reverse("departement_detail", args=[code]), "title": str(departement)}],
            "breadcrumb_current": "Complétude du suivi",
        },
    )


def todo(request):
    today = timezone.localdate()
    return render(
        request,
        "evaluation/todo.html",
        {
            "title": "À faire",
            "nav": "a_faire",
            "todo": todo_for(request.user, today),
            "today": today,
            "breadcrumb_current": "À faire",
        },
    )
