"""The pages that are not one kind's list or record: home, timeline, search and
about; and the language redirect at /, robots.txt and the favicon."""

from itertools import groupby
from operator import itemgetter

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import kinds, search_page
from .. import search as site_search
from ..choices import choice_label
from ..downloads import list_download
from ..filters import MAX_YEAR, MIN_YEAR
from ..jinja import drawn
from ..models import Conference, Event, Source
from ..overview import drawn_overview
from ..parameters import whole_number
from ..templatetags.history_tags import dates, translated
from ..timeline import ERAS, TimelineFilterForm, timeline_records, timeline_window, year_span

# The best matches of each kind shown; the page says how many there are in all.
RESULTS_PER_KIND = 20


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


# The home page tells the story in brief, whatever the size: at most this many
# milestones of each era and this many conferences, with links to all of them.
MILESTONES_PER_ERA = 8
CONFERENCES_SHOWN = 12


def home(request):
    milestones = Event.objects.published().for_lines().filter(milestone=True)
    context = {
        "milestones": drawn_lines(
            [event for era in ERAS for event in milestones.filter(era.condition())[:MILESTONES_PER_ERA]]
        ),
        "conferences": drawn_lines(Conference.objects.published().for_lines()[:CONFERENCES_SHOWN]),
    }
    return render(request, "history/home.html", context)


def drawn_lines(records):
    """The records as the home page's lists show them, as markup (Jinja2: see
    history.jinja); empty when there are none."""
    entries = [timeline_entry(record) for record in records]
    if not entries:
        return ""
    return drawn("history/record_lines.html", {"entries": entries})


def about(request):
    return render(request, "history/about.html", {"reliability": Source.Reliability})


def timeline_entry(record):
    """A record's line on the timeline (and on the home page's lists): the record,
    its kind, what the line says it is (an event its type), its decade, and its
    dates, title and address as the line shows them. Made here rather than by tags
    in the template: a window has a hundred lines, and a template tag's call cost
    about as much as the work it did."""
    kind = kinds.of(record)
    return {
        "record": record,
        "kind": kind,
        "label": choice_label(record, "event_type") if kind is kinds.EVENT else kind.timeline_label,
        "decade": record.start_date.year // 10 * 10,
        # Only events are milestones: the template asking a conference for one cost
        # a dir() of the record for every such line.
        "milestone": getattr(record, "milestone", False),
        "dates": dates(record),
        "title": translated(record, "title", note=False),
        "url": record.get_absolute_url(),
    }


def timeline_decades(entries):
    """The window's lines under their decades' headings, as markup (Jinja2: see
    history.jinja); empty when the window is."""
    if not entries:
        return ""
    decades = [(decade, list(lines)) for decade, lines in groupby(entries, key=itemgetter("decade"))]
    return drawn("history/timeline_decades.html", {"decades": decades})


def timeline(request):
    """One window of the timeline (history.timeline): one kind or one era of it if
    asked (?kind=, ?era=), from a year (?from=) or next to a record (?after=,
    ?before=), with links to the decades it spans and to the windows beside it.
    The drawn overview always shows the whole history."""
    form = TimelineFilterForm(request.GET or None)
    on_timeline, era = form.chosen() if form.is_bound else (kinds.ON_TIMELINE, None)
    if request.GET.get("format"):
        return list_download(request, "timeline", timeline_records(on_timeline, era))
    notices = []
    year = from_year(request.GET.get("from", ""))
    if (form.is_bound and form.errors) or year is False:
        notices.append(_("Some filters could not be understood and were left out. See the notes by the form."))
        year = year or None
    window = timeline_window(
        on_timeline, era, after=request.GET.get("after", ""), before=request.GET.get("before", ""), year=year
    )
    first, last = year_span(on_timeline, era)
    entries = [timeline_entry(record) for record in window.records]
    context = {
        "kind": kinds.TIMELINE,  # its downloads
        "entries": entries,
        "decades_drawn": timeline_decades(entries),
        "window": window,
        "decades": range(first // 10 * 10, last + 1, 10) if first is not None else (),
        "overview": drawn_overview(current_era=era),
        "filter_form": form if form.is_bound else TimelineFilterForm(),
        "is_filtered": bool(form.is_bound and (form["kind"].value() or form["era"].value())),
        "notices": [*notices, *window.notices],
    }
    return render(request, "history/timeline.html", context)


def from_year(text):
    """The year of ?from=, None when not given, False when it is not a year."""
    if not text:
        return None
    year = whole_number(text, MIN_YEAR, MAX_YEAR)
    return False if year is None else year


def search(request):
    """Results grouped by kind with a count for each, the matched words marked; a
    page that helps when the query is empty, too long, has no words or finds
    nothing (history.search_page). The matching and ranking are history.search's."""
    query = " ".join(request.GET.get("q", "").split())
    problem, terms = search_page.check_query(query)
    groups = (site_search.search(query, per_kind=RESULTS_PER_KIND) or []) if not problem else []
    total = sum(group.count for group in groups)
    context = {
        "query": query[: search_page.MAX_QUERY_LENGTH],
        "problem": problem,
        "searched": not problem,
        "terms": terms,
        "groups": groups,
        "total": total,
        "more": any(group.more for group in groups),
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
