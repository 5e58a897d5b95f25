"""Open data: the lists readers see, as files. A list view calls

    response = list_download(request, "event", filterset.qs)
    if response is not None:
        return response

first thing, with the name of a kind in history.kinds (or "timeline"). Only
published records go out (a queryset is narrowed again here, related records
too), translated text in the reader's language, each record with its page's URL.
One module per family of formats: tabular (CSV, JSON), bibliography (CSL-JSON,
BibTeX), iati (IATI activity XML), timelinejs."""

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import kinds
from .bibliography import write_bibtex, write_csl
from .iati import write_iati
from .tabular import write_csv, write_json
from .timelinejs import write_timelinejs

WRITERS = {
    "csv": write_csv,
    "json": write_json,
    "csl-json": write_csl,
    "bibtex": write_bibtex,
    "iati": write_iati,
    "timelinejs": write_timelinejs,
}


def list_download(request, kind_name, records):
    """An HttpResponse for ?format=..., None when no format is asked, 400 for an unknown one.
    `records`: a queryset of the kind, or (the timeline) records already published."""
    fmt = request.GET.get("format")
    if not fmt:
        return None
    kind = kinds.DOWNLOADS[kind_name]
    if fmt not in kind.formats:
        message = _("Unknown format “%(format)s”. This list is available as: %(formats)s.") % {
            "format": fmt[:40],
            "formats": ", ".join(kind.formats),
        }
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    if hasattr(records, "published"):
        records = records.published().with_published(*kind.related)
    body, content_type, extension = WRITERS[fmt](request, kind, records)
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{kind.path}-{stamp}.{extension}"'
    response["Content-Language"] = translation.get_language()
    return response
