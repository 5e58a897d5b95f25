"""Open data: the lists readers see, as files. A list view calls

    response = list_download(request, "event", filterset.qs)
    if response is not None:
        return response

first thing, with the name of a kind in history.kinds (or "timeline"). Only
published records go out (a queryset is narrowed again here, related records
too), translated text in the reader's language, each record with its page's URL.
One module per family of formats: tabular (CSV, JSON), bibliography (CSL-JSON,
BibTeX), iati (IATI activity XML), timelinejs.

Every download is bounded (issue 10): it streams, and one file holds at most
settings.DOWNLOAD_LIMIT records. Past that the list comes in parts, asked for with
`offset` (records to skip, default 0) and `limit` (records in this part, at most
and by default DOWNLOAD_LIMIT); each part says where the others are in an RFC 8288
Link header (first, prev, next, last) and the whole count in X-Total-Count. The
HTML list's own `page` parameter does not page a download: a download link on page
3 of a list holds the whole list, from its first record.

Every download is public data, readable from pages on any origin
(Access-Control-Allow-Origin: *, no credentials)."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import kinds
from ..parameters import whole_number
from .bibliography import write_bibtex, write_csl
from .citation import RECORD_FORMATS, record_citation
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
# Relations a format reads besides its kind's own (kinds.Kind.related).
PREFETCH = {"iati": ("provinces",)}
# What a script on another origin may read besides the simple headers.
EXPOSED_HEADERS = "Content-Disposition, Content-Language, Link, X-Total-Count"


def plain_error(message, status=400):
    return public(HttpResponse(message, status=status, content_type="text/plain; charset=utf-8"))


def public(response):
    """Readable by a page on any origin: the data is public and needs no credentials."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _number(request, name, default, low, high):
    """A whole number parameter between low and high, or None when it is not one."""
    text = request.GET.get(name, "")
    if text == "":
        return default
    return whole_number(text, low, high)


def _in_language(chunks, language):
    """Produce the chunks with the reader's language active: a streamed body is
    written after the view has returned, when the request's language may be gone."""
    iterator = iter(chunks)
    while True:
        with translation.override(language):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def _link_header(request, offset, limit, total):
    """RFC 8288 links to the other parts of a list longer than one part."""
    if total <= limit and offset == 0:
        return ""
    last = max(total - 1, 0) // limit * limit
    targets = {"first": 0, "last": last}
    if offset > 0:
        targets["prev"] = max(offset - limit, 0)
    if offset + limit < total:
        targets["next"] = offset + limit
    links = []
    for rel, target in targets.items():
        query = request.GET.copy()
        query["offset"] = str(target)
        query["limit"] = str(limit)
        links.append(f'<{request.build_absolute_uri("?" + query.urlencode())}>; rel="{rel}"')
    return ", ".join(links)


def _part(records, offset, limit):
    """The records of one part: a queryset is read in one chunk of at most `limit`
    rows, so that the queries do not grow with the rows and memory stays bounded."""
    if not isinstance(records, QuerySet):
        return records[offset : offset + limit]
    return records[offset : offset + limit].iterator(chunk_size=limit)


def list_download(request, kind_name, records):
    """A streamed response for ?format=..., None when no format is asked, 400 for an
    unknown format or a part that cannot be. `records`: a queryset of the kind, or
    (the timeline) a sequence of records already published (history.timeline)."""
    fmt = request.GET.get("format")
    if not fmt:
        return None
    kind = kinds.DOWNLOADS[kind_name]
    if fmt not in kind.formats:
        message = _("Unknown format “%(format)s”. This list is available as: %(formats)s.") % {
            "format": fmt[:40],
            "formats": ", ".join(kind.formats),
        }
        return plain_error(message)
    most = settings.DOWNLOAD_LIMIT
    limit = _number(request, "limit", most, 1, most)
    offset = _number(request, "offset", 0, 0, 10**12)
    if limit is None or offset is None:
        return plain_error(
            _("“offset” must be a whole number from 0, and “limit” one from 1 to %(most)s.") % {"most": most}
        )
    if hasattr(records, "published"):
        records = records.published().with_published(*kind.related).prefetch_related(*PREFETCH.get(fmt, ()))
    total = records.count() if isinstance(records, QuerySet) else len(records)
    chunks, content_type, extension = WRITERS[fmt](request, kind, _part(records, offset, limit))
    body = _in_language(chunks, translation.get_language())
    response = public(StreamingHttpResponse(body, content_type=content_type))
    stamp = timezone.localdate().isoformat()
    part = f"-from-{offset + 1}" if offset else ""
    response["Content-Disposition"] = f'attachment; filename="{kind.name}-{stamp}{part}.{extension}"'
    response["Content-Language"] = translation.get_language()
    response["X-Total-Count"] = str(total)
    links = _link_header(request, offset, limit, total)
    if links:
        response["Link"] = links
    return response


def record_download(request, kind, slug):
    """A record's own citation for ?format=csl-json or ?format=bibtex on its page;
    None when no format is asked, 400 for another. Published records only."""
    fmt = request.GET.get("format")
    if not fmt:
        return None
    if fmt not in RECORD_FORMATS:
        message = _("Unknown format “%(format)s”. This page is available as: %(formats)s.") % {
            "format": fmt[:40],
            "formats": ", ".join(RECORD_FORMATS),
        }
        return plain_error(message)
    records = kind.model.objects.published()
    if kind is kinds.SOURCE:
        records = records.select_related("publisher")
    record = records.filter(slug=slug).first()
    if record is None:
        raise Http404(_("There is no such record."))
    text, content_type, extension = record_citation(request, record, fmt)
    response = public(HttpResponse(text, content_type=content_type))
    response["Content-Disposition"] = f'attachment; filename="{kind.name}-{record.slug}.{extension}"'
    response["Content-Language"] = translation.get_language()
    return response
