"""Every page type readers see, with the seed content: the addresses the HTML,
accessibility and screenshot checks visit in each language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from history import kinds

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def page_types():
    """(name, path builder) for one page of every type: the fixed pages, each kind's
    list and one record's page, a search with results and one without."""

    def first(kind):
        record = kind.model.objects.published().order_by("slug").first()
        return {"slug": record.slug}

    types = [
        ("home", "history:home", {}, ""),
        ("timeline", "history:timeline", {}, ""),
        ("timeline-filtered", "history:timeline", {}, "?era=reconstruction&kind=conference"),
        ("about", "history:about", {}, ""),
        ("disagreements", "history:disagreements", {}, ""),
        ("search", "history:search", {}, "?q=Kabul"),
        ("search-empty", "history:search", {}, ""),
        ("search-nothing", "history:search", {}, "?q=Kabol"),
    ]
    for kind in kinds.KINDS:
        types.append((f"{kind.name}-list", kind.url_name("list"), {}, ""))
        types.append((f"{kind.name}-detail", kind.url_name("detail"), first(kind), ""))
    # A conference whose pledge the sources tie to a programme, and one they do not.
    types.append(("conference-traced", "history:conference-detail", {"slug": "ddr-conference-tokyo-2003"}, ""))
    return types


def path_of(name, kwargs, query, language):
    with translation.override(language):
        return reverse(name, kwargs=kwargs) + query
