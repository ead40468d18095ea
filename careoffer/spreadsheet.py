"""The structures and medico-social schemes of a department as CSV or XLSX, and the reading of such files.

The export and the import share one format: what you download, you can edit and upload
again. The XLSX workbook holds two sheets, « Structures » and « Dispositifs » (their
columns differ: one table with a kind column would be mostly empty cells); CSV holds one
table, so structures and schemes are two CSV downloads. On import, each table is
recognised by its header row. Reading checks every cell first and returns every error
with its sheet, row and column; nothing is written unless the whole file is right
(``careoffer.services.import_structures`` and ``import_dispositifs``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.utils import timezone

from careoffer.models import (
    DISPOSITIF_SHORT,
    SHORT_LABELS,
    Dispositif,
    Precision,
    Structure,
    TypeDispositif,
    TypeStructure,
    format_forecast,
    school_year_label,
)
from contracts.models import Organisation
from core.cells import DateOutOfRangeError, cell_text, parse_amount, parse_date, parse_decimal, shown_value
from core.limits import COUNT_MAX, IMPORT_MAX_ROWS, YEAR_MAX, YEAR_MIN
from core.numbers import fmt
from core.tabular import CsvWriter, append_rows, read_row, too_many_rows
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
MAX_TERRITORY_CODES = 1000  # a CPTS covers a few hundred communes at most
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
    CsvWriter(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens the accents right


def to_xlsx(rows: list[list], *, title: str) -> bytes:
    return to_workbook([(title, rows)])


def to_workbook(sheets: list[tuple[str, list[list]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, rows)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        _fill_sheet(workbook.create_sheet(title[:31]), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet, rows: list[list]) -> None:
    append_rows(sheet, rows)  # a name starting with « = » is text, never a formula
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    for index, _header in enumerate(rows[0], start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 22
    sheet.freeze_panes = "A2"


# --- import -------------------------------------------------------------------------------


class FileError(Exception):
    """The file cannot be read at all (format, headers)."""


def _table(where: str, rows) -> list[list]:
    """The non-empty rows of a table, as exported (``core.tabular.read_row``), header first.

    Read one row at a time: past ``IMPORT_MAX_ROWS`` data rows the file is refused before the
    rest is read, and before anything is written.
    """
    table = []
    for row in rows:
        if not any(cell_text(cell) for cell in row):
            continue
        if len(table) > IMPORT_MAX_ROWS:  # the header and IMPORT_MAX_ROWS data rows are already in
            raise FileError(too_many_rows(where, per="tableau", limit=IMPORT_MAX_ROWS))
        table.append(read_row(row))
    return table


def read_tables(name: str, content: bytes) -> list[tuple[str, list[list]]]:
    """[(where, rows)] for every non-empty sheet of an XLSX file, or the one table of a CSV file."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise FileError(f"Le fichier « {name} » n'est pas un classeur XLSX lisible.") from error
        tables = []
        try:
            for sheet in workbook.worksheets:
                where = f"« {name} », feuille « {sheet.title} »"
                rows = _table(where, sheet.iter_rows(values_only=True))
                if rows:
                    tables.append((where, rows))
        finally:
            workbook.close()
        return tables or [(f"« {name} »", [])]
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        if "\x00" in text:
            raise FileError(f"Le fichier « {name} » n’est pas un fichier CSV lisible (caractère nul).")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        where = f"« {name} »"
        try:
            return [(where, _table(where, csv.reader(io.StringIO(text), delimiter=delimiter)))]
        except csv.Error as error:  # a NUL byte, a cell longer than the csv module takes
            raise FileError(f"Le fichier {where} n’est pas un fichier CSV lisible.") from error
    raise FileError("Envoyez un fichier CSV (.csv) ou un classeur Excel (.xlsx).")


def parse_forecast(value) -> tuple[datetime.date | None, str]:
    """« T1 2024 », « 1er trimestre 2024 », « 2024 » or a day → (first day of the period, precision)."""
    if value in (None, ""):
        return None, Precision.JOUR
    text = cell_text(value)
    if match := re.fullmatch(r"(?:T|trimestre\s*)([1-4])\s+(\d{4})", text, flags=re.IGNORECASE):
        quarter, year = int(match[1]), _year(match[2])
        return datetime.date(year, 3 * quarter - 2, 1), Precision.TRIMESTRE
    if re.fullmatch(r"\d{4}", text):
        return datetime.date(_year(text), 1, 1), Precision.ANNEE
    try:
        return parse_date(value), Precision.JOUR
    except DateOutOfRangeError:
        raise
    except ValueError:
        raise ValueError(f"prévision illisible « {text} » (attendu : « T1 2024 », « 2024 » ou JJ/MM/AAAA)") from None


def _year(text: str) -> int:
    """A year typed on its own, within the accepted dates (1900 to 2100)."""
    if not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise DateOutOfRangeError(f"année {text} hors de la période acceptée ({YEAR_MIN} à {YEAR_MAX})")
    return int(text)


def split_codes(value) -> list[str]:
    """« 51454, 51612 » or « 51454;51612 » → ["51454", "51612"]."""
    return [code.upper() for code in re.split(r"[;,\s]+", cell_text(value)) if code]


def _int(value) -> int | None:
    text = cell_text(value)
    if text == "":
        return None
    if not re.fullmatch(r"[0-9]+", text):
        raise ValueError(f"nombre entier attendu, « {shown_value(value)} » lu")
    if len(text) > 5 or int(text) > COUNT_MAX:
        raise ValueError(f"« {shown_value(value)} » : {COUNT_MAX} au plus")
    return int(text)


def _hours(value) -> Decimal | None:
    """Weekly opening hours: 0 to 168 (a week), one decimal."""
    return parse_decimal(value, decimals=1, minimum=0, maximum=168, what="un nombre d’heures")


@dataclass
class TableRows:
    """The data rows of an imported table, read by column key, errors named by row and column."""

    where: str
    columns: list[Column]
    rows: list[list]
    errors: list[str]

    @classmethod
    def read(cls, where: str, rows: list[list], columns: list[Column]) -> TableRows:
        """Check the header row; problems found so far are in ``errors``."""
        rows = [row for row in rows if any(cell_text(cell) for cell in row)]
        if not rows:
            return cls(where, columns, [], [f"{where} : le fichier est vide."])
        headers = [cell_text(cell) for cell in rows[0]]
        missing = [c.header for c in columns if c.header not in headers]
        if missing:
            message = f"{where}, ligne 1 : colonne(s) manquante(s) : " + ", ".join(f"« {h} »" for h in missing) + "."
            return cls(where, columns, [], [message])
        index = {c.key: headers.index(c.header) for c in columns}
        width = len(headers)
        data = [{key: [*row, *[None] * width][position] for key, position in index.items()} for row in rows[1:]]
        return cls(where, columns, data, [])

    def values(self, key: str) -> set[str]:
        return {cell_text(row[key]) for row in self.rows}

    def numbered(self):
        """(row number as the user sees it, cells by key, error(key, message)) for each data row."""
        for number, cells in enumerate(self.rows, start=2):

            def error(key, message, number=number):
                header = next(c.header for c in self.columns if c.key == key)
                self.errors.append(f"{self.where}, ligne {number}, colonne « {header} » : {message}")

            yield number, cells, error


def parse_structures(where: str, rows: list[list], *, departement: Departement) -> tuple[list[dict], list[str]]:
    """(records ready for ``import_structures``, French errors « feuille, ligne N, colonne « X » : … »)."""
    table = TableRows.read(where, rows, COLUMNS)
    territories = [split_codes(row["communes"]) for row in table.rows]
    codes = table.values("commune") | {c for t in territories if len(t) <= MAX_TERRITORY_CODES for c in t}
    communes = {c.code: c for c in Commune.objects.filter(code__in=codes)}
    organisations = {o.nom: o for o in Organisation.objects.filter(nom__in=table.values("porteur"))}

    records, errors, seen = [], table.errors, {}
    for number, cells, error in table.numbered():
        cell = cells.get
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
        codes = split_codes(cell("communes"))
        if len(codes) > MAX_TERRITORY_CODES:
            error("communes", f"{fmt(MAX_TERRITORY_CODES, 0)} communes au plus.")
            codes = []
        for code in codes:
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


# --- medico-social schemes ------------------------------------------------------------------

SCHEME_COLUMNS = [
    Column("type", "Type"),
    Column("libelle_type", "Nature (type « Autre »)"),
    Column("nom", "Nom"),
    Column("commune", "Commune (code INSEE)"),
    Column("ecole", "École d'accueil"),
    Column("porteur", "Porteur"),
    Column("parrain", "Parrain (GEM)"),
    Column("date_ouverture", "Ouvert le"),
    Column("annee_scolaire_ouverture", "Ouverte à la rentrée"),
    Column("ouverture_avant", "Ouverte avant la rentrée"),
    Column("heures_hebdo", "Heures d'ouverture par semaine"),
    Column("capacite", "Capacité (places)"),
    Column("age_min", "Âge minimum"),
    Column("age_max", "Âge maximum"),
    Column("budget_annuel", "Budget annuel (€)"),
    Column("subventions", "Subventions de l'ARS par année"),
    Column("source", "Source"),
    Column("observations", "Observations"),
]
SCHEME_HEADERS = [c.header for c in SCHEME_COLUMNS]
SCHEME_TYPES_BY_LABEL = {label.lower(): value for value, label in DISPOSITIF_SHORT.items()} | {
    value: value for value in TypeDispositif.values
}
SCHEME_INTEGER_FIELDS = {"capacite", "age_min", "age_max"}
SCHEME_YEAR_FIELDS = {"annee_scolaire_ouverture", "ouverture_avant"}
SCHEME_DECIMAL_FIELDS = {"heures_hebdo": _hours, "budget_annuel": parse_amount}
SCHEME_MAX_LENGTHS = {"nom": 200, "libelle_type": 100, "ecole": 200, "source": 300}


def _amount_text(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _subsidies_text(subventions) -> str:
    """« 2023 : 94188,23 ; 2024 : 90336,24 »."""
    return " ; ".join(f"{s.annee} : {_amount_text(s.montant)}" for s in sorted(subventions, key=lambda s: s.annee))


def _number(value: Decimal | None) -> str | int:
    if value is None:
        return ""
    return int(value) if value == value.to_integral_value() else str(value.normalize()).replace(".", ",")


def scheme_rows(departement: Departement, *, funder) -> list[list]:
    """Header + one row per scheme; subsidies are those of ``funder`` (the ARS), as on the scheme form."""
    schemes = (
        Dispositif.objects.filter(departement=departement)
        .select_related("commune", "porteur", "parrain")
        .prefetch_related("subventions")
        .order_by("type", "nom")
    )
    rows = [SCHEME_HEADERS]
    for d in schemes:
        funded = [s for s in d.subventions.all() if s.financeur_id == (funder.pk if funder else None)]
        rows.append(
            [
                DISPOSITIF_SHORT[d.type],
                d.libelle_type,
                d.nom,
                d.commune.code,
                d.ecole,
                d.porteur.nom if d.porteur else "",
                d.parrain.nom if d.parrain else "",
                _date(d.date_ouverture),
                school_year_label(d.annee_scolaire_ouverture) if d.annee_scolaire_ouverture else "",
                school_year_label(d.ouverture_avant) if d.ouverture_avant else "",
                "" if d.heures_hebdo is None else _number(d.heures_hebdo),
                "" if d.capacite is None else d.capacite,
                "" if d.age_min is None else d.age_min,
                "" if d.age_max is None else d.age_max,
                "" if d.budget_annuel is None else _number(d.budget_annuel),
                _subsidies_text(funded),
                d.source,
                d.observations,
            ]
        )
    return rows


def _school_year(value) -> int | None:
    """« 2023 » or « 2023/2024 » → 2023."""
    text = cell_text(value)
    if text == "":
        return None
    match = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*(\d{4}))?", text)
    if not match or (match[2] and int(match[2]) != int(match[1]) + 1):
        raise ValueError(f"année scolaire illisible « {shown_value(text)} » (attendu : « 2023/2024 » ou « 2023 »)")
    return _year(match[1])


def parse_subsidies_cell(value) -> dict[int, Decimal]:
    """« 2023 : 94 188,23 ; 2024 : 90 336,24 » (or one per line) → {2023: Decimal("94188.23"), …}."""
    amounts = {}
    for part in re.split(r"[;\n]+", cell_text(value)):
        if not part.strip():
            continue
        year, _, amount = part.partition(":")
        if not re.fullmatch(r"\s*\d{4}\s*", year) or not amount.strip():
            raise ValueError(f"écrivez « 2023 : 94 188,23 ; 2024 : 90 336,24 », « {shown_value(part)} » lu")
        if int(year) in amounts:
            raise ValueError(f"l'année {int(year)} figure deux fois")
        try:
            amounts[_year(year.strip())] = parse_amount(amount)
        except ValueError as problem:
            raise ValueError(f"{int(year)} : {str(problem).rstrip('.')}") from None
    return amounts


def table_kind(rows: list[list]) -> str:
    """« structures » or « dispositifs », judged on the header row (the columns proper to each)."""
    headers = {cell_text(cell) for cell in (rows[0] if rows else [])}
    scheme_only = len(headers & (set(SCHEME_HEADERS) - set(HEADERS)))
    structure_only = len(headers & (set(HEADERS) - set(SCHEME_HEADERS)))
    return "dispositifs" if scheme_only > structure_only else "structures"


def parse_dispositifs(where: str, rows: list[list], *, departement: Departement) -> tuple[list[dict], list[str]]:
    """(records ready for ``import_dispositifs``, French errors « feuille, ligne N, colonne « X » : … »)."""
    table = TableRows.read(where, rows, SCHEME_COLUMNS)
    communes = {c.code: c for c in Commune.objects.filter(code__in=table.values("commune"))}
    names = table.values("porteur") | table.values("parrain")
    organisations = {o.nom: o for o in Organisation.objects.filter(nom__in=names)}

    records, errors, seen = [], table.errors, {}
    for number, cells, error in table.numbered():
        cell = cells.get
        record = {}
        kind = SCHEME_TYPES_BY_LABEL.get(cell_text(cell("type")).lower())
        if kind is None:
            error("type", f"type inconnu « {cell_text(cell('type'))} » (GEM, UEMA, UEEA ou Autre).")
        record["type"] = kind
        record["libelle_type"] = cell_text(cell("libelle_type"))
        if kind == TypeDispositif.AUTRE and not record["libelle_type"]:
            error("libelle_type", "précisez la nature d'un dispositif de type « Autre ».")
        nom = cell_text(cell("nom"))
        if not nom:
            error("nom", "le nom est obligatoire.")
        record["nom"] = nom
        if nom and kind and (kind, nom) in seen:
            error("nom", f"ce dispositif figure déjà ligne {seen[(kind, nom)]}.")
        seen.setdefault((kind, nom), number)
        for key, limit in SCHEME_MAX_LENGTHS.items():
            if len(cell_text(cell(key))) > limit:
                error(key, f"{limit} caractères au plus.")
        code = cell_text(cell("commune"))
        commune = communes.get(code)
        if commune is None:
            error("commune", f"commune inconnue « {code} » (code INSEE à 5 caractères)." if code else "obligatoire.")
        elif commune.departement_id != departement.pk:
            error("commune", f"{commune} n'est pas dans le département {departement}.")
        record["commune"] = commune
        record["ecole"] = cell_text(cell("ecole"))
        for key in ("porteur", "parrain"):
            name = cell_text(cell(key))
            record[key] = organisations.get(name) if name else None
            if name and record[key] is None:
                error(key, f"organisation inconnue « {name} » (créez-la d'abord dans l'annuaire).")
        try:
            record["date_ouverture"] = parse_date(cell("date_ouverture"))
        except ValueError as problem:
            error("date_ouverture", f"{problem}.")
        for key in SCHEME_YEAR_FIELDS:
            try:
                record[key] = _school_year(cell(key))
            except ValueError as problem:
                error(key, f"{problem}.")
        for key in SCHEME_INTEGER_FIELDS:
            try:
                record[key] = _int(cell(key))
            except ValueError as problem:
                error(key, f"{problem}.")
        for key, parse in SCHEME_DECIMAL_FIELDS.items():
            try:
                record[key] = parse(cell(key))
            except ValueError as problem:
                error(key, str(problem))
        try:
            record["subventions"] = parse_subsidies_cell(cell("subventions"))
        except ValueError as problem:
            error("subventions", f"{problem}.")
        record["source"] = cell_text(cell("source"))
        record["observations"] = cell_text(cell("observations"))
        hours = record.get("heures_hebdo")
        if kind == TypeDispositif.GEM and hours is not None and hours < 35:
            error("heures_hebdo", "un GEM est ouvert au moins 35 heures par semaine.")
        age_min, age_max = record.get("age_min"), record.get("age_max")
        if age_min is not None and age_max is not None and age_max < age_min:
            error("age_max", "l'âge maximum précède l'âge minimum.")
        records.append(record)
    return records, errors
