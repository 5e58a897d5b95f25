"""The CSV downloads as a Frictionless Data package (datapackage.json): one resource
per list, each with a Table Schema that says what every column holds, in the
reader's language. The data page shows the same descriptions (dataset_columns).

A list longer than one download part (settings.DOWNLOAD_LIMIT) is a resource of
several parts: a path per part, each with its header row, which Frictionless reads
as one table."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import kinds
from ..safety import FORMULA_TRIGGERS

PACKAGE_NAME = "afghanistan-japan-relations"
FIELD_TYPES = (
    (models.BooleanField, "boolean"),
    (models.DateField, "date"),
    (models.DecimalField, "number"),
    (models.IntegerField, "integer"),
)
RELATED_RESOURCES = {"conference": "conference", "pledge": "conference"}


def derived_columns():
    """Columns that are not one field of the record, and what they hold."""
    return {
        "url": {"type": "string", "format": "uri", "description": _("The record's page on this site.")},
        "type": {
            "type": "string",
            "description": _("The kind of record: event, conference or aid programme (aidprogram)."),
            "constraints": {"enum": [kind.name for kind in kinds.ON_TIMELINE]},
        },
        "source_url": {"type": "string", "format": "uri", "description": _("The source's own address.")},
        "archive_url": {"type": "string", "format": "uri", "description": _("A copy in a web archive.")},
        "publisher": {"type": "string", "description": _("The publishing organisation, by its slug.")},
        "conference": {"type": "string", "description": _("The conference the event belongs to, by its slug.")},
        "pledge": {
            "type": "string",
            "description": _("The conference whose pledge the programme delivers on, by its slug."),
        },
    }


def _model_field(kind, column):
    models_ = [kind.model] if kind in kinds.KINDS else [k.model for k in kinds.ON_TIMELINE]
    for model in models_:
        try:
            return model._meta.get_field(column)
        except FieldDoesNotExist:
            continue
    return None


def schema_field(kind, column, derived):
    """A Table Schema field descriptor for one column of a kind's CSV."""
    descriptor = {"name": column, **derived.get(column, {})}
    field = _model_field(kind, column)
    if column not in derived and field is not None:
        descriptor["title"] = str(field.verbose_name)
        descriptor["description"] = str(field.help_text or field.verbose_name)
        descriptor["type"] = next((name for cls, name in FIELD_TYPES if isinstance(field, cls)), "string")
        if isinstance(field, models.BooleanField):
            descriptor.update(trueValues=["True"], falseValues=["False"])
        if field.choices and not isinstance(field, models.BooleanField):
            descriptor["constraints"] = {"enum": [str(value) for value, _label in field.choices]}
    descriptor.setdefault("title", column.replace("_", " "))
    if column == "slug":
        descriptor["constraints"] = {"required": True, "unique": True}
    return descriptor


def table_schema(kind):
    derived = derived_columns()
    schema = {
        "fields": [schema_field(kind, column, derived) for column in kind.columns],
        "missingValues": [""],
    }
    if kind in kinds.KINDS:
        schema["primaryKey"] = ["slug"]
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": RELATED_RESOURCES[column], "fields": ["slug"]}}
            for column in kind.columns
            if column in RELATED_RESOURCES
        ]
    return schema


def dataset_kinds():
    """The kinds with a CSV download, in the registry's order."""
    return [kind for kind in kinds.DOWNLOADS.values() if "csv" in kind.formats]


def part_urls(request, kind, total):
    """The addresses of a list's CSV, one per part of at most DOWNLOAD_LIMIT records."""
    base = request.build_absolute_uri(reverse(kind.url_name("list") if kind in kinds.KINDS else "history:timeline"))
    limit = settings.DOWNLOAD_LIMIT
    if total <= limit:
        return f"{base}?format=csv"
    return [f"{base}?format=csv&offset={offset}&limit={limit}" for offset in range(0, total, limit)]


def record_count(kind):
    if kind in kinds.KINDS:
        return kind.model.objects.published().count()
    return sum(timeline_kind.model.objects.published().count() for timeline_kind in kinds.ON_TIMELINE)


def data_package(request):
    """datapackage.json for the reader's language, the CSV of every list."""
    resources = []
    for kind in dataset_kinds():
        resources.append(
            {
                "profile": "tabular-data-resource",
                "name": kind.name,
                "title": str(kind.label),
                "path": part_urls(request, kind, record_count(kind)),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(kind),
            }
        )
    triggers = " ".join(repr(ch)[1:-1] for ch in FORMULA_TRIGGERS)
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": _("Afghanistan–Japan Relations"),
        "description": _(
            "Every published record of the site as CSV, one file per list. A cell that would start "
            "with %(triggers)s starts with an apostrophe, so that spreadsheets show it as text."
        )
        % {"triggers": triggers},
        "homepage": request.build_absolute_uri(reverse("history:home")),
        "licenses": [settings.DATA_LICENSE],
        "resources": resources,
    }
