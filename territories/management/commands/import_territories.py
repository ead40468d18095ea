from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from territories.importer import TerritoryFileError, import_territories


class Command(BaseCommand):
    help = (
        "Importe régions, départements, EPCI, communes et contours depuis un dossier "
        "au format de shared/data (cog/*.json, geo/**/*.geojson). Idempotent et atomique."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            default=str(settings.SHIPPED_TERRITORIES_DIR),
            help="dossier source (défaut : les données Grand Est livrées avec SantéLoc)",
        )
        parser.add_argument("--region", action="append", dest="regions", help="code INSEE d'une région à importer")
        parser.add_argument(
            "--departement", action="append", dest="departements", help="code INSEE d'un département à importer"
        )
        parser.add_argument("--millesime", type=int, default=2026, help="millésime du COG (défaut 2026)")

    def handle(self, *args, source, regions, departements, millesime, **options):
        try:
            report = import_territories(
                Path(source),
                regions=set(regions) if regions else None,
                departements=set(departements) if departements else None,
                millesime=millesime,
            )
        except TerritoryFileError as error:
            raise CommandError(f"Import annulé, rien n'a été écrit. {error}") from None
        for line in report.lines():
            self.stdout.write(line)
