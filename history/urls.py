from django.urls import path

from . import kinds
from .feeds import RecordFeed, kind_feed
from .views import data, pages, records

app_name = "history"


def record_paths(kind):
    """/<path>/ and /<path>/<slug>/ of a kind, named <kind>-list and <kind>-detail."""
    options = {"kind": kind}
    return [
        path(f"{kind.path}/", records.record_list, options, name=f"{kind.name}-list"),
        path(f"{kind.path}/<slug:slug>/", records.record_detail, options, name=f"{kind.name}-detail"),
    ]


urlpatterns = [
    path("", pages.home, name="home"),
    path("about/", pages.about, name="about"),
    path("timeline/", pages.timeline, name="timeline"),
    path("search/", pages.search, name="search"),
    path("data/", data.data_page, name="data"),
    path("data/datapackage.json", data.datapackage, name="datapackage"),
    *(pattern for kind in kinds.KINDS for pattern in record_paths(kind)),
    path("feeds/", RecordFeed(), name="feed"),
    *(path(f"feeds/{kind.path}/", kind_feed(kind)(), name=f"{kind.name}-feed") for kind in kinds.KINDS),
]
