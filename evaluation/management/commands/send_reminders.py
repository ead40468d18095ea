from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.models import User
from evaluation.models import RappelEnvoye
from evaluation.reminders import digest, todo_for


class Command(BaseCommand):
    help = (
        "Envoie par e-mail à chaque personne ce qu'elle a à faire (contrats à renouveler, actions en retard, "
        "indicateurs sans valeur, décisions échues, revues ouvertes). À lancer chaque jour : une personne reçoit "
        "au plus un message par jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=getattr(settings, "SITE_URL", "http://127.0.0.1:8000"),
            help="adresse du site, pour les liens du message (par défaut : %(default)s)",
        )

    def handle(self, *args, url, **options):
        today = timezone.localdate()
        already = set(RappelEnvoye.objects.filter(date=today).values_list("destinataire_id", flat=True))
        sent = skipped = 0
        for user in User.objects.filter(is_active=True).exclude(email="").exclude(pk__in=already).order_by("pk"):
            todo = todo_for(user, today)
            if not todo.count:
                skipped += 1
                continue
            subject, body = digest(user, todo, today, base_url=url.rstrip("/"))
            with transaction.atomic():  # no record if the mail could not be sent: the next run retries
                RappelEnvoye.objects.create(destinataire=user, date=today, nombre=todo.count)
                send_mail(subject, body, None, [user.email])
            sent += 1
        self.stdout.write(
            f"Rappels du {today:%d/%m/%Y} : {sent} envoyé(s), {len(already)} déjà envoyé(s) aujourd'hui, "
            f"{skipped} personne(s) sans rien à faire."
        )
