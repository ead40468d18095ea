from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contracts.models import Cls
from demo.actions import load_actions_demo
from demo.careoffer import load_care_offer_demo
from demo.diagnostics import load_diagnostics_demo
from demo.evaluation import load_evaluation_demo
from demo.marne import DEMO_PASSWORD, create_demo_accounts, existing_demo_accounts, load_marne_demo
from demo.models import ChargementDemo
from demo.steering import load_steering_demo
from territories.models import Departement


class Command(BaseCommand):
    help = (
        "Charge la démonstration de la Marne (CLS des documents sources) et ses comptes de démonstration. "
        "Elle n’est chargée qu’une fois, dans une base sans CLS : relancée (par « make run »), la commande "
        "ne modifie rien, et garde tout ce qui a été changé, renommé ou supprimé depuis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sans-debug",
            action="store_true",
            help="autoriser le chargement hors DEBUG (jamais en production : comptes au mot de passe connu)",
        )

    def handle(self, *args, sans_debug, **options):
        if not settings.DEBUG and not sans_debug:
            raise CommandError(
                "La démonstration crée des comptes au mot de passe connu : elle ne se charge qu'avec DEBUG."
            )
        if not Departement.objects.filter(code="51").exists():
            raise CommandError("La Marne n'est pas importée : lancez d'abord « manage.py import_territories ».")
        loaded = ChargementDemo.objects.order_by("created_at").first()
        if loaded is not None:
            self.stdout.write(f"Démo déjà chargée le {loaded.created_at:%d/%m/%Y} : rien n’est modifié.")
        elif Cls.objects.exists():
            self.stdout.write("La base contient déjà des CLS : la démo n’est pas chargée, rien n’est modifié.")
        else:
            with transaction.atomic():  # all or nothing: a failed load leaves no half demo behind
                clss = load_marne_demo()
                create_demo_accounts(clss)
                load_diagnostics_demo(clss)
                load_actions_demo(clss)  # after the diagnostic: demo actions answer its issues
                load_care_offer_demo()
                load_steering_demo(clss)  # after the actions: meetings and reviews are about them
                load_evaluation_demo(clss)  # after the review: the evaluation draws on its answers
                ChargementDemo.objects.create()
            self.stdout.write(f"Démonstration de la Marne chargée : {len(clss)} contrats locaux de santé.")
        accounts = existing_demo_accounts()
        if accounts:
            self.stdout.write(f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») :")
            for username, description in accounts:
                self.stdout.write(f"  {username:<15} {description}")
