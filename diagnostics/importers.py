"""Generic import of indicators: a catalogue CSV and a long CSV of values.

Catalogue (``catalogue.csv``, comma-separated, UTF-8): the columns of
``diagnostics.catalogue.COLUMNS``. Values (``valeurs.csv``): ``niveau,code,indicateur,annee,valeur``
with ``niveau`` in commune / epci / departement / region / france, ``valeur`` a number (point or
comma decimal), ``s`` for statistical secrecy, or empty when missing.

Everything is read and checked before anything is written; every error is reported in French
with its file, line and column; nothing is written if there is one (one transaction); a second
import of the same files changes nothing and says so.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from diagnostics.aggregation import values_changed
from diagnostics.catalogue import COLUMNS
from diagnostics.models import Agregation, Direction, Etablissement, Indicateur, Niveau, Statut, Valeur
from territories.models import Commune

VALUE_COLUMNS = ["niveau", "code", "indicateur", "annee", "valeur"]
CODE_PATTERNS = {
    Niveau.COMMUNE: re.compile(r"^(\d{5}|2[AB]\d{3})$"),
    Niveau.EPCI: re.compile(r"^\d{9}$"),
    Niveau.DEPARTEMENT: re.compile(r"^(\d{2,3}|2[AB])$"),
    Niveau.REGION: re.compile(r"^\d{2}$"),
    Niveau.FRANCE: re.compile(r"^FR$"),
}
BATCH = 2000


class IndicatorImportError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportReport:
    indicateurs_crees: int = 0
    indicateurs_modifies: int = 0
    valeurs_creees: int = 0
    valeurs_modifiees: int = 0
    valeurs_inchangees: int = 0
    hors_perimetre: int = 0
    etablissements: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.indicateurs_crees or self.indicateurs_modifies or self.valeurs_creees or self.valeurs_modifiees
        )

    def summary(self) -> str:
        if not self.changed:
            head = f"Aucun changement : les {self.valeurs_inchangees} valeurs sont déjà à jour."
        else:
            head = (
                f"Indicateurs : {self.indicateurs_crees} créés, {self.indicateurs_modifies} modifiés. "
                f"Valeurs : {self.valeurs_creees} créées, {self.valeurs_modifiees} modifiées, "
                f"{self.valeurs_inchangees} inchangées."
            )
        lines = [head]
        if self.hors_perimetre:
            lines.append(f"{self.hors_perimetre} valeurs de communes hors des départements choisis ignorées.")
        return "\n".join(lines + self.notes)


def _read_csv(path: Path, required: list[str], errors: list[str]) -> list[tuple[int, dict]]:
    name = Path(path).name
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            reader = csv.DictReader(handle, delimiter=delimiter)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                errors.append(f"{name} : colonne(s) manquante(s) : {', '.join(missing)}.")
                return []
            return [(line, row) for line, row in enumerate(reader, start=2)]
    except FileNotFoundError:
        errors.append(f"{name} : fichier introuvable ({path}).")
    except UnicodeDecodeError:
        errors.append(f"{name} : le fichier n'est pas encodé en UTF-8.")
    return []


def _parse_catalogue(path: Path, errors: list[str]) -> dict[str, dict]:
    name = Path(path).name
    rows = _read_csv(path, ["code", "libelle", "agregation", "millesime"], errors)
    found: dict[str, dict] = {}
    for line, row in rows:
        where = f"{name}, ligne {line}"
        code = (row.get("code") or "").strip()
        if not re.fullmatch(r"[a-z0-9_-]{1,60}", code):
            errors.append(f"{where}, colonne « code » : code d'indicateur invalide « {code} ».")
            continue
        if code in found:
            errors.append(f"{where}, colonne « code » : l'indicateur « {code} » est déjà défini plus haut.")
            continue
        data = {column: (row.get(column) or "").strip() for column in COLUMNS}
        if not data["libelle"]:
            errors.append(f"{where}, colonne « libelle » : libellé manquant.")
        if data["agregation"] not in Agregation.values:
            errors.append(
                f"{where}, colonne « agregation » : « {data['agregation']} » n'est pas une règle connue "
                f"({', '.join(Agregation.values)})."
            )
        data["direction"] = data["direction"] or Direction.NEUTRE
        if data["direction"] not in Direction.values:
            errors.append(f"{where}, colonne « direction » : « {data['direction']} » inconnue.")
        for column, default in (("millesime", None), ("decimales", "0"), ("ordre", "100")):
            text = data[column] or default
            if text is None or not text.isdigit():
                errors.append(f"{where}, colonne « {column} » : entier attendu, « {data[column]} » lu.")
            else:
                data[column] = int(text)
        try:
            data["facteur"] = Decimal((data["facteur"] or "1").replace(",", "."))
        except InvalidOperation:
            errors.append(f"{where}, colonne « facteur » : nombre attendu, « {data['facteur']} » lu.")
        data["cle"] = data["cle"] in {"1", "oui", "true"}
        data["_where"] = where
        found[code] = data
    known = set(found) | set(Indicateur.objects.values_list("code", flat=True))
    for data in found.values():
        where = data["_where"]
        for column in ("numerateur", "denominateur", "poids"):
            if data[column] and data[column] not in known:
                errors.append(f"{where}, colonne « {column} » : indicateur « {data[column]} » inconnu.")
        if data["agregation"] == Agregation.RATIO and not (data["numerateur"] and data["denominateur"]):
            errors.append(f"{where}, colonnes « numerateur » et « denominateur » : obligatoires pour un rapport.")
        if data["agregation"] == Agregation.MOYENNE_PONDEREE and not data["poids"]:
            errors.append(f"{where}, colonne « poids » : obligatoire pour une moyenne pondérée.")
    return found


def _parse_value(text: str):
    text = (text or "").strip()
    if text.lower() == "s":
        return None, Statut.SECRET
    if not text:
        return None, Statut.ABSENTE
    value = float(text.replace("\u202f", "").replace(" ", "").replace(",", "."))
    if math.isnan(value) or math.isinf(value):
        raise ValueError
    return value, Statut.PUBLIEE


def _in_scope(code: str, departements: set[str] | None) -> bool:
    if departements is None:
        return True
    return code[:3] in departements if code.startswith("97") else code[:2] in departements


def _parse_values(path, indicator_codes, communes, departements, errors, report) -> dict:
    name = Path(path).name
    rows = _read_csv(path, VALUE_COLUMNS, errors)
    found: dict = {}
    for line, row in rows:
        where = f"{name}, ligne {line}"
        niveau = (row["niveau"] or "").strip()
        code = (row["code"] or "").strip().upper()
        indicator = (row["indicateur"] or "").strip()
        if niveau not in Niveau.values:
            errors.append(
                f"{where}, colonne « niveau » : « {niveau} » n'est pas un niveau ({', '.join(Niveau.values)})."
            )
            continue
        if niveau == Niveau.COMMUNE and not _in_scope(code, departements):
            report.hors_perimetre += 1
            continue
        if not CODE_PATTERNS[niveau].match(code):
            errors.append(
                f"{where}, colonne « code » : « {code} » n'est pas un code de {Niveau(niveau).label.lower()}."
            )
            continue
        if niveau == Niveau.COMMUNE and code not in communes:
            errors.append(
                f"{where}, colonne « code » : la commune « {code} » n'existe pas dans les territoires importés."
            )
            continue
        if indicator not in indicator_codes:
            errors.append(f"{where}, colonne « indicateur » : indicateur « {indicator} » absent du catalogue.")
            continue
        year = (row["annee"] or "").strip()
        if not (year.isdigit() and 1900 <= int(year) <= 2100):
            errors.append(f"{where}, colonne « annee » : année invalide « {year} ».")
            continue
        try:
            value, statut = _parse_value(row["valeur"])
        except ValueError:
            errors.append(f"{where}, colonne « valeur » : nombre, « s » ou vide attendu, « {row['valeur']} » lu.")
            continue
        key = (indicator, niveau, code, int(year))
        if key in found:
            errors.append(
                f"{where} : valeur en double ({indicator}, {niveau} {code}, {year}), déjà ligne {found[key][2]}."
            )
            continue
        found[key] = (value, statut, line)
    return found


def import_indicators(
    *,
    catalogue_path: Path,
    values_path: Path,
    departements: set[str] | None = None,
    hospitals_path: Path | None = None,
) -> ImportReport:
    """Check then load a catalogue and its values; raises IndicatorImportError, writing nothing."""
    errors: list[str] = []
    report = ImportReport()
    catalogue = _parse_catalogue(catalogue_path, errors)
    indicator_codes = set(catalogue) | set(Indicateur.objects.values_list("code", flat=True))
    communes = dict(Commune.objects.values_list("code", "id"))
    values = _parse_values(values_path, indicator_codes, communes, departements, errors, report)
    hospitals = _parse_hospitals(hospitals_path, errors) if hospitals_path else None
    if errors:
        raise IndicatorImportError(errors)
    with transaction.atomic():
        indicators = _write_catalogue(catalogue, report)
        _write_values(values, indicators, communes, report)
        refresh_weights()
        if hospitals is not None:
            report.etablissements = _write_hospitals(hospitals, departements)
    return report


def _write_catalogue(catalogue: dict, report: ImportReport) -> dict[str, Indicateur]:
    existing = {ind.code: ind for ind in Indicateur.objects.all()}
    plain = [c for c in COLUMNS if c not in {"code", "numerateur", "denominateur", "poids"}]
    touched = set()
    for code, data in catalogue.items():
        ind = existing.get(code) or Indicateur(code=code)
        changed = ind.pk is None
        for column in plain:
            if getattr(ind, column) != data[column]:
                setattr(ind, column, data[column])
                changed = True
        if changed:
            report.indicateurs_crees += ind.pk is None
            report.indicateurs_modifies += ind.pk is not None
            ind.save()
            touched.add(code)
        existing[code] = ind
    for code, data in catalogue.items():  # references, once every indicator exists
        ind = existing[code]
        refs = {
            f"{column}_id": existing[data[column]].pk if data[column] else None
            for column in ("numerateur", "denominateur", "poids")
        }
        if any(getattr(ind, attr) != pk for attr, pk in refs.items()):
            for attr, pk in refs.items():
                setattr(ind, attr, pk)
            ind.full_clean()
            ind.save()
            if code not in touched:
                report.indicateurs_modifies += 1
                touched.add(code)
    return existing


def _write_values(values: dict, indicators: dict, communes: dict, report: ImportReport) -> None:
    ids = {code: ind.pk for code, ind in indicators.items()}
    codes_by_id = {pk: code for code, pk in ids.items()}
    wanted = {ids[key[0]] for key in values}
    existing = {}
    for pk, ind_id, niveau, code, annee, valeur, statut in Valeur.objects.filter(indicateur_id__in=wanted).values_list(
        "pk", "indicateur_id", "niveau", "code", "annee", "valeur", "statut"
    ):
        existing[codes_by_id[ind_id], niveau, code, annee] = (pk, valeur, statut)
    to_create, to_update = [], []
    for key, (value, statut, _line) in values.items():
        indicator, niveau, code, year = key
        old = existing.get(key)
        if old is None:
            to_create.append(
                Valeur(
                    indicateur_id=ids[indicator],
                    niveau=niveau,
                    code=code,
                    commune_id=communes[code] if niveau == Niveau.COMMUNE else None,
                    annee=year,
                    valeur=value,
                    statut=statut,
                )
            )
        elif old[1] != value or old[2] != statut:
            to_update.append(Valeur(pk=old[0], indicateur_id=ids[indicator], valeur=value, statut=statut))
        else:
            report.valeurs_inchangees += 1
    Valeur.objects.bulk_create(to_create, batch_size=BATCH)
    Valeur.objects.bulk_update(to_update, ["valeur", "statut"], batch_size=BATCH)
    values_changed({valeur.indicateur_id for valeur in to_create + to_update})
    report.valeurs_creees, report.valeurs_modifiees = len(to_create), len(to_update)


def refresh_weights() -> int:
    """Copy each weighted indicator's weight next to its commune values (for one-query aggregation)."""
    changed, touched = [], set()
    for ind in Indicateur.objects.filter(agregation=Agregation.MOYENNE_PONDEREE, poids__isnull=False).select_related(
        "poids"
    ):
        weights = dict(
            Valeur.objects.filter(indicateur=ind.poids, niveau=Niveau.COMMUNE, annee=ind.poids.millesime)
            .publiees()
            .values_list("commune_id", "valeur")
        )
        for valeur in Valeur.objects.filter(indicateur=ind, niveau=Niveau.COMMUNE).only("pk", "commune_id", "poids"):
            weight = weights.get(valeur.commune_id)
            if valeur.poids != weight:
                valeur.poids = weight
                changed.append(valeur)
                touched.add(ind.pk)
    Valeur.objects.bulk_update(changed, ["poids"], batch_size=BATCH)
    values_changed(touched)
    return len(changed)


HOSPITAL_COLUMNS = ["finess", "nom", "type", "statut_juridique", "departement", "ville", "latitude", "longitude"]


def _parse_hospitals(path: Path, errors: list[str]) -> list[dict]:
    name = Path(path).name
    found = []
    for line, row in _read_csv(path, HOSPITAL_COLUMNS, errors):
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except ValueError:
            errors.append(f"{name}, ligne {line}, colonnes « latitude » / « longitude » : coordonnées invalides.")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(f"{name}, ligne {line}, colonne « latitude » : coordonnées hors limites.")
            continue
        found.append({**row, "latitude": lat, "longitude": lon})
    return found


def _write_hospitals(rows: list[dict], departements: set[str] | None) -> int:
    existing = {e.finess: e for e in Etablissement.objects.all()}
    count = 0
    for row in rows:
        if departements is not None and row["departement"] not in departements:
            continue
        fields = {
            "nom": row["nom"],
            "type": row["type"],
            "statut_juridique": row["statut_juridique"],
            "departement_code": row["departement"],
            "ville": row["ville"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
        }
        current = existing.get(row["finess"])
        if current is None:
            Etablissement.objects.create(finess=row["finess"], **fields)
            count += 1
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            current.save()
            count += 1
    return count
