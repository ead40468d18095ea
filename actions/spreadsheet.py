"""A CLS's action plan as a workbook (XLSX) or a table (CSV), and the import of the same workbook.

Sheets: « Actions » (one row per fiche, keyed by its number « 1.7 »), « Financements » (one row
per funder × year × nature × stage) and « Indicateurs — mesures » (one row per measure, or per
indicator without measure).

Import rules: everything is read and checked before anything is written; every error names
its sheet, row and column; a fiche is found by its number and updated (never duplicated); the
financing lines of a fiche listed in « Actions » become exactly those of « Financements »;
indicators and measures are added or updated, never deleted. Importing an export changes nothing.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from actions.models import (
    ChangementEtat,
    Etat,
    FicheAction,
    Financement,
    Indicateur,
    Mesure,
    Nature,
    Participation,
    Priorite,
    Programme,
    Public,
    Stade,
    Theme,
    TypeIndicateur,
    axe_prefix,
)
from contracts.models import Cls, Organisation
from core.cells import CellError, cell_text, parse_amount, parse_date, parse_decimal, parse_value, shown_value
from core.limits import COUNT_MAX, DATE_MAX, DATE_MIN, IMPORT_MAX_ROWS
from core.tabular import CsvWriter, append_row, append_rows, read_row, too_many_rows
from core.validators import MONEY_TEXT
from diagnostics.models import Enjeu

SHEET_ACTIONS, SHEET_FUNDING, SHEET_INDICATORS = "Actions", "Financements", "Indicateurs — mesures"
LIST_SEPARATOR = " ; "

# (header, attribute or None, kind)
ACTION_COLUMNS = [
    ("Numéro", "numero", "numero"),
    ("Axe", None, "info"),
    ("Intitulé", "titre", "text"),
    ("Objectif général", "objectif_general", "text"),
    ("Objectifs spécifiques", "objectifs_specifiques", "text"),
    ("Description", "description", "text"),
    ("Porteur", "porteur", "organisation"),
    ("Partenaires", "partenaires", "organisations"),
    ("Publics", "publics", "publics"),
    ("Thèmes", "themes", "themes"),
    ("Objectif du PRS", "objectif_prs", "text"),
    ("Priorité", "priorite", Priorite),
    ("Participation des habitants", "participation", Participation),
    ("État", "etat", Etat),
    ("Début prévu", "debut_prevu", "date"),
    ("Fin prévue", "fin_prevue", "date"),
    ("Début réel", "debut_reel", "date"),
    ("Fin réelle", "fin_reelle", "date"),
    ("Programme", "programme", "programme"),
    ("Ajoutée au plan le", "date_ajout", "date"),
    ("Enjeux", "enjeux", "enjeux"),  # last: added after the first format, whose columns keep their letters
]
OPTIONAL_KINDS = ("enjeux",)  # columns added since the first format: an older workbook without them still imports
FUNDING_COLUMNS = ["Numéro de l'action", "Financeur", "Année", "Montant (€)", "Nature", "Stade"]
INDICATOR_COLUMNS = [
    "Numéro de l'action",
    "Indicateur",
    "Type",
    "Unité",
    "Taux (oui/non)",
    "Valeur initiale",
    "Cible",
    "Date cible",
    "Année",
    "Période",
    "Valeur",
    "Numérateur",
    "Dénominateur",
    "Source",
    "Commentaire",
]


# ---------------------------------------------------------------------------
# Export


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, "")) if value else ""


def _fiches(cls: Cls):
    return (
        FicheAction.objects.filter(cls=cls)
        .select_related("axe", "porteur", "programme")
        .prefetch_related("partenaires", "publics", "themes", "enjeux")
        .order_by("axe__transversal", "axe__numero", "rang")
    )


def _action_row(fiche: FicheAction) -> list:
    row = []
    for _header, attr, kind in ACTION_COLUMNS:
        if kind == "info":
            row.append(str(fiche.axe) if fiche.axe else "Hors axe")
        elif kind in ("organisations", "publics", "themes", "enjeux"):
            row.append(LIST_SEPARATOR.join(sorted(str(o) for o in getattr(fiche, attr).all())))
        elif kind in ("organisation", "programme"):
            value = getattr(fiche, attr)
            row.append(str(value) if value else "")
        elif isinstance(kind, type):
            row.append(_label(kind, getattr(fiche, attr)))
        else:
            row.append(getattr(fiche, attr) if getattr(fiche, attr) is not None else "")
    return row


def _funding_rows(cls: Cls):
    for f in (
        Financement.objects.filter(fiche__cls=cls)
        .select_related("fiche", "financeur")
        .order_by("fiche__numero", "annee", "financeur__nom", "pk")
    ):
        yield [f.fiche.numero, f.financeur.nom, f.annee, f.montant, _label(Nature, f.nature), _label(Stade, f.stade)]


def _indicator_rows(cls: Cls):
    indicateurs = (
        Indicateur.objects.filter(fiche__cls=cls)
        .select_related("fiche")
        .prefetch_related("mesures")
        .order_by("fiche__numero", "pk")
    )
    for ind in indicateurs:
        head = [
            ind.fiche.numero,
            ind.libelle,
            _label(TypeIndicateur, ind.type),
            ind.unite,
            "oui" if ind.est_taux else "non",
            ind.valeur_initiale if ind.valeur_initiale is not None else "",
            ind.cible if ind.cible is not None else "",
            ind.date_cible or "",
        ]
        mesures = list(ind.mesures.all())
        if not mesures:
            yield [*head, "", "", "", "", "", "", ""]
        for m in mesures:
            yield [
                *head,
                m.annee,
                m.periode,
                *("" if v is None else v for v in (m.valeur, m.numerateur, m.denominateur)),
                m.source,
                m.commentaire,
            ]


def _sheet(workbook: Workbook, title: str, headers: list[str], rows, *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    append_rows(sheet, rows)
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(45, len(header) + 4))
    for cell in sheet["A"][1:]:
        cell.number_format = "@"  # « 4.10 » must stay text, not become the number 4.1
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    return sheet


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_workbook(cls: Cls) -> bytes:
    workbook = Workbook()
    _sheet(workbook, SHEET_ACTIONS, [c[0] for c in ACTION_COLUMNS], (_action_row(f) for f in _fiches(cls)), first=True)
    _sheet(workbook, SHEET_FUNDING, FUNDING_COLUMNS, _funding_rows(cls))
    _sheet(workbook, SHEET_INDICATORS, INDICATOR_COLUMNS, _indicator_rows(cls))
    return _workbook_bytes(workbook)


def blank_workbook() -> bytes:
    """The import template: the three sheets with their headers, and the accepted values."""
    workbook = Workbook()
    _sheet(workbook, SHEET_ACTIONS, [c[0] for c in ACTION_COLUMNS], [], first=True)
    _sheet(workbook, SHEET_FUNDING, FUNDING_COLUMNS, [])
    _sheet(workbook, SHEET_INDICATORS, INDICATOR_COLUMNS, [])
    help_sheet = workbook.create_sheet("Aide")
    append_rows(
        help_sheet,
        [
            ["Colonne", "Valeurs acceptées"],
            ["Numéro", "numéro de l'axe, un point, le rang : 1.7 ; P2.1 (priorité 2) ; T.1 (axe transversal)"],
            ["Listes", f"plusieurs valeurs séparées par « ; » : {LIST_SEPARATOR.strip()}"],
            ["Dates", f"JJ/MM/AAAA, du {DATE_MIN:%d/%m/%Y} au {DATE_MAX:%d/%m/%Y}"],
            ["Montants", f"de 0 à {MONEY_TEXT}, au centime près"],
            ["Valeurs des indicateurs", "strictement entre −10¹² et 10¹², deux décimales au plus"],
            ["Lignes", f"{IMPORT_MAX_ROWS} lignes de données au plus par feuille"],
            ["Enjeux", "intitulés des enjeux du diagnostic du CLS, séparés par « ; » (colonne facultative)"],
            *(
                [header, ", ".join(str(label) for label in choices.labels)]
                for header, choices in (
                    ("Priorité", Priorite),
                    ("Participation des habitants", Participation),
                    ("État", Etat),
                    ("Nature", Nature),
                    ("Stade", Stade),
                    ("Type", TypeIndicateur),
                )
            ),
            ["Publics", ", ".join(Public.objects.values_list("nom", flat=True))],
            ["Thèmes", ", ".join(Theme.objects.values_list("nom", flat=True))],
        ],
    )
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["B"].width = 100
    return _workbook_bytes(workbook)


def _csv_text(value, *, excel: bool):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y") if excel else value.isoformat()
    if isinstance(value, Decimal) and excel:
        return str(value).replace(".", ",")
    return value


def export_csv(cls: Cls, *, excel: bool = False) -> bytes:
    """The « Actions » table with each fiche's total funding. ``excel``: « ; », decimal comma, BOM."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=";" if excel else ",", text=lambda value: _csv_text(value, excel=excel))
    writer.writerow([c[0] for c in ACTION_COLUMNS] + ["Financement total (€)"])
    totals = dict(Financement.objects.filter(fiche__cls=cls).totals_by("fiche_id").values_list("fiche_id", "total"))
    for fiche in _fiches(cls):
        writer.writerow([*_action_row(fiche), totals.get(fiche.pk, Decimal("0.00"))])
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")


# ---------------------------------------------------------------------------
# Import


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    funding_changed: int = 0
    indicators_changed: int = 0

    def summary(self) -> str:
        if self.errors:
            return f"Import refusé : {len(self.errors)} erreur(s), rien n'a été enregistré."
        if not (self.created or self.updated or self.funding_changed or self.indicators_changed):
            return f"Aucun changement : les {self.unchanged} fiches du classeur sont déjà à jour."
        parts = [
            f"{len(self.created)} fiche(s) créée(s)",
            f"{len(self.updated)} mise(s) à jour",
            f"{self.unchanged} inchangée(s)",
            f"financements modifiés pour {self.funding_changed} fiche(s)",
            f"{self.indicators_changed} indicateur(s) ou mesure(s) ajouté(s) ou modifié(s)",
        ]
        return "Import terminé : " + ", ".join(parts) + "."


NUMERO_RE = re.compile(r"^(?P<prefix>\d+|P\d+|T|HA)\.(?P<rang>[1-9]\d*)$")


def _parse_year(value):
    if value in (None, ""):
        raise CellError("valeur obligatoire.")
    try:
        number = parse_decimal(value, decimals=0, minimum=2000, maximum=2100, what="une année")
    except CellError:
        number = None
    if number is None:
        raise CellError(f"« {shown_value(value)} » n'est pas une année entre 2000 et 2100.")
    return int(number)


def _required_amount(value):
    if value in (None, ""):
        raise CellError("valeur obligatoire.")
    return parse_amount(value)


def _choice(value, choices) -> str:
    text = cell_text(value)
    if not text:
        return ""
    by_label = {str(label).lower(): key for key, label in choices.choices}
    key = by_label.get(text.lower(), text if text in choices.values else None)
    if key is None:
        accepted = ", ".join(str(label) for label in choices.labels)
        raise CellError(f"« {text} » n'est pas une valeur acceptée ({accepted}).")
    return key


class TooManyRows(Exception):
    """A sheet holds more data rows than an import takes (``core.limits.IMPORT_MAX_ROWS``)."""


class Reader:
    """Reads one sheet row by row, collecting errors with sheet, row and column."""

    def __init__(self, workbook, name: str, headers: list[str], errors: list[str], optional=()):
        self.name, self.errors, self.columns = name, errors, {}
        self.sheet = workbook[name] if name in workbook.sheetnames else None
        if self.sheet is None:
            errors.append(f"Feuille « {name} » absente du classeur.")
            return
        first = next(self.sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        found = {cell_text(v): i for i, v in enumerate(first)}
        self.columns.update({header: found[header] for header in optional if header in found})
        for header in headers:
            if header not in found:
                errors.append(f"Feuille « {name} », ligne 1 : colonne « {header} » absente.")
            else:
                self.columns[header] = found[header]

    @property
    def ok(self) -> bool:
        return self.sheet is not None

    def rows(self):
        """(row number, values as exported) of each non-empty row; ``TooManyRows`` past the limit."""
        if self.sheet is None:
            return
        count = 0
        for number, values in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), start=2):
            if all(v in (None, "") for v in values):
                continue
            count += 1
            if count > IMPORT_MAX_ROWS:
                raise TooManyRows(too_many_rows(f"Feuille « {self.name} »", per="feuille", limit=IMPORT_MAX_ROWS))
            yield number, read_row(values)

    def get(self, values, header):
        index = self.columns.get(header)
        return values[index] if index is not None and index < len(values) else None

    def error(self, row: int, header: str, message: str) -> None:
        index = self.columns.get(header)
        column = f", colonne {get_column_letter(index + 1)} (« {header} »)" if index is not None else ""
        self.errors.append(f"Feuille « {self.name} », ligne {row}{column} : {message}")

    def cell(self, row: int, values, header: str, parse, *args, **kwargs):
        try:
            return parse(self.get(values, header), *args, **kwargs)
        except CellError as error:
            self.error(row, header, str(error))
            return None


class Lookups:
    def __init__(self, cls: Cls):
        self.organisations = {o.nom.lower(): o for o in Organisation.objects.all()}
        self.publics = {p.nom.lower(): p for p in Public.objects.all()}
        self.themes = {t.nom.lower(): t for t in Theme.objects.all()}
        self.programmes = {p.nom.lower(): p for p in Programme.objects.all()}
        self.enjeux = {e.titre.lower(): e for e in Enjeu.objects.filter(cls=cls)}
        self.axes = {axe_prefix(a): a for a in cls.axes.all()}

    def one(self, table: dict, value, what: str):
        text = cell_text(value)
        if not text:
            return None
        found = table.get(text.lower())
        if found is None:
            raise CellError(f"{what} : « {text} ».")
        return found

    def many(self, table: dict, value, what: str) -> list:
        text = cell_text(value)
        if not text:
            return []
        names = [part.strip() for part in text.split(";") if part.strip()]
        unknown = [n for n in names if n.lower() not in table]
        if unknown:
            raise CellError(f"{what} : " + ", ".join(f"« {n} »" for n in unknown) + ".")
        return [table[n.lower()] for n in names]


def _parse_numero(value, lookups: Lookups):
    if isinstance(value, float):
        raise CellError(f"le numéro « {value} » a été lu comme un nombre : saisissez-le comme du texte (ex. « 4.10 »).")
    text = cell_text(value)
    if not text:
        raise CellError("numéro obligatoire.")
    match = NUMERO_RE.match(text.upper())
    if not match:
        raise CellError(f"« {text} » n'est pas un numéro de fiche (ex. : 1.7, P2.1, T.1, HA.1).")
    prefix = match["prefix"]
    if prefix == "HA":
        axe = None
    elif prefix not in lookups.axes:
        raise CellError(f"le CLS n'a pas d'axe « {prefix} » pour le numéro « {text} ».")
    else:
        axe = lookups.axes[prefix]
    if len(match["rang"]) > 5 or int(match["rang"]) > COUNT_MAX:
        raise CellError(f"rang «\u202f{match['rang'][:10]}\u202f» trop grand ({COUNT_MAX} au plus).")
    return text.upper(), axe, int(match["rang"])


FIELD_TO_HEADER = {attr: header for header, attr, _kind in ACTION_COLUMNS if attr} | {
    "rang": "Numéro",
    "axe": "Numéro",
    "__all__": "Numéro",
}


def _read_actions(reader: Reader, cls: Cls, lookups: Lookups, existing: dict) -> dict:
    """numero -> (row, fields, m2m) for every valid row."""
    parsed = {}
    for row, values in reader.rows():
        before = len(reader.errors)
        numero_axe_rang = reader.cell(row, values, "Numéro", _parse_numero, lookups)
        fields, m2m = {}, {}
        for header, attr, kind in ACTION_COLUMNS[2:]:
            raw = reader.get(values, header)
            try:
                if kind == "text":
                    fields[attr] = cell_text(raw)
                elif kind == "date":
                    fields[attr] = parse_date(raw)
                elif kind == "organisation":
                    fields[attr] = lookups.one(lookups.organisations, raw, "organisation inconnue")
                elif kind == "programme":
                    fields[attr] = lookups.one(lookups.programmes, raw, "programme inconnu")
                elif kind == "organisations":
                    m2m[attr] = lookups.many(lookups.organisations, raw, "organisation(s) inconnue(s)")
                elif kind == "publics":
                    m2m[attr] = lookups.many(lookups.publics, raw, "public(s) inconnu(s)")
                elif kind == "themes":
                    m2m[attr] = lookups.many(lookups.themes, raw, "thème(s) inconnu(s)")
                elif kind == "enjeux":
                    if header in reader.columns:  # optional: a workbook without it leaves the links alone
                        m2m[attr] = lookups.many(lookups.enjeux, raw, "enjeu(x) absent(s) du diagnostic de ce CLS")
                else:
                    fields[attr] = _choice(raw, kind)
            except CellError as error:
                reader.error(row, header, str(error))
        if not fields.get("titre") and "Intitulé" in reader.columns:
            reader.error(row, "Intitulé", "intitulé obligatoire.")
        if len(reader.errors) > before or numero_axe_rang is None:
            continue
        numero, axe, rang = numero_axe_rang
        if numero in parsed:
            reader.error(row, "Numéro", f"le numéro {numero} figure déjà ligne {parsed[numero][0]}.")
            continue
        fields.update(axe=axe, rang=rang)
        if fields["date_ajout"] is None:
            fields.pop("date_ajout")
        # Check the row against the model's rules (lengths, dates in order) without a query.
        probe = FicheAction(cls=cls, **{k: v for k, v in fields.items() if k != "date_ajout"})
        errors = probe.date_errors()
        try:
            probe.clean_fields(exclude=["cls", "axe", "porteur", "programme", "rang", "numero", "version"])
        except ValidationError as error:
            errors.update({name: messages[0] for name, messages in error.message_dict.items()})
        for name, message in errors.items():
            reader.error(row, FIELD_TO_HEADER.get(name, "Numéro"), message)
        if errors:
            continue
        parsed[numero] = (row, fields, m2m)
    return parsed


def _read_funding(reader: Reader, lookups: Lookups, known: set[str]) -> dict:
    lines: dict[str, list[tuple]] = {}
    for row, values in reader.rows():
        before = len(reader.errors)
        numero = cell_text(reader.get(values, "Numéro de l'action")).upper()
        if numero not in known:
            reader.error(
                row, "Numéro de l'action", f"aucune fiche « {numero} » dans ce CLS ni dans la feuille Actions."
            )
        financeur = reader.cell(
            row, values, "Financeur", lambda raw: lookups.one(lookups.organisations, raw, "organisation inconnue")
        )
        if financeur is None and len(reader.errors) == before:
            reader.error(row, "Financeur", "financeur obligatoire.")
        annee = reader.cell(row, values, "Année", _parse_year)
        montant = reader.cell(row, values, "Montant (€)", _required_amount)
        nature = reader.cell(row, values, "Nature", _choice, Nature) or Nature.FONCTIONNEMENT
        stade = reader.cell(row, values, "Stade", _choice, Stade) or Stade.SOLLICITE
        if len(reader.errors) == before:
            lines.setdefault(numero, []).append((financeur.pk, annee, montant, nature, stade))
    return lines


def _read_indicators(reader: Reader, known: set[str]) -> list[tuple]:
    out = []
    for row, values in reader.rows():
        before = len(reader.errors)
        numero = cell_text(reader.get(values, "Numéro de l'action")).upper()
        if numero not in known:
            reader.error(
                row, "Numéro de l'action", f"aucune fiche « {numero} » dans ce CLS ni dans la feuille Actions."
            )
        libelle = cell_text(reader.get(values, "Indicateur"))
        if not libelle:
            reader.error(row, "Indicateur", "intitulé de l'indicateur obligatoire.")
        for header, limit in INDICATOR_TEXT_LENGTHS.items():
            if len(cell_text(reader.get(values, header))) > limit:
                reader.error(row, header, f"{limit} caractères au plus.")
        taux = cell_text(reader.get(values, "Taux (oui/non)")).lower()
        if taux not in ("", "oui", "non"):
            reader.error(row, "Taux (oui/non)", f"« {taux} » : répondez oui ou non.")
        indicator = {
            "type": reader.cell(row, values, "Type", _choice, TypeIndicateur) or TypeIndicateur.PROCESSUS,
            "unite": cell_text(reader.get(values, "Unité")),
            "est_taux": taux == "oui",
            "valeur_initiale": reader.cell(row, values, "Valeur initiale", parse_value),
            "cible": reader.cell(row, values, "Cible", parse_value),
            "date_cible": reader.cell(row, values, "Date cible", parse_date),
        }
        measure = None
        if reader.get(values, "Année") not in (None, ""):
            measure = {
                "annee": reader.cell(row, values, "Année", _parse_year),
                "periode": cell_text(reader.get(values, "Période")),
                "valeur": reader.cell(row, values, "Valeur", parse_value),
                "numerateur": reader.cell(row, values, "Numérateur", parse_value),
                "denominateur": reader.cell(row, values, "Dénominateur", parse_value),
                "source": cell_text(reader.get(values, "Source")),
                "commentaire": cell_text(reader.get(values, "Commentaire")),
            }
            if indicator["est_taux"] and (measure["numerateur"] is None or not measure["denominateur"]):
                reader.error(row, "Dénominateur", "un taux se saisit avec un numérateur et un dénominateur > 0.")
            elif measure["denominateur"] is not None and measure["denominateur"] <= 0:
                reader.error(row, "Dénominateur", "le dénominateur doit être supérieur à zéro.")
            if not indicator["est_taux"] and measure["valeur"] is None:
                reader.error(row, "Valeur", "valeur obligatoire quand l'année est renseignée.")
        if len(reader.errors) == before:
            out.append((numero, libelle, indicator, measure))
    return out


INDICATOR_TEXT_LENGTHS = {
    header: model._meta.get_field(name).max_length
    for header, model, name in (
        ("Indicateur", Indicateur, "libelle"),
        ("Unité", Indicateur, "unite"),
        ("Période", Mesure, "periode"),
        ("Source", Mesure, "source"),
    )
}


def _m2m_ids(fiche: FicheAction, name: str) -> set[int]:
    return {o.pk for o in getattr(fiche, name).all()}


def import_workbook(cls: Cls, file, *, user=None) -> ImportResult:
    """Check the whole workbook, then write it in one transaction (nothing on any error)."""
    result = ImportResult()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        result.errors.append("Le fichier n'est pas un classeur Excel (.xlsx) lisible.")
        return result
    lookups = Lookups(cls)
    existing = {
        f.numero: f
        for f in FicheAction.objects.filter(cls=cls)
        .select_related("axe")
        .prefetch_related("partenaires", "publics", "themes", "enjeux", "financements", "indicateurs__mesures")
    }
    actions = Reader(
        workbook,
        SHEET_ACTIONS,
        [c[0] for c in ACTION_COLUMNS if c[2] not in ("info", *OPTIONAL_KINDS)],
        result.errors,
        optional=[c[0] for c in ACTION_COLUMNS if c[2] in OPTIONAL_KINDS],
    )
    funding = Reader(workbook, SHEET_FUNDING, FUNDING_COLUMNS, result.errors)
    indicators = Reader(workbook, SHEET_INDICATORS, INDICATOR_COLUMNS, result.errors)
    if result.errors:
        return result
    try:
        parsed = _read_actions(actions, cls, lookups, existing)
        known = set(parsed) | set(existing)
        lines = _read_funding(funding, lookups, known)
        indicator_rows = _read_indicators(indicators, known)
    except TooManyRows as error:
        result.errors[:] = [str(error)]
        return result
    finally:
        workbook.close()
    if result.errors:
        return result
    with transaction.atomic():
        _write(cls, parsed, lines, indicator_rows, existing, result, user)
    return result


def _write(cls, parsed, lines, indicator_rows, existing, result: ImportResult, user=None) -> None:
    """Write the checked rows: new rows in bulk (with their history), changed rows one by one."""
    today = timezone.localdate()
    fiches = dict(existing)
    new_fiches, new_m2m = [], []
    for numero, (_row, fields, m2m) in parsed.items():
        fiche = existing.get(numero)
        if fiche is None:
            fiche = FicheAction(cls=cls, **fields)
            fiche.date_ajout = fiche.date_ajout or today
            fiche.numero = fiche.compute_numero()
            new_fiches.append(fiche)
            new_m2m.append(m2m)
            result.created.append(numero)
            continue
        changed = [name for name, value in fields.items() if getattr(fiche, name) != value]
        m2m_changed = [name for name, values in m2m.items() if _m2m_ids(fiche, name) != {v.pk for v in values}]
        if not changed and not m2m_changed:
            result.unchanged += 1
            continue
        old_etat = fiche.etat
        for name in changed:
            setattr(fiche, name, fields[name])
        if changed:
            fiche.version += 1
            fiche.save()
        for name in m2m_changed:
            getattr(fiche, name).set(m2m[name])
        if "etat" in changed and fiche.etat:
            ChangementEtat.objects.create(fiche=fiche, ancien_etat=old_etat, etat=fiche.etat, date=today, auteur=user)
        result.updated.append(numero)
    if new_fiches:
        created = bulk_create_with_history(new_fiches, FicheAction, batch_size=500, default_user=user)
        if any(f.pk is None for f in created):  # databases that do not return the new keys
            by_numero = dict(FicheAction.objects.filter(cls=cls).values_list("numero", "pk"))
            for fiche in created:
                fiche.pk = by_numero[fiche.numero]
        for fiche, m2m in zip(created, new_m2m, strict=True):
            fiches[fiche.numero] = fiche
            for name, values in m2m.items():
                through = getattr(FicheAction, name).through
                target = getattr(FicheAction, name).field.m2m_reverse_field_name()
                through.objects.bulk_create(
                    [through(ficheaction_id=fiche.pk, **{f"{target}_id": v.pk}) for v in values]
                )
        ChangementEtat.objects.bulk_create(
            [ChangementEtat(fiche=f, etat=f.etat, date=f.date_ajout, auteur=user) for f in created if f.etat]
        )
    new_lines = []
    for numero in parsed:
        fiche = fiches[numero]
        wanted = sorted(lines.get(numero, []))
        current_rows = list(fiche.financements.all()) if numero in existing else []
        current = sorted((f.financeur_id, f.annee, f.montant, f.nature, f.stade) for f in current_rows)
        if wanted == current:
            continue
        for line in current_rows:
            line.delete()
        new_lines += [
            Financement(fiche=fiche, financeur_id=fid, annee=annee, montant=montant, nature=nature, stade=stade)
            for fid, annee, montant, nature, stade in wanted
        ]
        result.funding_changed += 1
    bulk_create_with_history(new_lines, Financement, batch_size=500, default_user=user)
    _write_indicators(existing, fiches, indicator_rows, result, user)


def _write_indicators(existing, fiches, indicator_rows, result: ImportResult, user) -> None:
    indicators = {(f.numero, i.libelle): i for f in existing.values() for i in f.indicateurs.all()}
    new_indicators = {}
    for numero, libelle, fields, _measure in indicator_rows:
        key = (numero, libelle)
        indicateur = indicators.get(key)
        if indicateur is None:
            if key not in new_indicators:
                new_indicators[key] = Indicateur(fiche=fiches[numero], libelle=libelle, **fields)
        elif any(getattr(indicateur, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(indicateur, k, v)
            indicateur.save()
            result.indicators_changed += 1
    if new_indicators:
        created = bulk_create_with_history(list(new_indicators.values()), Indicateur, batch_size=500, default_user=user)
        if any(i.pk is None for i in created):
            ids = {
                (i.fiche_id, i.libelle): i.pk
                for i in Indicateur.objects.filter(fiche__in=[i.fiche for i in created]).only("fiche", "libelle")
            }
            for i in created:
                i.pk = ids[(i.fiche_id, i.libelle)]
        for key, indicateur in zip(new_indicators, created, strict=True):
            indicators[key] = indicateur
        result.indicators_changed += len(created)
    new_measures, seen = [], set()
    for numero, libelle, _fields, measure in indicator_rows:
        if measure is None:
            continue
        indicateur = indicators[(numero, libelle)]
        key = (indicateur.pk, measure["annee"], measure["periode"])
        current = None
        if (numero, libelle) not in new_indicators:
            current = next(
                (
                    m
                    for m in indicateur.mesures.all()
                    if m.annee == measure["annee"] and m.periode == measure["periode"]
                ),
                None,
            )
        if current is None:
            if key not in seen:
                new_measures.append(Mesure(indicateur=indicateur, **measure))
                seen.add(key)
        elif any(getattr(current, k) != v for k, v in measure.items()):
            for k, v in measure.items():
                setattr(current, k, v)
            current.save()
            result.indicators_changed += 1
    bulk_create_with_history(new_measures, Mesure, batch_size=500, default_user=user)
    result.indicators_changed += len(new_measures)
