"""Open data: the lists readers see, as files. A list view calls

    response = list_download(request, "event", filterset.qs)
    if response is not None:
        return response

first thing. Only published records go out (the queryset is narrowed again here),
translated text in the reader's language, each record with its page's URL. One
module per family of formats: tabular (CSV, JSON), bibliography (CSL-JSON,
BibTeX), iati (IATI activity XML), timelinejs."""

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Publishable
from .bibliography import write_bibtex, write_csl
from .iati import write_iati
from .tabular import write_csv, write_json
from .timelinejs import write_timelinejs

FORMATS = {
    "event": ("csv", "json"),
    "conference": ("csv", "json"),
    "aid": ("csv", "json", "iati"),
    "source": ("csv", "json", "csl-json", "bibtex"),
    "timeline": ("csv", "json", "timelinejs"),
}
FILE_STEMS = {
    "event": "events",
    "conference": "conferences",
    "aid": "aid-programmes",
    "source": "sources",
    "timeline": "timeline",
}

WRITERS = {
    "csv": write_csv,
    "json": write_json,
    "csl-json": write_csl,
    "bibtex": write_bibtex,
    "iati": write_iati,
    "timelinejs": write_timelinejs,
}

# What each kind's rows read besides their own columns, fetched with the list
# rather than once per row.
RELATED = {
    "event": {"select": ("conference",), "prefetch": ()},
    "conference": {"select": (), "prefetch": ()},
    "aid": {"select": ("pledge",), "prefetch": ("participations__organization",)},
    "source": {"select": ("publisher",), "prefetch": ()},
}


def list_download(request, kind, queryset):
    """An HttpResponse for ?format=..., None when no format is asked, 400 for an unknown one."""
    fmt = request.GET.get("format")
    if not fmt:
        return None
    if fmt not in FORMATS[kind]:
        message = _("Unknown format “%(format)s”. This list is available as: %(formats)s.") % {
            "format": fmt[:40],
            "formats": ", ".join(FORMATS[kind]),
        }
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    records = published(queryset, kind)
    writer = WRITERS[fmt]
    body, content_type, extension = writer(request, kind, records)
    response = HttpResponse(body, content_type=content_type)
    stem = FILE_STEMS[kind]
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate().isoformat()}.{extension}"'
    response["Content-Language"] = translation.get_language()
    return response


def published(records, kind=None):
    if hasattr(records, "model") and issubclass(records.model, Publishable):
        related = RELATED.get(kind, {"select": (), "prefetch": ()})
        records = records.published().select_related(*related["select"]).prefetch_related(*related["prefetch"])
        return list(records)
    return [record for record in records if getattr(record, "is_published", False)]
