"""What the list and detail views share: one filtered, paginated list page and one
rule for who may see a record."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ..downloads import list_download
from ..models import Citation, Claim, Disagreement

# The list pages' names for their kind of record -> the name downloads use.
DOWNLOAD_KINDS = {"events": "event", "conferences": "conference", "aidprogram": "aidprogram", "sources": "source"}


def list_page(request, filterset_class, queryset, template, kind):
    """Render a filtered list of published records, `kind` naming it ("events",
    "conferences", "aid", "sources"). Filters that do not validate are left out and
    the form shows why; a page number out of range shows the nearest page."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    records = filterset.qs

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
        return list_download(request, DOWNLOAD_KINDS[kind], records)

    notices = []
    if invalid:
        notices.append(_("Some filters could not be understood and were left out. See the notes by the form."))
    paginator = Paginator(records, settings.PAGE_SIZE)
    asked = request.GET.get("page", "")
    page = paginator.get_page(asked)
    if asked and asked != str(page.number):
        notices.append(_("There is no such page; page %(number)s is shown instead.") % {"number": page.number})
    context = {
        "filter": filterset,
        "page_obj": page,
        "records": page.object_list,
        "notices": notices,
        "kind": kind,
        "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
    }
    return render(request, template, context)


def viewable_record(request, queryset, slug):
    """The record readers may see: published only, unless a staff member who may view
    this kind of record in the admin is previewing a draft."""
    model = queryset.model
    permission = f"{model._meta.app_label}.view_{model._meta.model_name}"
    if not (request.user.is_staff and request.user.has_perm(permission)):
        queryset = queryset.published()
    return get_object_or_404(queryset, slug=slug)


def evidence_prefetches():
    """Citations with their sources, and disagreements with each claim's source:
    what every record page shows under its text."""
    return (
        Prefetch("citations", queryset=Citation.objects.select_related("source")),
        Prefetch(
            "disagreements",
            queryset=Disagreement.objects.prefetch_related(
                Prefetch("claims", queryset=Claim.objects.select_related("source"))
            ),
        ),
    )
