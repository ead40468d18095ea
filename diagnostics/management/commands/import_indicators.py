from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from diagnostics.importers import IndicatorImportError, import_indicators
from diagnostics.services import compute_surfaces

SHIPPED = settings.BASE_DIR / "data" / "indicateurs"


class Command(BaseCommand):
    help = (
        "Importe un catalogue d'indicateurs et ses valeurs (CSV long : niveau, code, indicateur, année, valeur). "
        "Par défaut : l'extrait Grand Est livré dans data/indicateurs/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--catalogue", default=str(SHIPPED / "catalogue.csv"))
        parser.add_argument("--valeurs", default=str(SHIPPED / "valeurs.csv"))
        parser.add_argument("--etablissements", default=str(SHIPPED / "etablissements.csv"))
        parser.add_argument(
            "--departement",
            action="append",
            dest="departements",
            help="ne garder que les communes de ce département (répétable)",
        )

    def handle(self, *args, catalogue, valeurs, etablissements, departements, **options):
        try:
            report = import_indicators(
                catalogue_path=Path(catalogue),
                values_path=Path(valeurs),
                departements=set(departements) if departements else None,
                hospitals_path=Path(etablissements) if etablissements else None,
            )
        except IndicatorImportError as error:
            for line in error.errors[:200]:
                self.stderr.write(line)
            if len(error.errors) > 200:
                self.stderr.write(f"… et {len(error.errors) - 200} autres erreurs.")
            raise CommandError(f"Import refusé : {len(error.errors)} erreur(s), rien n'a été enregistré.") from None
        self.stdout.write(report.summary())
        created, updated = compute_surfaces()
        self.stdout.write(f"Superficies calculées des contours : {created} créées, {updated} modifiées.")
