"""The pages that are not one kind's list or record: home, timeline, search and
about; and the language redirect at /, robots.txt and the favicon."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import kinds, search_page
from ..downloads import list_download
from ..models import Conference, Event, Source
from ..overview import timeline_overview
from ..search import search_filter
from ..timeline import TimelineFilterForm, timeline_records

RESULTS_PER_KIND = 50


@require_GET
def language_redirect(request):
    """Send the reader to the home page in the language their browser asks for."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = redirect(reverse("history:home"))
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def home(request):
    context = {
        "milestones": Event.objects.published().filter(milestone=True),
        "conferences": Conference.objects.published(),
    }
    return render(request, "history/home.html", context)


def about(request):
    return render(request, "history/about.html", {"reliability": Source.Reliability})


def timeline_entry(record):
    """A line of the timeline: the record, its kind, what the line says it is (an
    event its type) and its decade."""
    kind = kinds.of(record)
    return {
        "record": record,
        "kind": kind,
        "label": record.get_event_type_display() if kind is kinds.EVENT else kind.timeline_label,
        "decade": record.start_date.year // 10 * 10,
    }


def timeline(request):
    """Everything on the timeline, or one kind or one era of it (?kind=, ?era=);
    the drawn overview always shows the whole history."""
    form = TimelineFilterForm(request.GET or None)
    on_timeline, era = form.chosen() if form.is_bound else (kinds.ON_TIMELINE, None)
    records = timeline_records(on_timeline, era)
    response = list_download(request, "timeline", records)
    if response is not None:
        return response
    context = {
        "kind": kinds.TIMELINE,  # its downloads
        "entries": [timeline_entry(record) for record in records],
        "overview": timeline_overview(current_era=era),
        "filter_form": form if form.is_bound else TimelineFilterForm(),
        "is_filtered": bool(form.is_bound and (form["kind"].value() or form["era"].value())),
        "notices": [_("Some filters could not be understood and were left out. See the notes by the form.")]
        if form.is_bound and form.errors
        else [],
    }
    return render(request, "history/timeline.html", context)


def search(request):
    """Results grouped by kind with a count for each, the matched words marked; a
    page that helps when the query is empty, too long, has no words or finds
    nothing (history.search_page)."""
    query = " ".join(request.GET.get("q", "").split())
    problem, terms = search_page.check_query(query)
    groups = []
    if not problem:
        condition = search_filter(query)
        for kind in kinds.KINDS:
            found = kind.model.objects.published().filter(condition)
            records = list(found[:RESULTS_PER_KIND])
            count = len(records) if len(records) < RESULTS_PER_KIND else found.count()
            groups.append({"kind": kind, "records": records, "count": count})
    total = sum(group["count"] for group in groups)
    context = {
        "query": query[: search_page.MAX_QUERY_LENGTH],
        "problem": problem,
        "searched": not problem,
        "terms": terms,
        "groups": groups,
        "total": total,
        "suggestions": search_page.suggestions(query) if not problem else [],
        "searched_as": search_page.searched_as(query) if not problem else [],
        "examples": search_page.examples() if problem or not total else [],
        "shortened": search_page.shortened(query) if problem == "too-long" else "",
        "max_terms": search_page.MAX_TERMS,
        "max_length": search_page.MAX_QUERY_LENGTH,
    }
    return render(request, "history/search.html", context)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("favicon.svg"), permanent=True)
