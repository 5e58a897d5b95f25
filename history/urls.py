from django.urls import path

from .feeds import EventFeed
from .views import aid, conferences, events, site, sources

app_name = "history"

urlpatterns = [
    path("", site.home, name="home"),
    path("about/", site.about, name="about"),
    path("timeline/", site.timeline, name="timeline"),
    path("search/", site.search, name="search"),
    path("events/", events.event_list, name="event-list"),
    path("events/<slug:slug>/", events.event_detail, name="event-detail"),
    path("conferences/", conferences.conference_list, name="conference-list"),
    path("conferences/<slug:slug>/", conferences.conference_detail, name="conference-detail"),
    path("aid/", aid.aid_list, name="aidprogram-list"),
    path("aid/<slug:slug>/", aid.aid_detail, name="aidprogram-detail"),
    path("sources/", sources.source_list, name="source-list"),
    path("sources/<slug:slug>/", sources.source_detail, name="source-detail"),
    path("feeds/events/", EventFeed(), name="event-feed"),
]
