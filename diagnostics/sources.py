"""Readers of the producers' files (see ``shared/data/PROVENANCE.md``, section indicators/).

Each reader returns commune values ``{indicator code: {INSEE code: (value, weight, statut)}}``
for the whole of France, or stored values for departments, region and France. The extract
command (``extract_indicators``) turns them into the compact long CSV SantéLoc ships; the
generic importer (``diagnostics.importers``) loads that CSV.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from diagnostics.models import Statut

COMPARATEUR = "communes_france_comparateur_2021.csv"
APL = "apl_generalistes_drees_2022_2023.xlsx"
FILOSOFI = "cc_filosofi_2021_COM.csv"
ESTIMATIONS = "estim-pop-dep-sexe-gca-1975-2023.xls"
MORTALITE = "mortalite_toutes_causes_2010_2023.csv"
HOPITAUX = "hopitaux_eurostat_gisco_FR_2020.csv"

OK = Statut.PUBLIEE


def _number(text) -> float | None:
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    text = str(text).strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    return float(text)


def read_comparateur(folder: Path) -> tuple[dict, dict]:
    """Census counts by commune (deduplicated on the INSEE code) and the INSEE surface (km²)."""
    values: dict = defaultdict(dict)
    surfaces: dict = {}
    columns = {
        "population_2021": "population_2021",
        "population_2015": "population_2015",
        "menages_2021": "menages_2021",
        "naissances_2022": "naissances_2022",
        "deces_2022": "deces_2022",
        "chomeurs_2021": "pop_15_64_chomage_2021",
        "actifs_2021": "pop_15_64_active_2021",
    }
    with open(folder / COMPARATEUR, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["insee_com"].strip()
            if code in surfaces:  # one row per postal code: the first one is enough
                continue
            surfaces[code] = _number(row["superficie_km2"])
            for indicator, column in columns.items():
                value = _number(row[column])
                values[indicator][code] = (value, None, OK if value is not None else Statut.ABSENTE)
            pop21, pop15 = _number(row["population_2021"]), _number(row["population_2015"])
            if pop21 is not None and pop15 is not None:
                values["variation_population"][code] = (pop21 - pop15, None, OK)
    return values, surfaces


def read_apl(folder: Path, sheet: str = "APL 2023") -> dict:
    """APL to GPs (all ages, 65 or under) weighted by the standardised population."""
    import openpyxl

    values: dict = defaultdict(dict)
    workbook = openpyxl.load_workbook(folder / APL, read_only=True, data_only=True)
    try:
        rows = workbook[sheet].iter_rows(min_row=11, values_only=True)  # 9 preamble rows, 1 unit row
        for row in rows:
            code = str(row[0] or "").strip()
            if len(code) != 5:
                continue
            apl, apl65, weight = _number(row[2]), _number(row[3]), _number(row[4])
            values["apl_mg"][code] = (apl, weight, OK if apl is not None else Statut.ABSENTE)
            values["apl_mg_65"][code] = (apl65, weight, OK if apl65 is not None else Statut.ABSENTE)
            values["population_standardisee_mg"][code] = (weight, None, OK if weight is not None else Statut.ABSENTE)
    finally:
        workbook.close()
    return values


def read_filosofi(folder: Path) -> dict:
    """Median income and poverty rate; ``s`` (statistical secrecy) is kept as such."""
    values: dict = defaultdict(dict)
    with open(folder / FILOSOFI, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            code = row["CODGEO"].strip()
            for indicator, column in (("revenu_median", "MED21"), ("taux_pauvrete", "TP6021")):
                raw = row[column].strip()
                if raw == "s":
                    values[indicator][code] = (None, None, Statut.SECRET)
                elif raw == "nd":  # not available (not secret): e.g. too few households
                    values[indicator][code] = (None, None, Statut.ABSENTE)
                elif raw:
                    values[indicator][code] = (_number(raw), None, OK)
    return values


def read_age_structure(folder: Path, year: int = 2023) -> dict:
    """Shares of age groups by department and for France: {(niveau, code): {indicator: %}}."""
    import xlrd

    book = xlrd.open_workbook(str(folder / ESTIMATIONS))
    sheet = book.sheet_by_name(str(year))
    out = {}
    counts = {}
    for index in range(sheet.nrows):
        row = sheet.row_values(index)
        first = row[0]
        if isinstance(first, float):
            first = str(int(first))
        first = str(first).strip()
        if first == "France métropolitaine et DOM":
            key = ("france", "FR")
        elif first and (first[:2].isdigit() or first[:2] in {"2A", "2B"}) and len(first) <= 3:
            key = ("departement", first)
        else:
            continue
        young, _adults, _middle, senior, old, total = (float(v) for v in row[2:8])
        counts[key] = (young, senior, old, total)
    for key, (young, senior, old, total) in counts.items():
        out[key] = {
            "part_0_19": young / total * 100,
            "part_60_74": senior / total * 100,
            "part_75_plus": old / total * 100,
        }
    out["_counts"] = counts
    return out


def read_mortality(folder: Path, year: int = 2023) -> dict[str, float]:
    """All-cause age-standardised death rate per 100,000, by department."""
    found = {}
    with open(folder / MORTALITE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["annee"] == str(year) and row["sexe"] == "Tous sexes" and row["cause"] == "Toutes causes":
                found[row["departement"].strip()] = _number(row["valeur"])
    return found


def read_hospitals(folder: Path) -> list[dict]:
    hospitals = []
    with open(folder / HOPITAUX, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lat, lon = _number(row["lat"]), _number(row["lon"])
            if lat is None or lon is None:
                continue
            postcode = row["postcode"].strip()
            hospitals.append(
                {
                    "finess": row["id"].strip(),
                    "nom": (row["site_name"] or row["hospital_name"]).strip(),
                    "type": row["facility_type"].strip(),
                    "statut_juridique": row["public_private"].strip(),
                    "departement": postcode[:2],
                    "ville": row["city"].strip(),
                    "latitude": lat,
                    "longitude": lon,
                }
            )
    return hospitals
