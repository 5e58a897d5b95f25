"""Checks on one fixture object: field names, JSON types, then Django's own validation.

full_clean runs without foreign keys (the importer resolves them against the natural
keys it knows, in bulk, where full_clean would ask the database once per key per
object) and without unique checks (the natural key's uniqueness is the importer's
duplicate check; other unique fields it checks in bulk).

CheckConstraints are evaluated by the database with Q.check(), as
CheckConstraint.validate() does, but against only the fields the condition names and
remembering each answer: validate() sends every field of the row, one query per
constraint per object (about 1 ms each on SQLite), which alone would make an import of
100,000 objects slower than loaddata. Most objects share their answer (an event without
an end date, a citation with one subject), so few queries are left.
"""

from functools import cache, lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .format import BOOKKEEPING_FIELDS, field_specs, specs_by_name, translated_originals
from .reader import json_kind

# Set on a foreign key that points at an object of the same import that has no
# primary key yet; replaced by the real key before anything is written.
PENDING = -1


def normalise_names(model, fields):
    """Map dumpdata's extras onto the canonical fields. Returns (fields, unknown names).
    Django's dumpdata writes the bookkeeping fields and the un-suffixed original of each
    translated field ("title"); the original stands for the default language when the
    file has no "title_en"."""
    specs = specs_by_name(model)
    originals = translated_originals(model)
    result, unknown = {}, []
    for name, value in fields.items():
        if name in specs:
            result[name] = value
        elif name in originals:
            result.setdefault(originals[name], fields.get(originals[name], value))
        elif name not in BOOKKEEPING_FIELDS:
            unknown.append(name)
    return result, unknown


@cache
def _requirements(model):
    """(spec, whether a file must give it, whether it is a translated field's default
    language, which the admin requires too: empty counts as missing) for each field."""
    originals = translated_originals(model)
    rows = []
    for spec in field_specs(model):
        field, original = spec.field, getattr(spec.field, "translated_field", None)
        default_language = original is not None and originals.get(original.name) == spec.name and not original.blank
        optional = spec.kind == "m2m" or field.has_default() or field.null or field.blank
        rows.append((spec, default_language or not optional, default_language))
    return rows


def field_problems(model, fields):
    """(field, message) for every field that is missing or has the wrong JSON type."""
    for spec, required, default_language in _requirements(model):
        if spec.name not in fields:
            if required:
                yield spec.name, _("required field is missing")
        elif default_language and fields[spec.name] in (None, ""):
            yield spec.name, _("this field is required")
        elif message := type_problem(spec, fields[spec.name]):
            yield spec.name, message


# (field class, the JSON types it takes, what to say it expects): the first row that fits a field.
EXPECTED = (
    (models.BooleanField, bool, gettext_lazy("true or false")),
    (models.IntegerField, int, gettext_lazy("a whole number")),
    (models.DecimalField, str | int | float, gettext_lazy('a number written as text, e.g. "4500000000.00"')),
    (models.DateField, str, gettext_lazy('a date written as "YYYY-MM-DD"')),
    (models.Field, str, gettext_lazy("text")),
)


def type_problem(spec, value):
    """A plain message if the JSON value has the wrong type for the field, else None."""
    if spec.kind == "m2m":
        if isinstance(value, list) and all(_is_key(item) for item in value):
            return None
        return _('expected a list of natural keys like [["some-slug"]], got %(kind)s') % {"kind": json_kind(value)}
    if value is None:
        return None if spec.field.null else _("must not be null")
    if spec.kind == "fk":
        if _is_key(value):
            return None
        return _('expected a natural key like ["some-slug"], got %(kind)s') % {"kind": json_kind(value)}
    _class, types, expected = next(row for row in EXPECTED if isinstance(spec.field, row[0]))
    if isinstance(value, types) and (types is bool or not isinstance(value, bool)):  # True is an int, too
        return None
    return _("expected %(expected)s, got %(kind)s") % {"expected": expected, "kind": json_kind(value)}


def _is_key(value):
    return isinstance(value, list) and len(value) >= 1 and all(isinstance(part, str) for part in value)


def clean(model, instance, bad=()):
    """(field, message) from the model's field validation, clean() and CheckConstraints,
    leaving out fields already found wrong (`bad`), which hold their default."""
    exclude = {spec.name for spec in field_specs(model) if spec.kind != "value"} | set(bad)
    exclude |= set(translated_originals(model)) | BOOKKEEPING_FIELDS
    found = []
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name not in bad:  # clean() may name a field that is wrong already
                found += [("" if name == "__all__" else name, message) for message in messages]
    wrong = set(bad) | {name for name, _message in found}
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        names = sorted(constraint.condition.referenced_base_fields)
        if wrong.intersection(names):
            continue
        values = tuple(getattr(instance, model._meta.get_field(name).attname) for name in names)
        if not _holds(model, constraint.name, values):
            # A constraint on one or two fields ("end >= start") is about its first field.
            child = constraint.condition
            while isinstance(child, Q):
                child = child.children[0]
            name = child[0].split("__")[0] if len(names) <= 2 else ""
            message = str(constraint.get_violation_error_message())
            if (name, message) not in found and ("", message) not in found:
                found.append((name, message))
    return found


@lru_cache(maxsize=4096)
def _holds(model, name, values):
    """Whether the database finds the constraint true (or unknown, as a CHECK accepts)
    for these values of the fields it names."""
    (constraint,) = (constraint for constraint in model._meta.constraints if constraint.name == name)
    names = sorted(constraint.condition.referenced_base_fields)
    fields = [model._meta.get_field(name) for name in names]
    return Q(constraint.condition).check({f.name: Value(value, f) for f, value in zip(fields, values, strict=True)})
