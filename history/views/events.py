from django.db.models import Prefetch
from django.shortcuts import render

from ..filters import EventFilter
from ..models import AidProgram, Event
from .listing import evidence_prefetches, list_page, viewable_record


def event_list(request):
    return list_page(request, EventFilter, Event.objects.published(), "history/event_list.html", "events")


def event_detail(request, slug):
    queryset = Event.objects.select_related("conference").prefetch_related(
        Prefetch("aidprograms", queryset=AidProgram.objects.published()),
        *evidence_prefetches(),
    )
    event = viewable_record(request, queryset, slug)
    return render(request, "history/event_detail.html", {"event": event, "record": event})
