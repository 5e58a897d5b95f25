"""The list and the page of every kind of record in history.kinds: one view each.
What differs between kinds (model, filters, templates, related records) is read
from the kind; what readers may see is always the models' published(). A record page lists at
most history.related.RELATED_SHOWN of each kind of record tied to it."""

import copy
import functools

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import kinds, prepared
from ..downloads import list_download, record_download
from ..models import Citation, Claim, Disagreement, Source
from ..models.base import published_lookups
from ..models.citation import SUBJECT_FIELDS, published_subject
from ..paging import record_page
from ..related import FirstShown, read_first_shown, read_ties

PAGING_PARAMETERS = ("page", "after", "before")
# A source's page lists at most this many of the records that cite it (a general
# source may be cited by thousands) and says how many more there are.
CITATIONS_SHOWN = 200


def record_list(request, kind):
    """Published records of `kind`, filtered, a page at a time, or as a data file
    (?format=...). Filters that do not validate are left out and the form shows
    why; a page that is not there shows the nearest one (history.paging)."""
    filterset = kind.filterset_class(request.GET or None, queryset=kind.model.objects.published(), request=request)
    invalid = filterset.is_bound and not filterset.is_valid()
    if request.GET.get("format"):
        # A data file must hold exactly what was asked for: with a filter that does
        # not validate, say so rather than send a silently wider list.
        if invalid:
            return HttpResponse(
                _("Some filters could not be understood: %(fields)s. No file was made.")
                % {"fields": ", ".join(sorted(filterset.errors))},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return list_download(request, kind.name, filterset.qs)

    notices = []
    if invalid:
        notices.append(_("Some filters could not be understood and were left out. See the notes by the form."))
    page = record_page(filterset.qs.for_lines().with_published(*kind.list_related), request.GET, settings.PAGE_SIZE)
    notices.extend(page.notices)
    list_url = reverse(kind.url_name("list"))
    is_filtered = any(value for key, value in request.GET.items() if key not in PAGING_PARAMETERS)
    context = {
        "kind": kind,
        "filter": filterset,
        "list_url": list_url,
        "glance": import_string(kind.glance)(filterset.qs, list_url, is_filtered) if kind.glance else None,
        "page_obj": page,
        "records": page.object_list,
        "notices": notices,
        "is_filtered": is_filtered,
    }
    return render(request, kind.template("list"), context)


def record_detail(request, kind, slug):
    """One record's page, with the records it names and its evidence."""
    response = record_download(request, kind, slug)
    if response is not None:
        return response
    first_shown, prefetched = page_lookups(kind)
    try:
        record, preview = viewable_record(request, kind.model.objects.all(), slug)
    except Http404:
        renamed = renamed_record(kind, slug)
        if renamed is None:
            raise
        return redirect(renamed, permanent=True)
    for lookup in prefetched:
        read_ties(f"{record._meta.label}.", [record], lookup)
    read_first_shown(record, first_shown)
    context = {
        "kind": kind,
        "record": record,
        kind.name: record,  # as DetailView does: {{ event }}, {{ aidprogram }}
        "preview": preview,
        "list_url": reverse(kind.url_name("list")),
    }
    if kind is kinds.SOURCE:
        context.update(cited_by(record))
    return render(request, kind.template("detail"), context)


def page_lookups(kind):
    """(the FirstShown relations, the other prefetches) of a record page of `kind`.

    Built once for each kind and language (modeltranslation names the columns of
    the reader's language as a queryset is built), and each page given copies with
    querysets of their own, since Django's prefetching writes to the querysets it
    is given: building them took about 0.5 ms of a 7 ms record page."""
    first_shown, prefetched = _built_lookups(kind.name, get_language())
    return [fresh(lookup) for lookup in first_shown], [fresh(lookup) for lookup in prefetched]


@functools.lru_cache(maxsize=len(kinds.KINDS) * len(settings.LANGUAGES))
def _built_lookups(kind_name, language):
    kind = kinds.BY_NAME[kind_name]
    lookups = [*published_lookups(kind.model, kind.detail_related, bounded=True), *evidence(kind)]
    first_shown = tuple(lookup for lookup in lookups if isinstance(lookup, FirstShown))
    prefetched = tuple(lookup for lookup in lookups if not isinstance(lookup, FirstShown))
    return first_shown, prefetched


def fresh(lookup):
    """A copy of a prefetch lookup with a queryset of its own (a name stays a name)."""
    if isinstance(lookup, str):
        return lookup
    copied = copy.copy(lookup)
    if copied.queryset is not None:
        copied.queryset = copied.queryset.all()
    return copied


def cited_by(source):
    """The citations of a source about published records, by the records' dates: at
    most CITATIONS_SHOWN of them, and how many more there are. Their SQL (three
    records joined to each citation) is built once for each language."""
    by_date = [f"{field}__start_date" for field in SUBJECT_FIELDS]

    def citing(pk):
        citations = Citation.objects.filter(published_subject(), source=pk).select_related(*SUBJECT_FIELDS)
        return citations.order_by(*by_date, "locator")

    shown = list(prepared.rows("history.Source.cited_by", citing, source.pk, limit=CITATIONS_SHOWN))
    more = 0
    if len(shown) == CITATIONS_SHOWN:
        more = Citation.objects.filter(published_subject(), source=source).count() - len(shown)
    return {"cited_by": shown, "citations_not_shown": more}


def viewable_record(request, queryset, slug):
    """The record and whether this is a staff preview of a draft. Readers get
    published records only; staff who may view the kind in the admin get drafts
    too, marked as a preview. A reader's record is read with its queryset and SQL
    built once for each kind and language (history.prepared)."""
    options = queryset.model._meta
    if not (request.user.is_staff and request.user.has_perm(f"{options.app_label}.view_{options.model_name}")):
        by_slug = prepared.rows(
            f"{options.label}.page", lambda value: queryset.published().filter(slug=value), slug, limit=1
        )
        if not by_slug:
            raise Http404(f"No published {options.verbose_name} has the slug {slug!r}.")
        return by_slug[0], False
    record = get_object_or_404(queryset, slug=slug)
    return record, not queryset.published().filter(pk=record.pk).exists()


def renamed_record(kind, slug):
    """The published record that once had this slug (django-simple-history keeps
    every old one), so that an address once given out keeps working: None when no
    record had it, or it is not published."""
    ids = kind.model.history.filter(slug=slug).values_list("id", flat=True).distinct()
    return kind.model.objects.published().filter(pk__in=ids).exclude(slug=slug).order_by("-updated_at").first()


def evidence(kind):
    """What a record's page shows under its text, narrowed to what readers may see
    on the other side of each link; the record itself is the one the reader may see.

    A cited kind's page lists its citations and claims resting on published sources.
    (Not Citation.objects.published(): that also asks for the record to be
    published, and a staff preview of a draft would show no sources at all.) A
    source's page lists the citations and claims about published records."""
    if kind.cited:
        # On the source the rows are joined to anyway (select_related): "source IN
        # (published sources)" made the database list every published source for
        # every page, and an EXISTS cost a subquery to build and run on each.
        on_published_source = Q(source__status=Source.Status.PUBLISHED)
        return (
            FirstShown("citations", queryset=Citation.objects.filter(on_published_source).select_related("source")),
            FirstShown(
                "disagreements",
                queryset=Disagreement.objects.prefetch_related(
                    Prefetch("claims", queryset=Claim.objects.filter(on_published_source).select_related("source"))
                ),
            ),
        )
    if kind is kinds.SOURCE:
        return (
            FirstShown(
                "claims",
                queryset=Claim.objects.filter(published_subject("disagreement__")).select_related(
                    *(f"disagreement__{field}" for field in SUBJECT_FIELDS)
                ),
            ),
        )
    return ()
