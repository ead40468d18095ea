"""A small Table Schema validator (frictionless spec, the subset our schemas use), for the tests.

CSV values arrive as text and are parsed; JSON values must already have their JSON type.
"""

from __future__ import annotations

import datetime
import re

TYPES = {"string", "integer", "number", "boolean", "date"}


def _parse(field: dict, value, from_csv: bool):
    kind = field["type"]
    if kind == "string":
        if not isinstance(value, str):
            raise ValueError("texte attendu")
        if field.get("format") == "uri" and not re.match(r"^https?://\S+$", value):
            raise ValueError("adresse web attendue")
        return value
    if kind == "integer":
        if from_csv:
            if not re.fullmatch(r"-?\d+", value):
                raise ValueError("entier attendu")
            return int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("entier attendu")
        return value
    if kind == "number":
        return float(value) if from_csv else value + 0.0
    if kind == "boolean":
        if from_csv:
            if value not in ("true", "false"):
                raise ValueError("true ou false attendu")
            return value == "true"
        if not isinstance(value, bool):
            raise ValueError("booléen attendu")
        return value
    if kind == "date":
        if not isinstance(value, str):
            raise ValueError("date texte attendue")
        return datetime.datetime.strptime(value, field.get("format", "%Y-%m-%d")).date()
    raise ValueError(f"type inconnu {kind}")


def validate(schema: dict, header: list[str], records: list[dict], *, from_csv: bool) -> list[str]:
    """Every error found, as « row n, field: message »; an empty list when the table is valid."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    errors = []
    if header != names:
        errors.append(f"colonnes {header} au lieu de {names}")
    missing_values = set(schema.get("missingValues", [""]))
    seen: dict[str, set] = {f["name"]: set() for f in fields}
    for number, record in enumerate(records, start=1):
        if list(record) != names:
            errors.append(f"ligne {number} : colonnes {list(record)}")
            continue
        for field in fields:
            assert field["type"] in TYPES and field.get("title") and field.get("description"), field
            constraints = field.get("constraints", {})
            raw = record[field["name"]]
            if raw is None or (from_csv and raw in missing_values):
                if constraints.get("required"):
                    errors.append(f"ligne {number}, {field['name']} : valeur obligatoire absente")
                continue
            where = f"ligne {number}, {field['name']} = {raw!r}"
            try:
                value = _parse(field, raw, from_csv)
            except (ValueError, TypeError) as error:
                errors.append(f"{where} : {error}")
                continue
            if "enum" in constraints and value not in constraints["enum"]:
                errors.append(f"{where} : hors de la liste {constraints['enum']}")
            if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
                errors.append(f"{where} : ne respecte pas le motif {constraints['pattern']}")
            if "minimum" in constraints and value < constraints["minimum"]:
                errors.append(f"{where} : inférieur à {constraints['minimum']}")
            if constraints.get("unique") or field["name"] == schema.get("primaryKey"):
                if value in seen[field["name"]]:
                    errors.append(f"{where} : valeur en double")
                seen[field["name"]].add(value)
    return errors
