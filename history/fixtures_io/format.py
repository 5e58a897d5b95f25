"""The canonical fixture format, in one place, for export and import alike.

One file per model, a JSON list of {"model": "history.<name>", "fields": {...}} without
"pk", sorted by natural key, `json.dumps(indent=2, ensure_ascii=False, sort_keys=True)`.
Fields: every concrete field except the bookkeeping ones and the un-suffixed original of
a translated field; foreign keys as natural-key lists; many-to-many as sorted lists of
natural-key lists; dates ISO; decimals as strings with their decimal places.

The same function turns a database row and an imported object into this dict, so
"unchanged" on import means exactly "export would write the same bytes".
"""

import datetime
import decimal
import json
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from modeltranslation.translator import NotRegistered, translator

from ..models.base import BOOKKEEPING

APP_LABEL = "history"

# Kept up to date by the site itself, never carried in files.
BOOKKEEPING_FIELDS = frozenset({"id", *BOOKKEEPING})

# Citation and Disagreement name their subject by one of these foreign keys; the
# natural key spells the field name out ("aidprogram"), as Citation.natural_key() does.
SUBJECT_FIELDS = ("event", "conference", "aidprogram")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    field: models.Field
    kind: str  # "value", "fk" or "m2m"

    @property
    def attname(self):
        return self.field.attname


def get_model(model_name):
    return apps.get_model(APP_LABEL, model_name)


def model_label(model_name):
    return f"{APP_LABEL}.{model_name}"


@cache
def translated_originals(model):
    """{original field name: default-language field name} for modeltranslation fields."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    return {name: f"{name}_en" for name in options.all_fields}


@cache
def field_specs(model):
    """The fields a fixture object carries, sorted by name as sort_keys writes them."""
    originals = translated_originals(model)
    specs = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in BOOKKEEPING_FIELDS or field.name in originals:
            continue
        specs.append(FieldSpec(field.name, field, "fk" if field.is_relation else "value"))
    for field in model._meta.many_to_many:
        # A many-to-many with its own model (AidProgram.organizations through
        # Participation) travels as that model's file, as Django's serializer does.
        if field.remote_field.through._meta.auto_created:
            specs.append(FieldSpec(field.name, field, "m2m"))
    return tuple(sorted(specs, key=lambda spec: spec.name))


@cache
def specs_by_name(model):
    return {spec.name: spec for spec in field_specs(model)}


# The fields each model's natural_key() is made of, in its order; the other models' is their slug.
KEY_FIELDS = {
    "participation": ("aidprogram", "organization", "role"),
    "citation": (*SUBJECT_FIELDS, "source", "locator"),
    "claim": ("disagreement", "source"),
}


def natural_key(model_name, fields):
    """The natural key of a canonical fields dict (the sort key), spelled as each model's
    natural_key() spells it, so files stay loadable by loaddata: strings, or, from a
    file not checked yet, whatever it holds there."""
    parts = []
    for name in KEY_FIELDS.get(model_name, ("slug",)):
        value = fields.get(name)
        parts.append((value[0] if value else "") if isinstance(value, list) else value or "")
    if model_name == "citation":  # (the kind of record it is about, that record's slug, source, locator)
        kind = next((name for name, slug in zip(SUBJECT_FIELDS, parts[:3], strict=True) if slug), "")
        return (kind, parts[SUBJECT_FIELDS.index(kind)] if kind else "", *parts[-2:])
    return tuple(parts)


def canonical_value(field, value):
    """A Python value of a model field, as the canonical JSON writes it."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return f"{decimal.Decimal(value):.{field.decimal_places}f}"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | str):
        return value
    return str(value)


class SlugIndex:
    """pk -> slug of the models that foreign keys point at, one query per model.
    Every foreign key in this app points at a slug-keyed model."""

    def __init__(self):
        self._maps = {}

    def slug(self, model, pk):
        if pk is None:
            return None
        if model not in self._maps:
            self._maps[model] = dict(model._base_manager.values_list("pk", "slug"))
        return self._maps[model][pk]


def m2m_pairs(spec, owner_pks=None):
    """{owner pk: [target pk, ...]} for a many-to-many field, one query."""
    field = spec.field
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    rows = through._base_manager.all()
    if owner_pks is not None:
        rows = rows.filter(**{f"{source}__in": owner_pks})
    pairs = {}
    for owner, other in rows.values_list(source, target).iterator(chunk_size=5000):
        pairs.setdefault(owner, []).append(other)
    return pairs


def iter_records(model_name, queryset=None, slugs=None, names=None):
    """Yield (pk, natural key, canonical fields) for every row, unsorted, without
    instantiating models: values_list plus one query per related model. `names`
    narrows the fields read."""
    model = get_model(model_name)
    slugs = slugs or SlugIndex()
    specs = [spec for spec in field_specs(model) if names is None or spec.name in names]
    plain = [spec for spec in specs if spec.kind != "m2m"]
    many = [spec for spec in specs if spec.kind == "m2m"]
    rows = (queryset if queryset is not None else model._base_manager.all()).order_by()
    owner_pks = list(rows.values_list("pk", flat=True)) if many and queryset is not None else None
    pairs = {spec.name: m2m_pairs(spec, owner_pks) for spec in many}
    columns = ["pk"] + [spec.attname for spec in plain]
    for row in rows.values_list(*columns).iterator(chunk_size=2000):
        pk = row[0]
        fields = {}
        for spec, value in zip(plain, row[1:], strict=True):
            if spec.kind == "fk":
                slug = slugs.slug(spec.field.related_model, value)
                fields[spec.name] = None if slug is None else [slug]
            else:
                fields[spec.name] = canonical_value(spec.field, value)
        for spec in many:
            target = spec.field.related_model
            fields[spec.name] = sorted([slugs.slug(target, other)] for other in pairs[spec.name].get(pk, ()))
        yield pk, natural_key(model_name, fields), fields


def iter_keys(model_name, queryset=None, slugs=None):
    """Yield (pk, natural key) for every row, reading only the columns of the key."""
    for pk, key, _fields in iter_records(model_name, queryset, slugs, KEY_FIELDS.get(model_name, ("slug",))):
        yield pk, key


def iter_sorted_records(model_name, queryset=None, slugs=None, chunk_size=1000):
    """(pk, natural key, canonical fields) sorted by natural key, holding only the keys
    of all rows and the fields of chunk_size rows at a time."""
    model = get_model(model_name)
    slugs = slugs or SlugIndex()
    order = sorted((key, pk) for pk, key in iter_keys(model_name, queryset, slugs))
    for start in range(0, len(order), chunk_size):
        chunk = order[start : start + chunk_size]
        rows = model._base_manager.filter(pk__in=[pk for _key, pk in chunk])
        fields = {pk: record for pk, _key, record in iter_records(model_name, rows, slugs)}
        for key, pk in chunk:
            yield pk, key, fields[pk]


def iter_json_chunks(model_name, records):
    """The bytes of json.dumps(list, indent=2, ensure_ascii=False, sort_keys=True) + "\\n",
    written object by object. Each object is dumped at depth 0 and shifted two spaces:
    JSON strings hold no raw newline, so shifting whole lines is exact."""
    first = True
    for _pk, _key, fields in records:
        item = {"model": model_label(model_name), "fields": fields}
        text = json.dumps(item, indent=2, ensure_ascii=False, sort_keys=True).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + text
        first = False
    yield "[]\n" if first else "\n]\n"
