"""Import the official territories from the COG files and the commune contours.

Input, in a source folder laid out like ``shared/data`` (or the shipped
``data/territoires``):

- ``cog/regions.json``, ``cog/departements.json``, ``cog/communes.json``,
  ``cog/epci.json`` (format of the ``@etalab/decoupage-administratif`` package);
- ``geo/**/communes-*.geojson`` and ``geo/**/departements-*.geojson`` (IGN
  contours, properties ``code`` and ``nom``).

Every file is read and checked before anything is written; the first problem
stops the import with its file, record and field (``TerritoryFileError``), and
the database is left as it was. Writing happens in one transaction and only
touches rows whose values differ, so a second run reports no change.

Only metropolitan France and the DROM are imported: the collectivités
d'outre-mer have no ARS.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from territories.models import Commune, CommuneContour, Departement, DepartementContour, Epci, EpciType, Region
from territories.signals import commune_contours_changed

ARS_ZONES = {"metro", "drom"}
COORDINATE_DECIMALS = 5


class TerritoryFileError(Exception):
    """A source file is unusable; the message says where, in French."""

    def __init__(self, path: Path, message: str, *, record: int | None = None, field_name: str | None = None):
        self.path, self.record, self.field_name = path, record, field_name
        where = [f"fichier {path}"]
        if record is not None:
            where.append(f"enregistrement n° {record}")
        if field_name is not None:
            where.append(f"champ « {field_name} »")
        super().__init__(f"{', '.join(where)} : {message}")


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated


@dataclass
class ImportReport:
    counts: dict[str, ModelCounts] = field(default_factory=lambda: defaultdict(ModelCounts))
    memberships_added: int = 0
    memberships_removed: int = 0
    unmatched_contours: list[str] = field(default_factory=list)
    communes_without_contour: list[str] = field(default_factory=list)
    merged_contours: int = 0
    absent_from_cog: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(any(c.changed for c in self.counts.values()) or self.memberships_added or self.memberships_removed)

    def lines(self) -> list[str]:
        labels = {
            "regions": "régions",
            "departements": "départements",
            "epcis": "EPCI",
            "communes": "communes",
            "contours": "contours",
        }
        out = []
        for key, label in labels.items():
            c = self.counts[key]
            out.append(f"{label} : {c.created} créé(s), {c.updated} mis à jour, {c.unchanged} inchangé(s)")
        out.append(
            f"appartenances commune-EPCI : {self.memberships_added} ajoutée(s), {self.memberships_removed} retirée(s)"
        )
        out.append(f"contours de communes fusionnées rattachés à leur commune actuelle : {self.merged_contours}")
        if self.unmatched_contours:
            out.append(
                f"contours sans commune correspondante dans le COG ({len(self.unmatched_contours)}) : "
                + ", ".join(self.unmatched_contours[:20])
                + (" …" if len(self.unmatched_contours) > 20 else "")
            )
        if self.communes_without_contour:
            out.append(f"communes sans contour dans les fichiers fournis : {len(self.communes_without_contour)}")
        if self.absent_from_cog:
            out.append(
                f"communes en base absentes du COG importé (conservées) : {', '.join(self.absent_from_cog[:20])}"
            )
        out.append("Aucun changement." if not self.changed else "Import terminé.")
        return out


# ---------------------------------------------------------------------------
# Reading and checking


def _load_json(path: Path):
    if not path.is_file():
        raise TerritoryFileError(path, "fichier introuvable")
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except UnicodeDecodeError:
        raise TerritoryFileError(path, "le fichier n'est pas encodé en UTF-8") from None
    except json.JSONDecodeError as error:
        raise TerritoryFileError(path, f"JSON invalide à la ligne {error.lineno}, colonne {error.colno}") from None


def _records(path: Path) -> list[dict]:
    data = _load_json(path)
    if not isinstance(data, list):
        raise TerritoryFileError(path, "une liste d'enregistrements est attendue")
    for index, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise TerritoryFileError(path, "un objet JSON est attendu", record=index)
    return data


def _text(path: Path, index: int, record: dict, name: str, *, digits: int | None = None) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip():
        raise TerritoryFileError(path, "valeur manquante ou vide", record=index, field_name=name)
    if digits is not None and (len(value) != digits or not value.isdigit()):
        raise TerritoryFileError(
            path, f"« {value} » n'est pas un code de {digits} chiffres", record=index, field_name=name
        )
    return value.strip()


def _population(path: Path, index: int, record: dict) -> int:
    value = record.get("population")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TerritoryFileError(
            path, f"« {value} » n'est pas une population (entier positif ou nul)", record=index, field_name="population"
        )
    return value


@dataclass
class CogData:
    regions: dict[str, str]  # code -> nom
    departements: dict[str, tuple[str, str]]  # code -> (nom, region code)
    communes: dict[str, tuple[str, str, int]]  # code -> (nom, departement code, population)
    epcis: dict[str, tuple[str, str, list[str]]]  # siren -> (nom, type, member commune codes)
    current_code_of: dict[str, str]  # any old/delegated code -> current commune code


def read_cog(cog_dir: Path, *, regions: set[str] | None = None, departements: set[str] | None = None) -> CogData:
    """Read and check the four COG files; keep the ARS zones (and ``regions``, ``departements``)."""
    path = cog_dir / "regions.json"
    region_names = {}
    for index, record in enumerate(_records(path), start=1):
        if record.get("zone") in ARS_ZONES:
            code = _text(path, index, record, "code")
            if regions is None or code in regions:
                region_names[code] = _text(path, index, record, "nom")
    if regions and (missing := regions - region_names.keys()):
        raise TerritoryFileError(path, f"région(s) inconnue(s) : {', '.join(sorted(missing))}")

    path = cog_dir / "departements.json"
    found, wanted = {}, departements
    for index, record in enumerate(_records(path), start=1):
        region = record.get("region")
        code = record.get("code")
        if record.get("zone") in ARS_ZONES and region in region_names and (not wanted or code in wanted):
            found[_text(path, index, record, "code")] = (_text(path, index, record, "nom"), region)
    if wanted and (missing := wanted - found.keys()):
        raise TerritoryFileError(path, f"département(s) inconnu(s) : {', '.join(sorted(missing))}")
    departements = found
    if wanted:
        region_names = {code: name for code, name in region_names.items() if code in {r for _n, r in found.values()}}

    path = cog_dir / "communes.json"
    communes, current_code_of = {}, {}
    rows = _records(path)
    for index, record in enumerate(rows, start=1):
        kind = record.get("type")
        if kind == "commune-actuelle":
            if record.get("zone") not in ARS_ZONES or record.get("region") not in region_names:
                continue
            code = _text(path, index, record, "code", digits=None)
            dep = _text(path, index, record, "departement")
            if dep not in departements:
                if wanted:
                    continue
                raise TerritoryFileError(path, f"département « {dep} » inconnu", record=index, field_name="departement")
            communes[code] = (_text(path, index, record, "nom"), dep, _population(path, index, record))
            for old in record.get("anciensCodes") or []:
                current_code_of.setdefault(old, code)
    for index, record in enumerate(rows, start=1):
        if record.get("type") in {"commune-deleguee", "commune-associee"} and record.get("chefLieu") in communes:
            current_code_of.setdefault(_text(path, index, record, "code"), record["chefLieu"])

    path = cog_dir / "epci.json"
    epcis = {}
    valid_types = set(EpciType.values)
    for index, record in enumerate(_records(path), start=1):
        members = record.get("membres")
        if not isinstance(members, list):
            raise TerritoryFileError(path, "liste des membres manquante", record=index, field_name="membres")
        kept = [m.get("code") for m in members if isinstance(m, dict) and m.get("code") in communes]
        if not kept:
            continue
        siren = _text(path, index, record, "code", digits=9)
        kind = _text(path, index, record, "type")
        if kind not in valid_types:
            raise TerritoryFileError(path, f"type « {kind} » inconnu", record=index, field_name="type")
        epcis[siren] = (_text(path, index, record, "nom"), kind, kept)
    return CogData(region_names, departements, communes, epcis, current_code_of)


def _rounded(geometry):
    """GeoJSON mapping of a shapely geometry with coordinates rounded to ~1 m."""

    def walk(coords):
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], COORDINATE_DECIMALS), round(coords[1], COORDINATE_DECIMALS)]
        return [walk(c) for c in coords]

    data = mapping(geometry)
    return {"type": data["type"], "coordinates": walk(data["coordinates"])}


def _features(path: Path) -> list[tuple[int, str, dict]]:
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise TerritoryFileError(path, "une FeatureCollection GeoJSON est attendue")
    out = []
    for index, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") or {}
        code = props.get("code")
        if not isinstance(code, str) or not code:
            raise TerritoryFileError(path, "code INSEE manquant", record=index, field_name="properties.code")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            raise TerritoryFileError(path, "polygone attendu", record=index, field_name="geometry")
        out.append((index, code, geometry))
    return out


def read_contours(geo_dir: Path, cog: CogData, report: ImportReport) -> tuple[dict[str, dict], dict[str, dict]]:
    """Commune and department contours keyed by current code.

    Contours of communes that have merged since the contours' vintage are
    joined (union of shapes) to the commune that absorbed them.
    """
    pieces: dict[str, list] = defaultdict(list)
    for path in sorted(geo_dir.rglob("communes-*.geojson")):
        for index, code, geometry in _features(path):
            current = code if code in cog.communes else cog.current_code_of.get(code)
            if current is None:
                report.unmatched_contours.append(code)
                continue
            try:
                pieces[current].append(shape(geometry))
            except (ValueError, TypeError, IndexError):
                raise TerritoryFileError(path, "géométrie illisible", record=index, field_name="geometry") from None
            if current != code:
                report.merged_contours += 1
    commune_contours = {}
    for code, shapes in pieces.items():
        merged = shapes[0] if len(shapes) == 1 else unary_union([s.buffer(0) for s in shapes])
        commune_contours[code] = _rounded(merged)

    departement_contours = {}
    for path in sorted(geo_dir.rglob("departements-*.geojson")):
        for _index, code, geometry in _features(path):
            if code in cog.departements:
                departement_contours[code] = geometry
    return commune_contours, departement_contours


# ---------------------------------------------------------------------------
# Writing


def _sync(model, wanted: dict[str, dict], report_key: str, report: ImportReport) -> dict[str, int]:
    """Create or update ``model`` rows keyed by ``code``; return code -> id."""
    fields = list(next(iter(wanted.values())).keys()) if wanted else []
    existing = {obj.code: obj for obj in model.objects.filter(code__in=wanted.keys())}
    counts = report.counts[report_key]
    to_create, to_update = [], []
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, fields + ["updated_at"], batch_size=1000)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.unchanged += len(wanted) - len(to_create) - len(to_update)
    return dict(model.objects.filter(code__in=wanted.keys()).values_list("code", "id"))


def import_territories(
    source_dir: Path,
    *,
    regions: set[str] | None = None,
    departements: set[str] | None = None,
    millesime: int = 2026,
) -> ImportReport:
    """Import (or bring up to date) the territories found in ``source_dir``."""
    source_dir = Path(source_dir)
    report = ImportReport()
    cog = read_cog(source_dir / "cog", regions=regions, departements=departements)
    commune_contours, departement_contours = read_contours(source_dir / "geo", cog, report)
    report.communes_without_contour = sorted(set(cog.communes) - commune_contours.keys())

    with transaction.atomic():
        region_ids = _sync(Region, {c: {"nom": n} for c, n in cog.regions.items()}, "regions", report)
        dep_ids = _sync(
            Departement,
            {code: {"nom": nom, "region_id": region_ids[region]} for code, (nom, region) in cog.departements.items()},
            "departements",
            report,
        )
        epci_ids = _sync(
            Epci, {siren: {"nom": nom, "type": kind} for siren, (nom, kind, _m) in cog.epcis.items()}, "epcis", report
        )
        commune_ids = _sync(
            Commune,
            {
                code: {
                    "nom": nom,
                    "departement_id": dep_ids[dep],
                    "population": population,
                    "population_millesime": millesime,
                }
                for code, (nom, dep, population) in cog.communes.items()
            },
            "communes",
            report,
        )
        _sync_memberships(cog, commune_ids, epci_ids, report)
        _sync_contours(DepartementContour, {dep_ids[c]: g for c, g in departement_contours.items()}, report)
        changed = _sync_contours(CommuneContour, {commune_ids[c]: g for c, g in commune_contours.items()}, report)
        if changed:
            commune_contours_changed.send(sender=CommuneContour, commune_ids=changed)
        report.absent_from_cog = sorted(
            Commune.objects.filter(departement_id__in=dep_ids.values())
            .exclude(code__in=cog.communes.keys())
            .values_list("code", flat=True)
        )
    return report


def _sync_contours(model, wanted: dict[int, dict], report: ImportReport) -> set[int]:
    """Create or update contours keyed by their territory's id; return the ids whose contour changed."""
    key = model._meta.pk.attname
    existing = dict(model.objects.filter(**{f"{key}__in": wanted.keys()}).values_list(key, "geojson"))
    to_create = [model(**{key: pk, "geojson": geo}) for pk, geo in wanted.items() if pk not in existing]
    to_update = [
        model(**{key: pk, "geojson": geo}) for pk, geo in wanted.items() if pk in existing and existing[pk] != geo
    ]
    model.objects.bulk_create(to_create, batch_size=500)
    model.objects.bulk_update(to_update, ["geojson"], batch_size=500)
    counts = report.counts["contours"]
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.unchanged += len(wanted) - len(to_create) - len(to_update)
    return {getattr(contour, key) for contour in (*to_create, *to_update)}


def _sync_memberships(cog: CogData, commune_ids: dict, epci_ids: dict, report: ImportReport) -> None:
    through = Commune.epcis.through
    wanted = {
        (commune_ids[code], epci_ids[siren]) for siren, (_n, _t, members) in cog.epcis.items() for code in members
    }
    existing = set(through.objects.filter(commune_id__in=commune_ids.values()).values_list("commune_id", "epci_id"))
    removed = existing - wanted
    for commune_id, epci_id in removed:
        through.objects.filter(commune_id=commune_id, epci_id=epci_id).delete()
    added = wanted - existing
    through.objects.bulk_create([through(commune_id=c, epci_id=e) for c, e in added], batch_size=2000)
    report.memberships_added += len(added)
    report.memberships_removed += len(removed)


# ---------------------------------------------------------------------------
# Extracting a subset to ship


def write_subset(source_dir: Path, target_dir: Path, *, regions: set[str]) -> dict[str, int]:
    """Write the files of ``regions`` only, in the source formats, to ``target_dir``.

    This is how the repository's ``data/territoires`` (Grand Est) is produced:
    the same importer then reads it offline.
    """
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    cog = read_cog(source_dir / "cog", regions=regions)
    (target_dir / "cog").mkdir(parents=True, exist_ok=True)
    (target_dir / "geo").mkdir(parents=True, exist_ok=True)
    kept_codes = set(cog.communes) | set(cog.current_code_of)

    def dump(name: str, rows: list) -> None:
        with (target_dir / "cog" / name).open("w", encoding="utf-8") as handle:
            json.dump(rows, handle, ensure_ascii=False, separators=(",", ":"))

    dump("regions.json", [r for r in _records(source_dir / "cog/regions.json") if r.get("code") in cog.regions])
    dump(
        "departements.json",
        [r for r in _records(source_dir / "cog/departements.json") if r.get("code") in cog.departements],
    )
    dump(
        "communes.json",
        [
            r
            for r in _records(source_dir / "cog/communes.json")
            if r.get("code") in kept_codes and r.get("departement") in cog.departements
        ],
    )
    dump("epci.json", [r for r in _records(source_dir / "cog/epci.json") if r.get("code") in cog.epcis])

    written = {"communes": len(cog.communes), "epci": len(cog.epcis), "geo_files": 0}
    for path in sorted((source_dir / "geo").rglob("*.geojson")):
        data = _load_json(path)
        wanted = kept_codes if path.name.startswith("communes-") else set(cog.departements)
        if not path.name.startswith(("communes-", "departements-")):
            continue
        features = [f for f in data.get("features", []) if (f.get("properties") or {}).get("code") in wanted]
        if features:
            with (target_dir / "geo" / path.name).open("w", encoding="utf-8") as handle:
                json.dump({"type": "FeatureCollection", "features": features}, handle, separators=(",", ":"))
            written["geo_files"] += 1
    for licence in (source_dir / "cog").glob("LICENSE*"):
        (target_dir / "cog" / licence.name).write_text(licence.read_text(encoding="utf-8"), encoding="utf-8")
    return written
