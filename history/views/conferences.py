from django.db.models import Prefetch
from django.shortcuts import render

from ..filters import ConferenceFilter
from ..models import AidProgram, Conference, Event, Source
from .listing import evidence_prefetches, list_page, viewable_record


def conference_list(request):
    return list_page(
        request, ConferenceFilter, Conference.objects.published(), "history/conference_list.html", "conferences"
    )


def conference_detail(request, slug):
    queryset = Conference.objects.prefetch_related(
        "hosts",
        Prefetch("events", queryset=Event.objects.published()),
        Prefetch("aidprograms", queryset=AidProgram.objects.published()),
        Prefetch("outcome_documents", queryset=Source.objects.published()),
        *evidence_prefetches(),
    )
    conference = viewable_record(request, queryset, slug)
    return render(request, "history/conference_detail.html", {"conference": conference, "record": conference})
