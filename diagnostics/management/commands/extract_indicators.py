import csv
import json
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from diagnostics import sources
from diagnostics.aggregation import finalize, python_parts
from diagnostics.catalogue import CATALOGUE, COLUMNS
from diagnostics.importers import HOSPITAL_COLUMNS, VALUE_COLUMNS
from diagnostics.models import Agregation, Indicateur, Statut

# Computed by SantéLoc from the contours at import time, for communes and (from them) any set.
FROM_CONTOURS = {"superficie", "densite"}


def _fmt(value: float | None, statut: str) -> str:
    if statut == Statut.SECRET:
        return "s"
    if value is None:
        return ""
    return f"{value:.10g}"


def _catalogue_objects() -> dict[str, Indicateur]:
    objects = {}
    for pk, row in enumerate(CATALOGUE, start=1):
        objects[row["code"]] = Indicateur(
            pk=pk, code=row["code"], agregation=row["agregation"], facteur=row["facteur"], millesime=row["millesime"]
        )
    for row in CATALOGUE:
        ind = objects[row["code"]]
        for column in ("numerateur", "denominateur", "poids"):
            if row[column]:
                setattr(ind, f"{column}_id", objects[row[column]].pk)
    return objects


class Command(BaseCommand):
    help = (
        "Lit les fichiers des producteurs (INSEE, DREES, CépiDc, Eurostat) et écrit l'extrait compact "
        "livré avec SantéLoc (catalogue.csv, valeurs.csv, etablissements.csv) pour une région."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="dossier des fichiers sources (shared/data/indicators)")
        parser.add_argument("destination", help="dossier de l'extrait (data/indicateurs)")
        parser.add_argument("--region", default="44", help="code INSEE de la région (44 : Grand Est)")
        parser.add_argument("--cog", default=str(settings.SHIPPED_TERRITORIES_DIR / "cog" / "communes.json"))

    def handle(self, *args, source, destination, region, cog, **options):
        folder, out = Path(source), Path(destination)
        if not folder.is_dir():
            raise CommandError(f"Dossier introuvable : {folder}")
        out.mkdir(parents=True, exist_ok=True)
        cog_rows = [
            c
            for c in json.loads(Path(cog).read_text(encoding="utf-8"))
            if c.get("type") == "commune-actuelle" and c.get("region") == region
        ]
        commune_dep = {c["code"]: c["departement"] for c in cog_rows}
        departements = sorted(set(commune_dep.values()))
        self.stdout.write(f"COG : {len(commune_dep)} communes, départements {', '.join(departements)}.")

        values: dict = {}
        census, surfaces = sources.read_comparateur(folder)
        values.update(census)
        values.update(sources.read_apl(folder))
        values.update(sources.read_filosofi(folder))
        ages = sources.read_age_structure(folder)
        mortality = sources.read_mortality(folder)
        indicators = _catalogue_objects()

        rows = []
        # Commune values of the region's current communes; report what does not match the COG.
        for code, per_commune in sorted(values.items()):
            ind = indicators[code]
            for insee in sorted(commune_dep):
                if insee in per_commune:
                    value, _weight, statut = per_commune[insee]
                    rows.append(("commune", insee, code, ind.millesime, _fmt(value, statut)))
            unmatched = sorted(
                c for c in per_commune if c[:2] in departements and not c.startswith("97") and c not in commune_dep
            )
            absent = sorted(set(commune_dep) - set(per_commune))
            if unmatched or absent:
                self.stdout.write(
                    f"{code} : {len(unmatched)} code(s) source absents du COG {unmatched[:8]}"
                    f"{'…' if len(unmatched) > 8 else ''} ; {len(absent)} commune(s) du COG sans valeur "
                    f"{absent[:8]}{'…' if len(absent) > 8 else ''}"
                )

        # Departments, region and France: the same rules over the source's communes.
        groups = {("departement", dep): lambda c, dep=dep: c[:2] == dep for dep in departements}
        groups[("region", region)] = lambda c: c[:2] in departements and not c.startswith("97")
        groups[("france", "FR")] = lambda c: True
        aggregable = [
            ind for ind in indicators.values() if ind.agregation != Agregation.AUCUNE and ind.code not in FROM_CONTOURS
        ]
        for (niveau, code), keep in groups.items():
            subset = {ind: {c: v for c, v in per.items() if keep(c)} for ind, per in values.items()}
            parts = python_parts(list(indicators.values()), subset)
            for ind in aggregable:
                figure = finalize(ind, parts)
                if figure.value is not None:
                    rows.append((niveau, code, ind.code, ind.millesime, _fmt(figure.value, Statut.PUBLIEE)))
        population = sum(v for v, _w, s in values["population_2021"].values() if v is not None)
        surface = sum(v for v in surfaces.values() if v)
        rows.append(("france", "FR", "densite", 2021, _fmt(population / surface, Statut.PUBLIEE)))

        # Department context: age structure (estimates) and standardised mortality.
        counts = ages.pop("_counts")
        region_counts = [sum(counts[("departement", d)][i] for d in departements) for i in range(4)]
        ages[("region", region)] = {
            "part_0_19": region_counts[0] / region_counts[3] * 100,
            "part_60_74": region_counts[1] / region_counts[3] * 100,
            "part_75_plus": region_counts[2] / region_counts[3] * 100,
        }
        for (niveau, code), shares in ages.items():
            if niveau == "departement" and code not in departements:
                continue
            for ind_code, share in shares.items():
                rows.append((niveau, code, ind_code, 2023, _fmt(share, Statut.PUBLIEE)))
        for dep in departements:
            if dep in mortality:
                rows.append(("departement", dep, "mortalite_standardisee", 2023, _fmt(mortality[dep], Statut.PUBLIEE)))

        with open(out / "catalogue.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(CATALOGUE)
        with open(out / "valeurs.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(VALUE_COLUMNS)
            writer.writerows(rows)
        hospitals = [h for h in sources.read_hospitals(folder) if h["departement"] in departements]
        with open(out / "etablissements.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, HOSPITAL_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(sorted(hospitals, key=lambda h: h["finess"]))
        by_level = defaultdict(int)
        for row in rows:
            by_level[row[0]] += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Extrait écrit dans {out} : {len(rows)} valeurs ({dict(by_level)}), {len(hospitals)} établissements."
            )
        )
