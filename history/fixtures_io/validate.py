"""Checks on one fixture object: field names, JSON types, then the model's own
validation (full_clean) and its CheckConstraints, evaluated in Python.

Foreign keys are checked by the importer against the natural keys it knows (files
plus database), in bulk; full_clean would run one query per foreign key per object,
and CheckConstraint.validate one query per constraint per object, which at 100,000
objects is slower than loaddata. Unique constraints other than the natural key are
checked in bulk by the importer too."""

import decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _

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
        elif name in BOOKKEEPING_FIELDS:
            continue
        elif name in originals:
            if originals[name] not in fields:
                result[originals[name]] = value
        else:
            unknown.append(name)
    return result, unknown


def required_names(model):
    """Fields that a file must give: no default and not optional. For a translated
    field the default language (English) counts, as the admin requires it."""
    originals = translated_originals(model)
    required = []
    for spec in field_specs(model):
        field = spec.field
        if spec.kind == "m2m" or field.has_default() or field.null or field.blank:
            original = getattr(field, "translated_field", None)
            if not (original is not None and originals.get(original.name) == spec.name and not original.blank):
                continue
        required.append(spec.name)
    return required


def check_type(spec, value):
    """A plain message if the JSON value has the wrong type for the field, else None."""
    field = spec.field
    if spec.kind == "m2m":
        if not isinstance(value, list) or not all(_is_key(item) for item in value):
            return _('expected a list of natural keys like [["some-slug"]], got %(kind)s') % {"kind": json_kind(value)}
        return None
    if value is None:
        return None if field.null else _("must not be null")
    if spec.kind == "fk":
        return (
            None
            if _is_key(value)
            else _('expected a natural key like ["some-slug"], got %(kind)s') % {"kind": json_kind(value)}
        )
    expected = None
    if isinstance(field, models.BooleanField):
        ok, expected = isinstance(value, bool), _("true or false")
    elif isinstance(field, models.IntegerField):
        ok, expected = isinstance(value, int) and not isinstance(value, bool), _("a whole number")
    elif isinstance(field, models.DecimalField):
        ok = isinstance(value, str | int | float) and not isinstance(value, bool)
        expected = _('a number written as text, e.g. "4500000000.00"')
    elif isinstance(field, models.DateField):
        ok, expected = isinstance(value, str), _('a date written as "YYYY-MM-DD"')
    else:
        ok, expected = isinstance(value, str), _("text")
    if ok:
        return None
    return _("expected %(expected)s, got %(kind)s") % {"expected": expected, "kind": json_kind(value)}


def _is_key(value):
    return isinstance(value, list) and len(value) >= 1 and all(isinstance(part, str) for part in value)


def clean_instance(model, instance):
    """Run the model's field validation and clean(); return {field: [messages]}."""
    exclude = [spec.name for spec in field_specs(model) if spec.kind != "value"]
    exclude += list(translated_originals(model)) + list(BOOKKEEPING_FIELDS)
    errors = {}
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault("" if name == "__all__" else name, []).extend(messages)
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint) and holds(constraint.condition, instance) is False:
            fields = _fields_in(constraint.condition)
            name = fields[0] if 0 < len(set(fields)) <= 2 else ""
            message = str(constraint.get_violation_error_message())
            if message not in errors.get(name, []):
                errors.setdefault(name, []).append(message)
    return errors


def holds(condition, instance):
    """Evaluate a CheckConstraint's Q in Python with SQL's three-valued logic: True,
    False, or None (unknown, which a CHECK accepts). Supports the lookups this app uses
    (exact, isnull, gte, lte, gt, lt); anything else asks the database."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(holds(child, instance))
        else:
            results.append(_lookup_holds(*child, instance))
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if condition.negated and value is not None:
        value = not value
    return value


def _value(instance, name):
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise _Unsupported from None
    return getattr(instance, field.attname)


class _Unsupported(Exception):
    pass


def _lookup_holds(lookup, expected, instance):
    name, _sep, operator = lookup.partition("__")
    try:
        value = _value(instance, name)
        if isinstance(expected, F):
            expected = _value(instance, expected.name)
    except _Unsupported:
        return _ask_database(Q((lookup, expected)), instance)
    if operator == "isnull":
        return (value is None) == bool(expected)
    if value is None or expected is None:
        return None
    if isinstance(value, decimal.Decimal | int | float) and isinstance(expected, str):
        expected = decimal.Decimal(expected)
    comparisons = {
        "": lambda a, b: a == b,
        "exact": lambda a, b: a == b,
        "gte": lambda a, b: a >= b,
        "lte": lambda a, b: a <= b,
        "gt": lambda a, b: a > b,
        "lt": lambda a, b: a < b,
    }
    if operator not in comparisons:
        return _ask_database(Q((lookup, expected)), instance)
    try:
        return comparisons[operator](value, expected)
    except TypeError:
        return None  # a wrongly typed value is reported by full_clean already


def _ask_database(condition, instance):
    try:
        return condition.check({f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields})
    except Exception:  # noqa: BLE001 - an unevaluable condition is left to the database on write
        return None


def _fields_in(condition):
    """Field names a condition mentions, in order of appearance."""
    names = []
    for child in condition.children:
        if isinstance(child, Q):
            names += _fields_in(child)
        else:
            names.append(child[0].split("__")[0])
            if isinstance(child[1], F):
                names.append(child[1].name)
    return names
