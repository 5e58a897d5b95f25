from django.db.models import Prefetch
from django.shortcuts import render

from ..filters import AidProgramFilter
from ..models import AidProgram, Event, Participation
from .listing import evidence_prefetches, list_page, viewable_record


def aid_list(request):
    queryset = AidProgram.objects.published()
    return list_page(request, AidProgramFilter, queryset, "history/aidprogram_list.html", "aidprogram")


def aid_detail(request, slug):
    queryset = AidProgram.objects.select_related("pledge").prefetch_related(
        Prefetch("participations", queryset=Participation.objects.select_related("organization")),
        "provinces",
        Prefetch("events", queryset=Event.objects.published()),
        *evidence_prefetches(),
    )
    program = viewable_record(request, queryset, slug)
    return render(request, "history/aidprogram_detail.html", {"program": program, "record": program})
