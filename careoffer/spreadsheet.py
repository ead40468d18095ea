"""The structures of a department as CSV or XLSX, and the reading of such a file.

The export and the import share one format: what you download, you can edit and upload
again. Reading checks every cell first and returns every error with its row and column;
nothing is written unless the whole file is right (``careoffer.services.import_structures``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass

import openpyxl
from django.utils import timezone

from careoffer.models import SHORT_LABELS, Precision, Structure, TypeStructure, format_forecast
from contracts.models import Organisation
from core.cells import cell_text, parse_date
from territories.models import Commune, Departement


@dataclass(frozen=True)
class Column:
    key: str
    header: str


COLUMNS = [
    Column("type", "Type"),
    Column("nom", "Nom"),
    Column("commune", "Commune (code INSEE)"),
    Column("communes", "Territoire de la CPTS (codes INSEE)"),
    Column("adresse", "Adresse ou lieu"),
    Column("porteur", "Porteur"),
    Column("date_projet", "Projet depuis le"),
    Column("prevision", "Ouverture prévue"),
    Column("date_ouverture", "Ouverte le"),
    Column("date_fermeture", "Fermée le"),
    Column("nb_medecins", "Médecins"),
    Column("nb_autres_professionnels", "Autres professionnels"),
    Column("nb_professions_paramedicales", "Professions paramédicales"),
    Column("source", "Source"),
    Column("observations", "Observations"),
]
STATE_HEADER = "État à la date de l'export (ignoré à l'import)"
HEADERS = [c.header for c in COLUMNS]
TYPES_BY_LABEL = {label.lower(): value for value, label in SHORT_LABELS.items()} | {
    value: value for value in TypeStructure.values
}
INTEGER_FIELDS = {"nb_medecins", "nb_autres_professionnels", "nb_professions_paramedicales"}
DATE_FIELDS = {"date_projet", "date_ouverture", "date_fermeture"}
MAX_LENGTHS = {"nom": 200, "adresse": 300, "source": 300}


# --- export -------------------------------------------------------------------------------


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def export_rows(departement: Departement) -> list[list]:
    today = timezone.localdate()
    structures = (
        Structure.objects.filter(departement=departement)
        .select_related("commune", "porteur")
        .prefetch_related("communes")
        .order_by("type", "nom")
    )
    rows = [[*HEADERS, STATE_HEADER]]
    for s in structures:
        rows.append(
            [
                s.type_court,
                s.nom,
                s.commune.code,
                ", ".join(sorted(c.code for c in s.communes.all())),
                s.adresse,
                s.porteur.nom if s.porteur else "",
                _date(s.date_projet),
                format_forecast(s.date_prevision, s.precision_prevision),
                _date(s.date_ouverture),
                _date(s.date_fermeture),
                "" if s.nb_medecins is None else s.nb_medecins,
                "" if s.nb_autres_professionnels is None else s.nb_autres_professionnels,
                "" if s.nb_professions_paramedicales is None else s.nb_professions_paramedicales,
                s.source,
                s.observations,
                s.etat_at(today).label,
            ]
        )
    return rows


def to_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens the accents right


def to_xlsx(rows: list[list], *, title: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if cell.data_type == "f":  # a name starting with "=" is text, never a formula
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    for index, _header in enumerate(rows[0], start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 22
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import -------------------------------------------------------------------------------


class FileError(Exception):
    """The file cannot be read at all (format, headers)."""


def read_table(name: str, content: bytes) -> tuple[str, list[list]]:
    """(where, rows) from a CSV or XLSX file; ``where`` names the file and sheet for messages."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise FileError(f"Le fichier « {name} » n'est pas un classeur XLSX lisible.") from error
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return f"« {name} », feuille « {sheet.title} »", rows
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        return f"« {name} »", [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise FileError("Envoyez un fichier CSV (.csv) ou un classeur Excel (.xlsx).")


def parse_forecast(value) -> tuple[datetime.date | None, str]:
    """« T1 2024 », « 1er trimestre 2024 », « 2024 » or a day → (first day of the period, precision)."""
    if value in (None, ""):
        return None, Precision.JOUR
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    text = cell_text(value)
    if match := re.fullmatch(r"(?:T|trimestre\s*)([1-4])\s+(\d{4})", text, flags=re.IGNORECASE):
        quarter, year = int(match[1]), int(match[2])
        return datetime.date(year, 3 * quarter - 2, 1), Precision.TRIMESTRE
    if re.fullmatch(r"\d{4}", text):
        return datetime.date(int(text), 1, 1), Precision.ANNEE
    try:
        return parse_date(value), Precision.JOUR
    except ValueError:
        raise ValueError(f"prévision illisible « {text} » (attendu : « T1 2024 », « 2024 » ou JJ/MM/AAAA)") from None


def split_codes(value) -> list[str]:
    """« 51454, 51612 » or « 51454;51612 » → ["51454", "51612"]."""
    return [code.upper() for code in re.split(r"[;,\s]+", cell_text(value)) if code]


def _int(value) -> int | None:
    text = cell_text(value)
    if text == "":
        return None
    if not text.isdigit():
        raise ValueError(f"nombre entier attendu, « {text} » lu")
    return int(text)


def parse_structures(where: str, rows: list[list], *, departement: Departement) -> tuple[list[dict], list[str]]:
    """(records ready for ``import_structures``, French errors « feuille, ligne N, colonne « X » : … »)."""
    rows = [row for row in rows if any(cell_text(cell) for cell in row)]
    if not rows:
        return [], [f"{where} : le fichier est vide."]
    headers = [cell_text(cell) for cell in rows[0]]
    missing = [h for h in HEADERS if h not in headers]
    if missing:
        return [], [f"{where}, ligne 1 : colonne(s) manquante(s) : " + ", ".join(f"« {h} »" for h in missing) + "."]
    index = {column.key: headers.index(column.header) for column in COLUMNS}
    codes = set()
    porteurs = set()
    for row in rows[1:]:
        cells = [*row, *[None] * len(headers)]
        codes.add(cell_text(cells[index["commune"]]))
        codes.update(split_codes(cells[index["communes"]]))
        porteurs.add(cell_text(cells[index["porteur"]]))
    communes = {c.code: c for c in Commune.objects.filter(code__in=codes)}
    organisations = {o.nom: o for o in Organisation.objects.filter(nom__in=porteurs)}

    records, errors, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, *[None] * len(headers)]

        def cell(key, cells=cells):
            return cells[index[key]]

        def error(key, message, number=number):
            header = next(c.header for c in COLUMNS if c.key == key)
            errors.append(f"{where}, ligne {number}, colonne « {header} » : {message}")

        record = {}
        kind = TYPES_BY_LABEL.get(cell_text(cell("type")).lower())
        if kind is None:
            error("type", f"type inconnu « {cell_text(cell('type'))} » (MSP, ESP, CPTS, MMG ou Centre de santé).")
        record["type"] = kind
        nom = cell_text(cell("nom"))
        if not nom:
            error("nom", "le nom est obligatoire.")
        record["nom"] = nom
        if nom and kind and (kind, nom) in seen:
            error("nom", f"cette structure figure déjà ligne {seen[(kind, nom)]}.")
        seen.setdefault((kind, nom), number)
        for key, limit in MAX_LENGTHS.items():
            if len(cell_text(cell(key))) > limit:
                error(key, f"{limit} caractères au plus.")
        code = cell_text(cell("commune"))
        commune = communes.get(code)
        if commune is None:
            error("commune", f"commune inconnue « {code} » (code INSEE à 5 caractères)." if code else "obligatoire.")
        elif commune.departement_id != departement.pk:
            error("commune", f"{commune} n'est pas dans le département {departement}.")
        record["commune"] = commune
        territory = []
        for code in split_codes(cell("communes")):
            if code not in communes:
                error("communes", f"commune inconnue « {code} ».")
            else:
                territory.append(communes[code])
        if territory and kind != TypeStructure.CPTS:
            error("communes", "seule une CPTS couvre un ensemble de communes.")
        record["communes"] = territory
        record["adresse"] = cell_text(cell("adresse"))
        porteur_name = cell_text(cell("porteur"))
        record["porteur"] = organisations.get(porteur_name) if porteur_name else None
        if porteur_name and record["porteur"] is None:
            error("porteur", f"organisation inconnue « {porteur_name} » (créez-la d'abord dans l'annuaire).")
        for key in DATE_FIELDS:
            try:
                record[key] = parse_date(cell(key))
            except ValueError as problem:
                error(key, f"{problem}.")
        try:
            record["date_prevision"], record["precision_prevision"] = parse_forecast(cell("prevision"))
        except ValueError as problem:
            error("prevision", f"{problem}.")
        for key in INTEGER_FIELDS:
            try:
                record[key] = _int(cell(key))
            except ValueError as problem:
                error(key, f"{problem}.")
        record["source"] = cell_text(cell("source"))
        record["observations"] = cell_text(cell("observations"))
        opened, closed, project = record.get("date_ouverture"), record.get("date_fermeture"), record.get("date_projet")
        if closed and not opened:
            error("date_fermeture", "une structure ne ferme qu'après avoir ouvert : indiquez la date d'ouverture.")
        elif closed and opened and closed < opened:
            error("date_fermeture", "la fermeture précède l'ouverture.")
        if project and opened and project > opened:
            error("date_projet", "le projet ne peut pas être postérieur à l'ouverture.")
        records.append(record)
    return records, errors
