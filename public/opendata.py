"""Rows, files and Table Schemas of the open data, all from ``public.fields``.

- ``rows`` / ``dataset_rows``: the public values of each record, as dicts, in a constant number of
  queries: foreign keys joined (``only`` the columns the public fields read), the relations the
  fields declare (``Listed``) loaded by ``load_lists`` (one query per relation and batch, plain
  values, no model instance per linked row);
- ``to_csv`` / ``to_json``: the files. CSV is UTF-8 without BOM, comma-separated, as
  data.gouv.fr and schema.data.gouv.fr recommend; the ``excel`` variant adds a BOM and uses « ; »
  so that a French Excel opens it directly. Dates are ISO 8601, booleans ``true``/``false``,
  missing values empty (CSV) or ``null`` (JSON); multi-valued fields are joined with their
  separator in both, so one schema describes both files. CSV text that a spreadsheet would run
  as a formula (« =… », « @… ») starts with an apostrophe (``core.tabular``); JSON stays raw;
- ``table_schema``: the Table Schema (frictionless) of a dataset.
"""

from __future__ import annotations

import datetime
import io
import json

from django.db.models import Max
from django.utils import timezone

from actions.models import FicheAction
from careoffer.models import Structure
from contracts.models import Cls
from core.tabular import CsvWriter
from public.fields import DATASETS, Dataset, Listed, PublicContext

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
PRODUCER = "Agence régionale de santé, avec les coordinations des contrats locaux de santé (SantéLoc)"
TABLE_SCHEMA_PROFILE = "https://specs.frictionlessdata.io/schemas/table-schema.json"


def public_cls_queryset():
    return Cls.objects.select_related(
        "departement", "porteur_commune", "porteur_epci", "porteur_groupement", "structure_coordination"
    ).order_by("departement__code", "nom", "generation", "pk")


# The columns the public fields of a fiche read (``public.fields``), its axis' label included.
FICHE_COLUMNS = (
    *("id", "cls_id", "numero", "titre", "objectif_general", "description", "tout_le_perimetre", "etat"),
    *("debut_prevu", "fin_prevue", "debut_reel", "fin_reelle", "cls__nom", "porteur__nom", "programme__nom"),
    *("axe__numero", "axe__intitule", "axe__type", "axe__transversal"),
)


def public_fiche_queryset():
    return (
        FicheAction.objects.select_related("cls", "axe", "porteur", "programme")
        .only(*FICHE_COLUMNS)
        .order_by("cls__nom", "cls_id", "axe__transversal", "axe__type", "axe__numero", "rang")
    )


def public_structure_queryset():
    return Structure.objects.select_related("departement", "commune")


QUERYSETS = {"contrats": public_cls_queryset, "actions": public_fiche_queryset, "structures": public_structure_queryset}


def _linked(model, listed: Listed, pks: list[int]):
    """(object id, value) of ``listed`` for the objects ``pks`` of ``model``, in the order of
    ``getattr(obj, listed.relation).all()``: the linked model's ordering (plain field names)."""
    relation = model._meta.get_field(listed.relation)
    if relation.many_to_many:  # read from the many-to-many table
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        links, prefix = relation.remote_field.through._default_manager, f"{target}__"
        ordering = relation.related_model._meta.ordering
    else:  # reverse foreign key: the linked model's own table
        source, links, prefix = relation.field.name, relation.related_model._default_manager, ""
        ordering = relation.related_model._meta.ordering
    order = [f"-{prefix}{name[1:]}" if name.startswith("-") else f"{prefix}{name}" for name in ordering]
    columns = (listed.column,) if isinstance(listed.column, str) else listed.column
    # ``source__pk__in``, not ``source_id__in``: the same SQL, without the per-id work of a related lookup
    found = links.filter(**{f"{source}__pk__in": pks}).order_by(*order, "pk")
    found = found.values_list(f"{source}_id", *(prefix + column for column in columns))
    if isinstance(listed.column, str):
        return iter(found)
    return ((row[0], row[1:]) for row in found)


def load_lists(dataset: Dataset, objects: list) -> None:
    """Give each object its ``public_lists``: {``Listed``: its rows} for every relation the fields of
    ``dataset`` read, one query per relation for all ``objects``."""
    relations = list(dict.fromkeys(f.listed for f in dataset.fields if f.listed))
    by_pk = {obj.pk: obj for obj in objects}
    for obj in objects:
        obj.public_lists = {listed: [] for listed in relations}
    if not objects:
        return
    model = type(objects[0])
    for listed in relations:
        for pk, value in _linked(model, listed, list(by_pk)):
            by_pk[pk].public_lists[listed].append(value)
        if listed.sort:
            for obj in objects:
                obj.public_lists[listed].sort()


def rows(dataset: Dataset, objects, context: PublicContext) -> list[dict]:
    """The public values of ``objects`` (Python values: lists stay lists)."""
    objects = list(objects)
    load_lists(dataset, objects)
    fields = [(f.name, f.value) for f in dataset.fields]
    return [{name: value(obj, context) for name, value in fields} for obj in objects]


def dataset_rows(slug: str, context: PublicContext) -> list[dict]:
    return rows(DATASETS[slug], QUERYSETS[slug](), context)


def _file_value(field, value):
    """A value as written in both files (JSON keeps numbers and booleans, CSV writes them as text)."""
    if value is None or value == []:
        return None
    if field.separator is not None:
        return field.separator.join(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def file_records(dataset: Dataset, records: list[dict]) -> list[dict]:
    return [{f.name: _file_value(f, record[f.name]) for f in dataset.fields} for record in records]


_json_string = json.encoder.encode_basestring  # as json.dumps(..., ensure_ascii=False)


def _json_value(value) -> str:
    if isinstance(value, str):
        return _json_string(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def to_json(dataset: Dataset, records: list[dict]) -> bytes:
    """The same bytes as ``json.dumps(file_records(…), ensure_ascii=False, indent=1)``, written without the
    pure-Python encoder that ``indent`` implies: a file's records are flat (one scalar per field)."""
    keys = [(name, f"  {_json_string(name)}: ") for name in dataset.field_names]
    items = [
        " {\n" + ",\n".join(key + _json_value(record[name]) for name, key in keys) + "\n }"
        for record in file_records(dataset, records)
    ]
    return ("[\n" + ",\n".join(items) + "\n]" if items else "[]").encode()


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(dataset: Dataset, records: list[dict], *, excel: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=";" if excel else ",", text=_csv_text)
    writer.writerow(dataset.field_names)
    for record in file_records(dataset, records):
        writer.writerow([record[name] for name in dataset.field_names])
    return ("\ufeff" if excel else "").encode() + buffer.getvalue().encode()


def last_update() -> datetime.datetime | None:
    """The latest change to any published record."""
    dates = [model.objects.aggregate(last=Max("updated_at"))["last"] for model in (Cls, FicheAction, Structure)]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def table_schema(dataset: Dataset, *, homepage: str, data_urls: list[str]) -> dict:
    modified = last_update()
    return {
        "$schema": TABLE_SCHEMA_PROFILE,
        "name": f"santeloc-{dataset.slug}",
        "title": dataset.title,
        "description": dataset.description
        + " Fichiers CSV en UTF-8 sans BOM, séparateur virgule (variante « ; » avec BOM pour Excel), "
        "dates au format AAAA-MM-JJ, valeurs absentes laissées vides.",
        "countryCode": "FR",
        "homepage": homepage,
        "path": data_urls[0],
        "resources": [{"title": url.rsplit("/", 1)[-1], "path": url} for url in data_urls],
        "licenses": [LICENCE],
        "contributors": [{"title": PRODUCER, "role": "author"}],
        "lastModified": timezone.localdate(modified).isoformat() if modified else None,
        "version": "1.0.0",
        "fields": [f.schema() for f in dataset.fields],
        "missingValues": [""],
        "primaryKey": dataset.primary_key,
    }
