"""Writes of the governance and of the yearly review, and the figures shown about them.

Closing a campaign writes the answers back to the action plan, once, in the
same transaction: each indicator value becomes the year's measure and the money
spent becomes the year's spending line, unless the action already has one for
that year (what is already in the plan is never overwritten; the differences
are listed). Rates and states are not written back: a rate needs its numerator
and denominator, and a state is dated by its own change log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import number_format

from actions.models import Depense, Etat, FicheAction, Mesure
from contracts.models import Cls, Organisation
from core.concurrency import save_if_current
from core.models import Role, User
from steering.models import (
    CampagneRevue,
    Decision,
    Instance,
    Membre,
    PieceJointe,
    ReponseRevue,
    Reunion,
    ValeurIndicateurRevue,
)
from steering.uploads import check_minutes_file

CLOSED = "Cette campagne de revue est close : ses réponses ne peuvent plus être modifiées."


# Governance ----------------------------------------------------------------------------------------------------


def check_reunion_links(reunion: Reunion, m2m: dict) -> None:
    """Attendance from the body's members, actions from the CLS's own plan."""
    errors = {}
    strangers = [m for m in m2m.get("presents", []) if m.instance_gouvernance_id != reunion.instance_gouvernance_id]
    if strangers:
        errors["presents"] = "Ces personnes ne sont pas membres de l'instance : " + ", ".join(map(str, strangers))
    foreign = [f for f in m2m.get("fiches_discutees", []) if f.cls_id != reunion.instance_gouvernance.cls_id]
    if foreign:
        errors["fiches_discutees"] = "Ces actions appartiennent à un autre CLS : " + ", ".join(map(str, foreign))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_instance(instance: Instance, *, read_version: int | None = None, organisations=None) -> Instance:
    """Create a body, or save an edited one unless someone saved it meanwhile (``StaleVersionError``)."""
    instance.full_clean()
    save_if_current(instance, read_version=read_version or 0)
    if organisations is not None:
        instance.organisations.set(organisations)
    return instance


def save_membre(membre: Membre, *, read_version: int | None = None) -> Membre:
    """Add a member to a body, or save an edited one unless someone saved it meanwhile."""
    membre.full_clean()
    save_if_current(membre, read_version=read_version or 0)
    return membre


@transaction.atomic
def save_reunion(reunion: Reunion, *, read_version: int | None = None, m2m: dict | None = None) -> Reunion:
    """Create a meeting, or save an edited one unless someone saved it meanwhile."""
    reunion.full_clean()
    check_reunion_links(reunion, m2m or {})
    save_if_current(reunion, read_version=read_version or 0)
    for name, values in (m2m or {}).items():
        getattr(reunion, name).set(values)
    return reunion


@transaction.atomic
def attach_file(reunion: Reunion, *, uploaded, user=None) -> PieceJointe:
    """Check a file (type, content, size) and attach it to the meeting's minutes."""
    check_minutes_file(uploaded)
    piece = PieceJointe(reunion=reunion, nom=uploaded.name[:200], taille=uploaded.size, ajoutee_par=user)
    piece.fichier.save(uploaded.name, uploaded, save=False)
    piece.save()
    return piece


def _erase_after_commit(pieces) -> None:
    """Erase the stored files of ``pieces`` once their deletion is committed (never if it is rolled back)."""
    for piece in pieces:
        storage, name = piece.fichier.storage, piece.fichier.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


@transaction.atomic
def delete_piece_jointe(piece: PieceJointe) -> None:
    """Remove a file from the minutes, and from the storage; its history keeps who removed it and when."""
    _erase_after_commit([piece])
    piece.delete()


@transaction.atomic
def delete_membre(membre: Membre) -> None:
    """Remove a person from a body, with their attendance: each meeting's history records the removed presence."""
    for reunion in membre.presences.all():
        reunion.presents.remove(membre)
    membre.delete()


@transaction.atomic
def delete_reunion(reunion: Reunion) -> None:
    """Remove a meeting with its decisions and attached files (the files are erased from the storage too)."""
    _erase_after_commit(reunion.pieces_jointes.all())
    reunion.delete()


def save_decision(decision: Decision, *, read_version: int | None = None) -> Decision:
    """Record a decision, or save an edited one unless someone saved it meanwhile."""
    decision.full_clean()
    if decision.faite_le and decision.faite_le < decision.reunion.date:
        raise ValidationError({"faite_le": "La décision ne peut pas être réalisée avant la réunion qui l'a prise."})
    save_if_current(decision, read_version=read_version or 0)
    return decision


def governance_section_context(cls: Cls, user) -> dict:
    """What the CLS page shows about its governance: ``data`` of steering/includes/_cls_section.html."""
    reunions = Reunion.objects.filter(instance_gouvernance__cls=cls).select_related("instance_gouvernance")
    return {
        "cls": cls,
        "nb_instances": cls.instances.count(),
        "prochaine": reunions.upcoming().first(),
        "derniere": reunions.past().first(),
        "campagne_ouverte": cls.campagnes.filter(close_le__isnull=True).first(),
    }


# Yearly review -------------------------------------------------------------------------------------------------


@transaction.atomic
def open_campaign(
    *,
    cls: Cls,
    annee: int,
    user=None,
    today: datetime.date | None = None,
    date_limite: datetime.date | None = None,
    illustratif: bool = False,
) -> CampagneRevue:
    """Open the review of ``annee``: one question per action of the plan (not abandoned, added by then).

    Each question copies the action's number, title and carrier, and its indicators' labels, so that the
    review reads as it was asked whatever later happens to the plan.
    """
    today = today or timezone.localdate()
    if annee > today.year:
        raise ValidationError({"annee": f"On ne revoit pas une année à venir : choisissez {today.year} au plus tard."})
    if date_limite and date_limite < today:
        raise ValidationError({"date_limite": "La date limite des réponses ne peut pas être déjà passée."})
    if CampagneRevue.objects.filter(cls=cls, annee=annee).exists():
        raise ValidationError({"annee": f"Une campagne de revue {annee} existe déjà pour ce CLS."})
    campagne = CampagneRevue(
        cls=cls, annee=annee, ouverte_le=today, date_limite=date_limite, ouverte_par=user, illustratif=illustratif
    )
    campagne.full_clean()
    campagne.save()
    fiches = (
        FicheAction.objects.filter(cls=cls)
        .exclude(etat=Etat.ABANDONNEE)
        .exclude(date_ajout__year__gt=annee)
        .prefetch_related("indicateurs")
    )
    for fiche in fiches:
        reponse = ReponseRevue.objects.create(
            campagne=campagne, fiche=fiche, fiche_numero=fiche.numero, fiche_titre=fiche.titre, porteur=fiche.porteur
        )
        ValeurIndicateurRevue.objects.bulk_create(
            ValeurIndicateurRevue(reponse=reponse, indicateur=i, libelle=i.libelle, unite=i.unite)
            for i in fiche.indicateurs.all()
        )
    return campagne


def check_open(campagne: CampagneRevue) -> None:
    if campagne.est_close:
        raise ValidationError(CLOSED, code="closed")


@transaction.atomic
def answer(
    reponse: ReponseRevue,
    *,
    user,
    read_version: int,
    etat: str,
    poursuite: str,
    realise: str = "",
    public_atteint: int | None = None,
    depense: Decimal | None = None,
    difficultes: str = "",
    valeurs: dict[int, Decimal | None] | None = None,
    now: datetime.datetime | None = None,
) -> ReponseRevue:
    """Record (or correct) the answer about one action, while its campaign is open.

    ``valeurs`` maps ValeurIndicateurRevue ids of this answer to the value declared.
    """
    check_open(CampagneRevue.objects.select_for_update().get(pk=reponse.campagne_id))
    if not ReponseRevue.objects.answerable_by(user).filter(pk=reponse.pk).exists():
        raise PermissionDenied("Seuls le porteur interrogé et la coordination du CLS répondent à cette question.")
    errors = {}
    if not etat:
        errors["etat"] = "Indiquez où en est l'action."
    if not poursuite:
        errors["poursuite"] = "Indiquez la suite que vous proposez."
    if errors:
        raise ValidationError(errors)
    reponse.etat, reponse.poursuite, reponse.realise = etat, poursuite, realise
    reponse.public_atteint, reponse.depense, reponse.difficultes = public_atteint, depense, difficultes
    reponse.repondu_le, reponse.repondu_par = now or timezone.now(), user
    reponse.full_clean()
    save_if_current(reponse, read_version=read_version)
    for valeur in reponse.valeurs.all():
        if valeurs is not None and valeur.pk in valeurs:
            valeur.valeur = valeurs[valeur.pk]
            valeur.full_clean()
            valeur.save()
    return reponse


@dataclass
class Reminder:
    sent_to: list[str] = field(default_factory=list)  # organisations reminded
    without_address: list[str] = field(default_factory=list)  # carriers with no account holding an e-mail


def carrier_addresses(organisation: Organisation) -> list[str]:
    users = User.objects.filter(organisation=organisation, role=Role.PORTEUR, is_active=True).exclude(email="")
    return sorted(users.values_list("email", flat=True))


@transaction.atomic
def remind(campagne: CampagneRevue, *, url: str, now: datetime.datetime | None = None) -> Reminder:
    """E-mail each carrier that has not answered everything; record the reminder on its questions.

    ``url`` is the absolute address of the carriers' review page, put in the message.
    """
    check_open(CampagneRevue.objects.select_for_update().get(pk=campagne.pk))
    now = now or timezone.now()
    pending = campagne.reponses.unanswered().filter(porteur__isnull=False).select_related("porteur")
    by_carrier: dict[Organisation, list[ReponseRevue]] = {}
    for reponse in pending:
        by_carrier.setdefault(reponse.porteur, []).append(reponse)
    result = Reminder()
    for organisation, reponses in sorted(by_carrier.items(), key=lambda item: item[0].nom):
        addresses = carrier_addresses(organisation)
        if not addresses:
            result.without_address.append(organisation.nom)
            continue
        actions = "\n".join(f"- {r.fiche_numero} {r.fiche_titre}" for r in reponses)
        deadline = f" avant le {campagne.date_limite:%d/%m/%Y}" if campagne.date_limite else ""
        send_mail(
            subject=f"Revue annuelle {campagne.annee} du {campagne.cls} : vos réponses sont attendues",
            message=(
                f"Bonjour,\n\nLa coordination du {campagne.cls} attend{deadline} vos réponses à la revue annuelle "
                f"{campagne.annee} pour les actions que porte {organisation.nom} :\n{actions}\n\n"
                f"Pour répondre : {url}\n\nMerci.\n— SantéLoc"
            ),
            from_email=None,
            recipient_list=addresses,
        )
        ReponseRevue.objects.filter(pk__in=[r.pk for r in reponses]).update(relance_le=now)
        result.sent_to.append(organisation.nom)
    return result


@dataclass
class Closing:
    mesures: int = 0
    depenses: int = 0
    kept: list[str] = field(default_factory=list)  # values the plan already had for the year, left as they were


def _fr(value: Decimal) -> str:
    return number_format(value, 2, use_l10n=True, force_grouping=True)


def _source(campagne: CampagneRevue) -> str:
    return f"Revue annuelle {campagne.annee}" + (" (exemple illustratif)" if campagne.illustratif else "")


@transaction.atomic
def close_campaign(campagne: CampagneRevue, *, user=None, today: datetime.date | None = None) -> Closing:
    """Close the campaign for good and write its answers back to the plan (see the module's docstring)."""
    check_open(CampagneRevue.objects.select_for_update().get(pk=campagne.pk))
    result = Closing()
    source = _source(campagne)
    answered = campagne.reponses.exclude(repondu_le=None).exclude(fiche=None).prefetch_related("valeurs__indicateur")
    for reponse in answered:
        for valeur in reponse.valeurs.all():
            indicateur = valeur.indicateur
            if indicateur is None or valeur.valeur is None or indicateur.est_taux:
                continue
            existing = Mesure.objects.filter(indicateur=indicateur, annee=campagne.annee, periode="").first()
            if existing is None:
                mesure = Mesure(indicateur=indicateur, annee=campagne.annee, valeur=valeur.valeur, source=source)
                mesure.full_clean()
                mesure.save()
                result.mesures += 1
            elif existing.valeur != valeur.valeur:
                result.kept.append(
                    f"{reponse.fiche_numero} « {valeur.libelle} » : le plan garde {_fr(existing.valeur)}, "
                    f"la revue déclarait {_fr(valeur.valeur)}"
                )
        if reponse.depense is None:
            continue
        spent = Depense.objects.filter(fiche_id=reponse.fiche_id, annee=campagne.annee)
        if not spent.exists():
            depense = Depense(fiche_id=reponse.fiche_id, annee=campagne.annee, montant=reponse.depense, libelle=source)
            depense.full_clean()
            depense.save()
            result.depenses += 1
        elif spent.total() != reponse.depense:
            result.kept.append(
                f"{reponse.fiche_numero} dépenses {campagne.annee} : le plan garde {_fr(spent.total())} €, "
                f"la revue déclarait {_fr(reponse.depense)} €"
            )
    campagne.close_le = today or timezone.localdate()
    campagne.close_par = user
    campagne.save()
    return result


def campaign_progress(campagne: CampagneRevue) -> dict:
    """Who answered and who did not, per carrier, computed by the database."""
    reponses = campagne.reponses.all()
    par_porteur = (
        reponses.order_by()
        .values("porteur__nom")
        .annotate(
            total=Count("pk"),
            repondues=Count("pk", filter=Q(repondu_le__isnull=False)),
            relance=Max("relance_le"),
        )
        .order_by("porteur__nom")
    )
    rows = list(par_porteur)
    total = sum(row["total"] for row in rows)
    answered = sum(row["repondues"] for row in rows)
    return {
        "total": total,
        "repondues": answered,
        "pourcentage": round(answered / total * 100) if total else 0,
        "par_porteur": rows,
    }
