from django.db.models import Q
from django.shortcuts import render

from ..filters import SourceFilter
from ..models import Citation, Claim, Conference, Publishable, Source
from .listing import list_page, viewable_record

PUBLISHED = Publishable.Status.PUBLISHED


def published_subject(prefix=""):
    """Citations and disagreements count only when the record they are about is public."""
    return (
        Q(**{f"{prefix}event__status": PUBLISHED})
        | Q(**{f"{prefix}conference__status": PUBLISHED})
        | Q(**{f"{prefix}aidprogram__status": PUBLISHED})
    )


def source_list(request):
    queryset = Source.objects.published().select_related("publisher")
    return list_page(request, SourceFilter, queryset, "history/source_list.html", "sources")


def source_detail(request, slug):
    source = viewable_record(request, Source.objects.select_related("publisher"), slug)
    citations = (
        Citation.objects.filter(published_subject(), source=source)
        .select_related("event", "conference", "aidprogram")
        .order_by("event__start_date", "conference__start_date", "aidprogram__start_date", "locator")
    )
    claims = Claim.objects.filter(published_subject("disagreement__"), source=source).select_related(
        "disagreement__event", "disagreement__conference", "disagreement__aidprogram"
    )
    context = {
        "source": source,
        "citations": citations,
        "claims": claims,
        "conferences_documented": Conference.objects.published().filter(outcome_documents=source),
    }
    return render(request, "history/source_detail.html", context)
