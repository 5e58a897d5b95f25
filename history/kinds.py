"""The kinds of record readers browse, in one place.

Every place that lists kinds reads this module: URL names and paths, templates,
list filters, download formats and their columns, the sitemap, the timeline,
search, the records a citation or disagreement may be about, and the import
order. A kind is spelled one way everywhere, the model's own name ("aidprogram"):
in code, URL names, template names, downloads and fixtures. The only other
spelling is the path readers see (/aid/), which DESIGN.md fixes.

To add a kind: its model (a Publishable with a natural key), one Kind below, a
FilterSet named in it, and the two templates history/<name>_list.html and
history/<name>_detail.html.

This module imports no model, so models can read it (citation.py builds its
subject fields from CITED).
"""

from dataclasses import dataclass

from django.apps import apps
from django.core import serializers
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

APP_LABEL = "history"


@dataclass(frozen=True)
class Kind:
    name: str  # the model's name
    path: str  # the URL segment: /<lang>/<path>/ and /<lang>/<path>/<slug>/
    singular: str  # one record of the kind, e.g. a citation's "about" field
    label: str  # the list's heading, plural
    filterset: str  # class name in history.filters
    formats: tuple  # download formats of its list, besides none
    columns: tuple  # CSV and JSON columns, in order
    cited: bool = False  # published records need a citation; citations and disagreements may be about it
    on_timeline: bool = False
    # Relations a download row reads besides its own columns, fetched with the rows
    # (published records only, for kinds that have drafts).
    related: tuple = ()
    list_related: tuple = ()  # the same for a row of its list page
    # Relations its record page shows besides citations and disagreements, fetched
    # with the record and narrowed the same way.
    detail_related: tuple = ()
    timeline_label: str = ""  # what the timeline says a record of the kind is (an event: its type)
    # A function (dotted path) of the list's filtered queryset, the list's URL and
    # whether the reader filtered it, that returns the markup its list page draws
    # above the records ({{ glance }}).
    glance: str = ""

    @property
    def model(self):
        return apps.get_model(APP_LABEL, self.name)

    @property
    def filterset_class(self):
        return import_string(f"history.filters.{self.filterset}")

    def url_name(self, view):
        """"history:event-list", "history:aidprogram-detail"."""
        return f"{APP_LABEL}:{self.name}-{view}"

    def template(self, view):
        return f"{APP_LABEL}/{self.name}_{view}.html"


DATED_COLUMNS = ("start_date", "start_precision", "end_date", "end_precision")

EVENT = Kind(
    name="event",
    path="events",
    singular=_("event"),
    label=_("Events"),
    filterset="EventFilter",
    formats=("csv", "json"),
    columns=(
        "slug",
        "title",
        "event_type",
        *DATED_COLUMNS,
        "location",
        "milestone",
        "summary",
        "conference",
        "url",
    ),
    cited=True,
    on_timeline=True,
    related=("conference",),
    detail_related=("conference", "aidprograms"),
)
CONFERENCE = Kind(
    name="conference",
    path="conferences",
    singular=_("conference"),
    label=_("Conferences"),
    filterset="ConferenceFilter",
    formats=("csv", "json"),
    columns=(
        "slug",
        "title",
        "city",
        "venue",
        "start_date",
        "end_date",
        "countries_attending",
        "organizations_attending",
        "total_pledged",
        "total_pledged_currency",
        "total_pledged_period",
        "japan_pledge",
        "japan_pledge_currency",
        "japan_pledge_period",
        "summary",
        "url",
    ),
    cited=True,
    on_timeline=True,
    detail_related=("hosts", "events", "aidprograms", "outcome_documents"),
    timeline_label=_("Conference"),
)
AIDPROGRAM = Kind(
    name="aidprogram",
    path="aid",
    singular=_("aid programme"),
    label=_("Aid programmes"),
    filterset="AidProgramFilter",
    formats=("csv", "json", "iati"),
    columns=(
        "slug",
        "title",
        "iati_identifier",
        "sector",
        "activity_status",
        "finance_type",
        "channel",
        "start_date",
        "start_precision",
        "start_type",
        "end_date",
        "end_precision",
        "end_type",
        "amount",
        "currency",
        "amount_note",
        "pledge",
        "summary",
        "url",
    ),
    cited=True,
    on_timeline=True,
    related=("pledge", "participations__organization"),
    detail_related=("pledge", "participations__organization", "provinces", "events"),
    timeline_label=_("Aid programme begins"),
    glance="history.charts.drawn_glance",
)
SOURCE = Kind(
    name="source",
    path="sources",
    singular=_("source"),
    label=_("Sources"),
    filterset="SourceFilter",
    formats=("csv", "json", "csl-json", "bibtex"),
    columns=(
        "slug",
        "title",
        "source_type",
        "author",
        "publisher",
        "published_date",
        "published_precision",
        "source_url",
        "archive_url",
        "accessed",
        "language",
        "reliability",
        "url",
    ),
    related=("publisher",),
    list_related=("publisher",),
    detail_related=("publisher", "conferences_documented"),
)

KINDS = (EVENT, CONFERENCE, AIDPROGRAM, SOURCE)
BY_NAME = {kind.name: kind for kind in KINDS}
# What a citation or a disagreement may be about: one foreign key each.
CITED = tuple(kind for kind in KINDS if kind.cited)
ON_TIMELINE = tuple(kind for kind in KINDS if kind.on_timeline)

# The timeline is no model, but readers download it like a list: its rows are
# records of the kinds ON_TIMELINE.
TIMELINE = Kind(
    name="timeline",
    path="timeline",
    singular=_("timeline entry"),
    label=_("Timeline"),
    filterset="",
    formats=("csv", "json", "timelinejs"),
    columns=("type", "slug", "title", *DATED_COLUMNS, "summary", "url"),
)
DOWNLOADS = {kind.name: kind for kind in (*KINDS, TIMELINE)}


def get(name):
    return BY_NAME[name]


def of(record_or_model):
    """The Kind of a record or model."""
    return BY_NAME[record_or_model._meta.model_name]


def import_order():
    """Model names of everything fixtures carry, each after the models its
    natural key refers to: the order Django's serializers use (natural_key
    dependencies and foreign keys to models with natural keys)."""
    models = [
        model
        for model in apps.get_app_config(APP_LABEL).get_models()
        if hasattr(model, "natural_key") and not model._meta.model_name.startswith("historical")
    ]
    ordered = serializers.sort_dependencies([(apps.get_app_config(APP_LABEL), models)], allow_cycles=False)
    return tuple(model._meta.model_name for model in ordered if model in models)
