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

from .. import kinds
from .. import search as site_search
from ..downloads import list_download
from ..filters import MAX_YEAR, MIN_YEAR
from ..models import Conference, Event, Source
from ..search import query_terms
from ..timeline import ERAS, TimelineFilterForm, timeline_records, timeline_window, year_span

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
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
    milestones = Event.objects.published().filter(milestone=True)
    context = {
        "milestones": [event for era in ERAS for event in milestones.filter(era.condition())[:MILESTONES_PER_ERA]],
        "conferences": Conference.objects.published()[:CONFERENCES_SHOWN],
    }
    return render(request, "history/home.html", context)


def about(request):
    return render(request, "history/about.html", {"reliability": Source.Reliability})


def event_type_label(value):
    return Event.Type(value).label if value in Event.Type.values else value


def timeline_entry(record):
    """A line of the timeline: the record, its kind, what the line says it is (an
    event its type) and its decade."""
    kind = kinds.of(record)
    return {
        "record": record,
        "kind": kind,
        # The choice's own label: get_event_type_display() rebuilds every choice each time.
        "label": event_type_label(record.event_type) if kind is kinds.EVENT else kind.timeline_label,
        "decade": record.start_date.year // 10 * 10,
    }


def timeline(request):
    """One window of the timeline (history.timeline): one kind or one era of it if
    asked (?kind=, ?era=), from a year (?from=) or next to a record (?after=,
    ?before=), with links to the decades it spans and to the windows beside it."""
    form = TimelineFilterForm(request.GET or None)
    on_timeline, era = form.chosen() if form.is_bound else (kinds.ON_TIMELINE, None)
    if request.GET.get("format"):
        return list_download(request, "timeline", timeline_records(on_timeline, era))
    notices = []
    if form.is_bound and form.errors:
        notices.append(_("Some filters could not be understood and were left out. See the notes by the form."))
    year = from_year(request.GET.get("from", ""))
    if year is False:
        notices.append(_("Some filters could not be understood and were left out. See the notes by the form."))
        year = None
    window = timeline_window(
        on_timeline, era, after=request.GET.get("after", ""), before=request.GET.get("before", ""), year=year
    )
    first, last = year_span(on_timeline, era)
    context = {
        "entries": [timeline_entry(record) for record in window.records],
        "window": window,
        "decades": range(first // 10 * 10, last + 1, 10) if first is not None else (),
        "filter_form": form if form.is_bound else TimelineFilterForm(),
        "notices": [*notices, *window.notices],
    }
    return render(request, "history/timeline.html", context)


def from_year(text):
    """The year of ?from=, None when not given, False when it is not a year."""
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        return False
    return int(text)


def search(request):
    query = request.GET.get("q", "").strip()
    notice = ""
    terms = query_terms(query)
    if len(query) > MAX_QUERY_LENGTH or len(terms) > MAX_TERMS:
        notice = _("That search is too long. Please use at most %(count)s words and %(length)s characters.") % {
            "count": MAX_TERMS,
            "length": MAX_QUERY_LENGTH,
        }
        terms = []
    groups = site_search.search(query, per_kind=RESULTS_PER_KIND) if terms else None
    context = {
        "query": query if not notice else "",
        "searched": bool(terms),
        "notice": notice,
        "groups": groups or [],
        "total": sum(group.count for group in groups or []),
    }
    return render(request, "history/search.html", context)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("favicon.svg"), permanent=True)
