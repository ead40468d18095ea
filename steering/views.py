"""Screens of the governance (bodies, meetings, decisions, calendar) and of the yearly review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contracts.models import Cls
from core.models import Role
from steering import ics, services
from steering.forms import (
    CampagneForm,
    DecisionForm,
    InstanceForm,
    MembreForm,
    PieceJointeForm,
    ReponseForm,
    ReunionForm,
)
from steering.models import CampagneRevue, Decision, Instance, Membre, PieceJointe, ReponseRevue, Reunion
from steering.uploads import CONTENT_TYPES

EDITORS_ONLY = "Seules la coordination du CLS et l'ARS modifient sa gouvernance et ses revues."
MEETING_RELATED = ("instance_gouvernance", "instance_gouvernance__cls")


def _crumbs(cls: Cls, *, governance: bool = True) -> list[dict]:
    links = [
        {"url": reverse("cls_list"), "title": "Contrats locaux de santé"},
        {"url": reverse("cls_detail", args=[cls.pk]), "title": str(cls)},
    ]
    if governance:
        links.append({"url": reverse("steering_governance", args=[cls.pk]), "title": "Gouvernance et revues"})
    return links


def _cls(request, pk, *, edit: bool = False) -> Cls:
    cls = get_object_or_404(Cls.objects.for_user(request.user), pk=pk)
    if edit and not cls.can_edit(request.user):
        raise PermissionDenied(EDITORS_ONLY)
    return cls


def _reunion(request, pk, *, edit: bool = False) -> Reunion:
    reunion = get_object_or_404(Reunion.objects.for_user(request.user).select_related(*MEETING_RELATED), pk=pk)
    if edit and not reunion.can_edit(request.user):
        raise PermissionDenied(EDITORS_ONLY)
    return reunion


def _form_page(request, form, *, title, cls, cancel_url, extra_crumbs=(), template="form_page.html", **context):
    return render(
        request,
        template,
        {
            "title": title,
            "nav": "cls",
            "form": form,
            "cancel_url": cancel_url,
            "breadcrumb_links": _crumbs(cls) + list(extra_crumbs),
            "breadcrumb_current": title,
            **context,
        },
    )


def _save(request, form, save, success: str):
    """Run ``save`` for a valid posted form and return what it saved; a refusal's reasons go on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, success)
    return saved


def _confirm_delete(request, *, cls, title, consequences, delete, success, done_url, cancel_url, extra_crumbs=()):
    """GET: what would be removed, and a button to confirm; POST: run ``delete`` and go to ``done_url``."""
    if request.method == "POST":
        delete()
        messages.success(request, success)
        return redirect(done_url)
    return render(
        request,
        "steering/confirm_delete.html",
        {
            "title": title,
            "nav": "cls",
            "consequences": consequences,
            "cancel_url": cancel_url,
            "breadcrumb_links": _crumbs(cls) + list(extra_crumbs),
            "breadcrumb_current": title,
        },
    )


# Governance ----------------------------------------------------------------------------------------------------


def governance(request, pk):
    cls = _cls(request, pk)
    today = timezone.localdate()
    instances = cls.instances.prefetch_related("organisations", "membres__organisation").select_related("axe")
    reunions = Reunion.objects.filter(instance_gouvernance__cls=cls).select_related("instance_gouvernance")
    return render(
        request,
        "steering/governance.html",
        {
            "title": f"Gouvernance et revues — {cls}",
            "nav": "cls",
            "cls": cls,
            "instances": instances,
            "upcoming": reunions.upcoming(today),
            "past": reunions.past(today).prefetch_related("decisions"),
            "campagnes": cls.campagnes.all(),
            "can_edit": cls.can_edit(request.user),
            "breadcrumb_links": _crumbs(cls, governance=False),
            "breadcrumb_current": "Gouvernance et revues",
        },
    )


def _save_instance(form):
    return services.save_instance(
        form.save(commit=False), read_version=form.read_version, organisations=form.cleaned_data["organisations"]
    )


def instance_create(request, pk):
    cls = _cls(request, pk, edit=True)
    form = InstanceForm(request.POST or None, cls=cls)
    url = reverse("steering_governance", args=[cls.pk])
    if _save(request, form, _save_instance, "L'instance a été créée."):
        return redirect(url)
    return _form_page(request, form, title="Nouvelle instance", cls=cls, cancel_url=url)


def instance_edit(request, pk):
    instance = get_object_or_404(Instance.objects.editable_by(request.user).select_related("cls"), pk=pk)
    form = InstanceForm(request.POST or None, instance=instance, cls=instance.cls)
    url = reverse("steering_governance", args=[instance.cls_id]) + f"#instance-{instance.pk}"
    if _save(request, form, _save_instance, "L'instance a été modifiée."):
        return redirect(url)
    return _form_page(request, form, title=f"Modifier « {instance} »", cls=instance.cls, cancel_url=url)


def _editable_instance(request, pk) -> Instance:
    instance = get_object_or_404(Instance.objects.for_user(request.user).select_related("cls"), pk=pk)
    if not instance.cls.can_edit(request.user):
        raise PermissionDenied(EDITORS_ONLY)
    return instance


def member_create(request, pk):
    instance = _editable_instance(request, pk)
    form = MembreForm(request.POST or None)
    url = reverse("steering_governance", args=[instance.cls_id]) + f"#instance-{instance.pk}"

    def save(form):
        membre = form.save(commit=False)
        membre.instance_gouvernance = instance
        return services.save_membre(membre)

    if _save(request, form, save, "Le membre a été ajouté."):
        return redirect(url)
    return _form_page(request, form, title=f"Ajouter un membre — {instance}", cls=instance.cls, cancel_url=url)


def _editable_membre(request, pk) -> Membre:
    membre = get_object_or_404(
        Membre.objects.filter(instance_gouvernance__in=Instance.objects.for_user(request.user)).select_related(
            "instance_gouvernance__cls"
        ),
        pk=pk,
    )
    if not Instance.objects.editable_by(request.user).filter(pk=membre.instance_gouvernance_id).exists():
        raise PermissionDenied(EDITORS_ONLY)
    return membre


def member_edit(request, pk):
    membre = _editable_membre(request, pk)
    instance = membre.instance_gouvernance
    form = MembreForm(request.POST or None, instance=membre)
    url = reverse("steering_governance", args=[instance.cls_id]) + f"#instance-{instance.pk}"

    def save(form):
        return services.save_membre(form.save(commit=False), read_version=form.read_version)

    if _save(request, form, save, "Les informations du membre ont été modifiées."):
        return redirect(url)
    return _form_page(request, form, title=f"Modifier « {membre} » — {instance}", cls=instance.cls, cancel_url=url)


def member_delete(request, pk):
    membre = _editable_membre(request, pk)
    instance = membre.instance_gouvernance
    url = reverse("steering_governance", args=[instance.cls_id]) + f"#instance-{instance.pk}"
    presences = membre.presences.count()
    return _confirm_delete(
        request,
        cls=instance.cls,
        title=f"Retirer « {membre} » de l'instance « {instance} »",
        consequences=[
            f"{membre} ne figurera plus parmi les membres de l'instance « {instance} ».",
            f"Ses présences aux réunions passées seront aussi effacées des listes de présents ({presences} réunion"
            f"{'s' if presences > 1 else ''}) ; l'historique de chaque réunion en garde la trace.",
        ],
        delete=lambda: services.delete_membre(membre),
        success=f"« {membre} » ne fait plus partie de l'instance « {instance} ».",
        done_url=url,
        cancel_url=url,
    )


def meeting_create(request, pk):
    cls = _cls(request, pk, edit=True)
    initial = {"instance_gouvernance": request.GET.get("instance")}
    form = ReunionForm(request.POST or None, cls=cls, initial=initial)
    cancel = reverse("steering_governance", args=[cls.pk])

    def save(form):
        return services.save_reunion(form.save(commit=False), m2m=form.m2m())

    reunion = _save(request, form, save, "La réunion a été créée.")
    if reunion:
        return redirect("steering_meeting", pk=reunion.pk)
    return _form_page(request, form, title="Nouvelle réunion", cls=cls, cancel_url=cancel)


def meeting_edit(request, pk):
    reunion = _reunion(request, pk, edit=True)
    cls = reunion.instance_gouvernance.cls
    form = ReunionForm(request.POST or None, instance=reunion, cls=cls)
    url = reverse("steering_meeting", args=[reunion.pk])

    def save(form):
        return services.save_reunion(form.save(commit=False), read_version=form.read_version, m2m=form.m2m())

    if _save(request, form, save, "Les modifications ont été enregistrées."):
        return redirect(url)
    return _form_page(request, form, title=f"Modifier la réunion du {reunion.date:%d/%m/%Y}", cls=cls, cancel_url=url)


def meeting_delete(request, pk):
    reunion = _reunion(request, pk, edit=True)
    url = reverse("steering_meeting", args=[reunion.pk])
    when = f"{reunion.date:%d/%m/%Y}"
    decisions, pieces = reunion.decisions.count(), reunion.pieces_jointes.count()
    return _confirm_delete(
        request,
        cls=reunion.instance_gouvernance.cls,
        title=f"Supprimer la réunion du {when} — {reunion.instance_gouvernance}",
        consequences=[
            f"La réunion du {when} de l'instance « {reunion.instance_gouvernance} » sera supprimée, "
            "avec son ordre du jour, sa liste de présents et son compte rendu.",
            f"Ses décisions seront supprimées aussi ({decisions}).",
            f"Ses fichiers joints seront supprimés et effacés du serveur ({pieces}).",
        ],
        delete=lambda: services.delete_reunion(reunion),
        success=f"La réunion du {when} de l'instance « {reunion.instance_gouvernance} » a été supprimée.",
        done_url=reverse("steering_governance", args=[reunion.instance_gouvernance.cls_id]),
        cancel_url=url,
        extra_crumbs=[{"url": url, "title": f"Réunion du {when}"}],
    )


def meeting_detail(request, pk):
    reunion = get_object_or_404(
        Reunion.objects.for_user(request.user)
        .select_related(*MEETING_RELATED)
        .prefetch_related(
            "presents__organisation",
            "organisations_presentes",
            "fiches_discutees",
            "pieces_jointes",
            Prefetch("decisions", queryset=Decision.objects.select_related("suivie_par", "suivie_par_organisation")),
        ),
        pk=pk,
    )
    cls = reunion.instance_gouvernance.cls
    return render(
        request,
        "steering/meeting_detail.html",
        {
            "title": str(reunion),
            "nav": "cls",
            "reunion": reunion,
            "cls": cls,
            "can_edit": reunion.can_edit(request.user),
            "breadcrumb_links": _crumbs(cls),
            "breadcrumb_current": f"Réunion du {reunion.date:%d/%m/%Y}",
        },
    )


def attachment_add(request, pk):
    reunion = _reunion(request, pk, edit=True)
    form = PieceJointeForm(request.POST or None, request.FILES or None)
    url = reverse("steering_meeting", args=[reunion.pk])

    def save(form):
        return services.attach_file(reunion, uploaded=form.cleaned_data["fichier"], user=request.user)

    if _save(request, form, save, "Le fichier a été joint au compte rendu."):
        return redirect(url)
    return _form_page(
        request,
        form,
        title=f"Joindre un fichier — réunion du {reunion.date:%d/%m/%Y}",
        cls=reunion.instance_gouvernance.cls,
        cancel_url=url,
        extra_crumbs=[{"url": url, "title": f"Réunion du {reunion.date:%d/%m/%Y}"}],
        template="steering/upload_form.html",
    )


def attachment_download(request, pk):
    """Minutes are private: served only to people who see the CLS, never from a public media address."""
    piece = get_object_or_404(PieceJointe.objects.select_related("reunion"), pk=pk)
    if not Reunion.objects.for_user(request.user).filter(pk=piece.reunion_id).exists():
        raise Http404
    extension = "." + piece.nom.rsplit(".", 1)[-1].lower()
    return FileResponse(
        piece.fichier.open("rb"),
        as_attachment=True,
        filename=piece.nom,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


def attachment_delete(request, pk):
    piece = get_object_or_404(PieceJointe, pk=pk)
    reunion = _reunion(request, piece.reunion_id, edit=True)
    url = reverse("steering_meeting", args=[reunion.pk])
    return _confirm_delete(
        request,
        cls=reunion.instance_gouvernance.cls,
        title=f"Supprimer le fichier « {piece} »",
        consequences=[
            f"Le fichier « {piece} » sera retiré du compte rendu de la réunion du {reunion.date:%d/%m/%Y} "
            "et effacé du serveur : il ne pourra plus être téléchargé.",
        ],
        delete=lambda: services.delete_piece_jointe(piece),
        success=f"Le fichier « {piece} » a été supprimé.",
        done_url=url,
        cancel_url=url,
        extra_crumbs=[{"url": url, "title": f"Réunion du {reunion.date:%d/%m/%Y}"}],
    )


def decision_create(request, pk):
    reunion = _reunion(request, pk, edit=True)
    form = DecisionForm(request.POST or None, reunion=reunion)
    url = reverse("steering_meeting", args=[reunion.pk]) + "#decisions"
    if _save(request, form, lambda f: services.save_decision(f.save(commit=False)), "La décision a été ajoutée."):
        return redirect(url)
    return _form_page(request, form, title="Nouvelle décision", cls=reunion.instance_gouvernance.cls, cancel_url=url)


def decision_edit(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("reunion__instance_gouvernance__cls"), pk=pk)
    reunion = _reunion(request, decision.reunion_id, edit=True)
    form = DecisionForm(request.POST or None, instance=decision, reunion=reunion)
    url = reverse("steering_meeting", args=[reunion.pk]) + "#decisions"

    def save(form):
        return services.save_decision(form.save(commit=False), read_version=form.read_version)

    if _save(request, form, save, "La décision a été mise à jour."):
        return redirect(url)
    return _form_page(request, form, title="Modifier la décision", cls=reunion.instance_gouvernance.cls, cancel_url=url)


def upcoming(request):
    reunions = Reunion.objects.for_user(request.user).upcoming().select_related(*MEETING_RELATED)
    return render(
        request,
        "steering/upcoming.html",
        {
            "title": "Réunions à venir",
            "nav": "reunions",
            "reunions": reunions,
            "breadcrumb_current": "Réunions à venir",
        },
    )


def _ics_response(request, reunions, *, name: str, filename: str) -> HttpResponse:
    body = ics.calendar(
        reunions.select_related(*MEETING_RELATED),
        name=name,
        now=timezone.now(),
        domain=request.get_host().split(":")[0],
        url_of=lambda r: request.build_absolute_uri(reverse("steering_meeting", args=[r.pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def upcoming_ics(request):
    reunions = Reunion.objects.for_user(request.user).upcoming()
    return _ics_response(request, reunions, name="SantéLoc — réunions à venir", filename="reunions-a-venir.ics")


def cls_ics(request, pk):
    cls = _cls(request, pk)
    reunions = Reunion.objects.filter(instance_gouvernance__cls=cls).order_by("date", "heure", "pk")
    return _ics_response(request, reunions, name=f"Réunions — {cls}", filename=f"reunions-cls-{cls.pk}.ics")


# Yearly review -------------------------------------------------------------------------------------------------


def campaign_open(request, pk):
    cls = _cls(request, pk, edit=True)
    form = CampagneForm(request.POST or None)
    cancel = reverse("steering_governance", args=[cls.pk]) + "#revues"

    def save(form):
        return services.open_campaign(cls=cls, user=request.user, **form.cleaned_data)

    campagne = _save(request, form, save, "La campagne est ouverte.")
    if campagne:
        return redirect("steering_campaign", pk=campagne.pk)
    return _form_page(
        request,
        form,
        title="Ouvrir une revue annuelle",
        cls=cls,
        cancel_url=cancel,
        intro="Une question par action du plan (hors actions abandonnées) est posée à son porteur ; "
        "les actions sans porteur sont renseignées par la coordination.",
        submit_label="Ouvrir la campagne",
    )


def _campaign(request, pk) -> CampagneRevue:
    return get_object_or_404(CampagneRevue.objects.filter(cls__in=Cls.objects.for_user(request.user)), pk=pk)


def campaign_detail(request, pk):
    campagne = _campaign(request, pk)
    cls = campagne.cls
    can_edit = cls.can_edit(request.user)
    reponses = (
        ReponseRevue.objects.visible_to(request.user).filter(campagne=campagne).select_related("porteur", "repondu_par")
    )
    answerable = set(
        ReponseRevue.objects.answerable_by(request.user).filter(campagne=campagne).values_list("pk", flat=True)
    )
    for reponse in reponses:
        reponse.can_answer = reponse.pk in answerable
    return render(
        request,
        "steering/campaign_detail.html",
        {
            "title": str(campagne),
            "nav": "cls",
            "campagne": campagne,
            "cls": cls,
            "reponses": reponses,
            "progress": services.campaign_progress(campagne) if can_edit else None,
            "can_edit": can_edit,
            "breadcrumb_links": _crumbs(cls),
            "breadcrumb_current": f"Revue {campagne.annee}",
        },
    )


def _editable_campaign(request, pk) -> CampagneRevue:
    campagne = _campaign(request, pk)
    if not campagne.cls.can_edit(request.user):
        raise PermissionDenied(EDITORS_ONLY)
    return campagne


@require_POST
def campaign_remind(request, pk):
    campagne = _editable_campaign(request, pk)
    try:
        result = services.remind(campagne, url=request.build_absolute_uri(reverse("steering_my_review")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.sent_to:
            messages.success(request, "Relance envoyée par courriel à : " + ", ".join(result.sent_to) + ".")
        else:
            messages.info(request, "Aucun courriel envoyé : chaque porteur interrogé a répondu ou n'a pas d'adresse.")
        if result.without_address:
            messages.warning(
                request,
                "Sans compte SantéLoc avec une adresse de courriel, non relancés : "
                + ", ".join(result.without_address)
                + ".",
            )
    return redirect("steering_campaign", pk=campagne.pk)


def campaign_close(request, pk):
    campagne = _editable_campaign(request, pk)
    if request.method == "POST":
        try:
            result = services.close_campaign(campagne, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"La campagne est close. Reportées dans le plan d'action : {result.mesures} valeur(s) "
                f"d'indicateur et {result.depenses} ligne(s) de dépense.",
            )
            if result.kept:
                messages.warning(request, "Déjà saisies dans le plan, conservées : " + " ; ".join(result.kept) + ".")
        return redirect("steering_campaign", pk=campagne.pk)
    progress = services.campaign_progress(campagne)
    return render(
        request,
        "steering/campaign_close.html",
        {
            "title": f"Clore la revue {campagne.annee} — {campagne.cls}",
            "nav": "cls",
            "campagne": campagne,
            "progress": progress,
            "breadcrumb_links": _crumbs(campagne.cls)
            + [{"url": reverse("steering_campaign", args=[campagne.pk]), "title": f"Revue {campagne.annee}"}],
            "breadcrumb_current": "Clore la campagne",
        },
    )


def answer(request, pk):
    reponse = get_object_or_404(
        ReponseRevue.objects.visible_to(request.user)
        .filter(campagne__cls__in=Cls.objects.for_user(request.user))
        .select_related("campagne__cls", "porteur", "fiche", "repondu_par"),
        pk=pk,
    )
    campagne = reponse.campagne
    can_answer = ReponseRevue.objects.answerable_by(request.user).filter(pk=reponse.pk).exists()
    if request.method == "POST" and not can_answer:
        raise PermissionDenied(
            services.CLOSED if campagne.est_close else "Vous ne pouvez pas répondre à cette question."
        )
    form = ReponseForm(request.POST or None, reponse=reponse) if can_answer else None
    if request.user.role == Role.PORTEUR:
        back, back_title = reverse("steering_my_review"), "Ma revue annuelle"
    else:
        back, back_title = reverse("steering_campaign", args=[campagne.pk]), f"Revue {campagne.annee}"

    def save(form):
        return services.answer(reponse, user=request.user, **form.answer_kwargs())

    if form is not None and _save(
        request, form, save, f"Votre réponse sur l'action {reponse.fiche_numero} est enregistrée."
    ):
        return redirect(back)
    return render(
        request,
        "steering/answer.html",
        {
            "title": f"Revue {campagne.annee} — action {reponse.fiche_numero}",
            "nav": "revue",
            "reponse": reponse,
            "campagne": campagne,
            "valeurs": reponse.valeurs.all(),
            "form": form,
            "cancel_url": back,
            "breadcrumb_links": [{"url": back, "title": back_title}],
            "breadcrumb_current": f"Action {reponse.fiche_numero}",
        },
    )


def my_review(request):
    """The questions put to the user's organisation (carrier) in open campaigns; past answers below."""
    user = request.user
    reponses = (
        ReponseRevue.objects.visible_to(user)
        .filter(campagne__cls__in=Cls.objects.for_user(user))
        .select_related("campagne__cls")
        .order_by("campagne__close_le", "-campagne__annee", "campagne__cls__nom", "fiche_numero")
    )
    if user.role != Role.PORTEUR:
        reponses = reponses.filter(porteur__isnull=True, campagne__cls__in=Cls.objects.editable_by(user))
    open_, closed = [], []
    for reponse in reponses:
        (closed if reponse.campagne.est_close else open_).append(reponse)
    return render(
        request,
        "steering/my_review.html",
        {
            "title": "Ma revue annuelle",
            "nav": "revue",
            "open": open_,
            "closed": closed,
            "breadcrumb_current": "Ma revue annuelle",
        },
    )
