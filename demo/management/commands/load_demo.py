from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.actions import load_actions_demo
from demo.careoffer import load_care_offer_demo
from demo.diagnostics import load_diagnostics_demo
from demo.evaluation import load_evaluation_demo
from demo.marne import DEMO_PASSWORD, create_demo_accounts, load_marne_demo
from demo.steering import load_steering_demo
from territories.models import Departement


class Command(BaseCommand):
    help = "Charge la démonstration de la Marne (CLS des documents sources) et ses comptes de démonstration."

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
        clss = load_marne_demo()
        accounts = create_demo_accounts(clss)
        load_diagnostics_demo(clss)
        load_actions_demo(clss)  # after the diagnostic: demo actions answer its issues
        load_care_offer_demo()
        load_steering_demo(clss)  # after the actions: meetings and reviews are about them
        load_evaluation_demo(clss)  # after the review: the evaluation draws on its answers
        accounts.append(("porteur.udaf", "porteur d'actions (UDAF de la Marne)"))
        self.stdout.write(f"Démonstration de la Marne chargée : {len(clss)} contrats locaux de santé.")
        self.stdout.write(f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») :")
        for username, description in accounts:
            self.stdout.write(f"  {username:<15} {description}")
