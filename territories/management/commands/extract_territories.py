from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.importer import TerritoryFileError, write_subset


class Command(BaseCommand):
    help = "Écrit, au format source, le sous-ensemble des fichiers de territoires de quelques régions."

    def add_arguments(self, parser):
        parser.add_argument("source", help="dossier source au format de shared/data")
        parser.add_argument("target", help="dossier à écrire")
        parser.add_argument("--region", action="append", dest="regions", required=True)

    def handle(self, *args, source, target, regions, **options):
        try:
            written = write_subset(Path(source), Path(target), regions=set(regions))
        except TerritoryFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{written['communes']} communes, {written['epci']} EPCI et {written['geo_files']} fichiers de contours "
            f"écrits dans {target}"
        )
