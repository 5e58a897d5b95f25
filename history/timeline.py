"""The timeline: published records of every kind on it (history.kinds.ON_TIMELINE),
in date order, and the eras it is told in. The timeline page, its drawn overview
(history.overview) and its downloads read the same list and the same eras.

This is the one place that says which records a timeline page holds: a window of
at most WINDOW records in timeline order (start date, then kind, then slug), from
the start of the chosen kinds and era, from a year (?from=1930), or next to a
record (?after=event.slug, ?before=event.slug). A window is read with one query
a kind, each an index range of at most WINDOW + 1 rows, so a page costs the same
however long the timeline is."""

import datetime
import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms
from django.db.models import CharField, Q, Value
from django.utils.translation import gettext_lazy as _

from . import kinds, prepared
from .content_version import kept
from .filters import FilterForm
from .paging import beyond


@dataclass(frozen=True)
class Era:
    """A period of the relations, by the first day and the last day a record may
    start on to belong to it (None: open-ended)."""

    slug: str
    first: datetime.date | None
    last: datetime.date | None
    label: str

    def condition(self, field="start_date"):
        q = Q()
        if self.first:
            q &= Q(**{f"{field}__gte": self.first})
        if self.last:
            q &= Q(**{f"{field}__lte": self.last})
        return q

    def contains(self, date):
        return (self.first is None or date >= self.first) and (self.last is None or date <= self.last)


# The Soviet intervention (December 1979) opens the years of war; the Bonn Agreement
# (5 December 2001) the years of reconstruction; the fall of Kabul (15 August 2021)
# the present. A record belongs to the era its start falls in.
ERAS = (
    Era("early-relations", None, datetime.date(1978, 12, 31), _("Early relations, to 1978")),
    Era("conflict", datetime.date(1979, 1, 1), datetime.date(2001, 11, 30), _("Conflict, 1979–2001")),
    Era("reconstruction", datetime.date(2001, 12, 1), datetime.date(2021, 8, 14), _("Reconstruction, 2001–2021")),
    Era("since-2021", datetime.date(2021, 8, 15), None, _("Since August 2021")),
)
ERAS_BY_SLUG = {era.slug: era for era in ERAS}


def era_of(date):
    return next(era for era in ERAS if era.contains(date))


class TimelineFilterForm(FilterForm):
    """What readers may narrow the timeline to: one kind of record, one era."""

    kind = forms.ChoiceField(label=_("Show"), required=False)
    era = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *((kind.name, kind.label) for kind in kinds.ON_TIMELINE)]
        self.fields["era"].choices = [("", _("All periods")), *((era.slug, era.label) for era in ERAS)]

    def chosen(self):
        """(kinds, era) the valid choices narrow to; a choice that does not validate
        is left out, and the form says so beside its field."""
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("kind")
        era = ERAS_BY_SLUG.get(data.get("era") or "")
        return ((kinds.get(kind),) if kind else kinds.ON_TIMELINE), era


class TimelineRecords(Sequence):
    """Every published record of the kinds and era in timeline order, as a sequence
    read a slice at a time: its length is counted, and a slice is one query that
    orders and cuts the positions of every kind together (a UNION), then one query
    a kind for the records in it. A download of the timeline reads it part by part
    (history.downloads), never whole."""

    def __init__(self, on_timeline=kinds.ON_TIMELINE, era=None):
        self.on_timeline, self.era = on_timeline, era

    def _published(self, kind):
        return kind.model.objects.published().filter(self.era.condition() if self.era else Q())

    def __len__(self):
        return sum(self._published(kind).count() for kind in self.on_timeline)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        positions = [
            self._published(kind)
            .annotate(kind_name=Value(kind.name, output_field=CharField()))
            .values_list("start_date", "kind_name", "slug", "pk")
            .order_by()
            for kind in self.on_timeline
        ]
        union = positions[0].union(*positions[1:], all=True) if len(positions) > 1 else positions[0]
        chosen = list(union.order_by("start_date", "kind_name", "slug")[index])
        found = {}
        for kind in self.on_timeline:
            keys = [pk for _start, name, _slug, pk in chosen if name == kind.name]
            if keys:
                found.update({(kind.name, pk): record for pk, record in kind.model.objects.in_bulk(keys).items()})
        return [found[(name, pk)] for _start, name, _slug, pk in chosen if (name, pk) in found]


def timeline_records(on_timeline=kinds.ON_TIMELINE, era=None):
    """Events, conferences and aid programmes (by their start), oldest first; on the
    same day by kind, then by slug, so that the order never depends on the database."""
    return TimelineRecords(on_timeline, era)


# Records one timeline page shows at most: about 50 KB of HTML, whatever the size.
WINDOW = 100
_CURSOR = re.compile(r"^(?P<kind>[a-z]+)\.(?P<slug>[-a-zA-Z0-9_]{1,120})$")


def position(record):
    """Where a record stands on the timeline."""
    return (record.start_date, record._meta.model_name, record.slug)


def _beyond(kind, found, after=True):
    """Records of `kind` after (or before) the position (date, kind name, slug). On
    the position's day, a kind that sorts before the position's kind is before it,
    one that sorts after it is after it, and the same kind goes by slug."""
    date, kind_name, slug = found
    way = "gt" if after else "lt"
    if kind.name == kind_name:
        return beyond(("start_date", "slug"), (date, slug), after=after)
    same_day_is_beyond = (kind.name > kind_name) == after
    return Q(**{f"start_date__{way}{'e' if same_day_is_beyond else ''}": date})


@dataclass
class Window:
    """The records of one timeline page and the positions next to it."""

    records: list
    earlier: str = ""  # ?before= for the page before, "" when this is the first
    later: str = ""  # ?after= for the page after, "" when this is the last
    notices: list = field(default_factory=list)


def cursor(record):
    return f"{record._meta.model_name}.{record.slug}"


def _cursor_position(text, on_timeline):
    """The position a ?after= or ?before= names: a published record on the timeline."""
    match = _CURSOR.match(text or "")
    kind = next((kind for kind in kinds.ON_TIMELINE if match and kind.name == match["kind"]), None)
    if kind is None:
        return None
    start = kind.model.objects.published().filter(slug=match["slug"]).values_list("start_date", flat=True).first()
    return None if start is None else (start, kind.name, match["slug"])


def _read(on_timeline, era, condition_of, descending, size):
    """At most `size` records in timeline order (or its reverse): the positions of
    at most `size` records of each kind (one index range a kind), merged, then the
    chosen records themselves (one query a kind that has any)."""
    order = ("-start_date", "-slug") if descending else ("start_date", "slug")
    positions = []
    for kind in on_timeline:
        queryset = kind.model.objects.published().filter(era.condition() if era else Q())
        rows = queryset.filter(condition_of(kind)).order_by(*order).values_list("start_date", "slug", "pk")[:size]
        positions.append([(start, kind.name, slug, pk) for start, slug, pk in rows])
    merged = heapq.merge(*positions, key=lambda row: row[:3], reverse=descending)
    chosen = [row for _i, row in zip(range(size), merged, strict=False)]
    found = {}
    for kind in on_timeline:
        keys = tuple(pk for _start, name, _slug, pk in chosen if name == kind.name)
        if keys:
            # In no order (the positions give it), SQL built once (history.prepared).
            for record in prepared.lines(kind.model, keys):
                found[(kind.name, record.pk)] = record
    return [found[(name, pk)] for _start, name, _slug, pk in chosen if (name, pk) in found]


def timeline_window(on_timeline=kinds.ON_TIMELINE, era=None, after="", before="", year=None, size=WINDOW):
    """The records of one timeline page: the first `size` of the kinds and era, the
    first from a year on, or the `size` after (before) a record's position."""
    notices = []
    if after or before:
        found = _cursor_position(after or before, on_timeline)
        if found is None:
            notices.append(_("That place in the timeline is not there any more; the timeline is shown from its start."))
        elif after:
            records = _read(on_timeline, era, lambda kind: _beyond(kind, found), False, size + 1)
            return _window(records[:size], earlier=True, later=len(records) > size)
        else:
            records = _read(on_timeline, era, lambda kind: _beyond(kind, found, after=False), True, size + 1)
            return _window(records[:size][::-1], earlier=len(records) > size, later=True)
    if year is not None and not notices:
        start = datetime.date(year, 1, 1)
        records = _read(on_timeline, era, lambda kind: Q(start_date__gte=start), False, size + 1)
        earlier = bool(_read(on_timeline, era, lambda kind: Q(start_date__lt=start), True, 1))
        return _window(records[:size], earlier=earlier, later=len(records) > size)
    records = _read(on_timeline, era, lambda kind: Q(), False, size + 1)
    return _window(records[:size], earlier=False, later=len(records) > size, notices=notices)


def _window(records, earlier, later, notices=()):
    return Window(
        records,
        earlier=cursor(records[0]) if earlier and records else "",
        later=cursor(records[-1]) if later and records else "",
        notices=list(notices),
    )


def year_span(on_timeline=kinds.ON_TIMELINE, era=None):
    """The first and last year a record of the kinds and era starts in, (None, None)
    when there is none: two index reads a kind, kept until the content changes."""
    name = f"timeline:years:{','.join(kind.name for kind in on_timeline)}:{era.slug if era else ''}"
    return kept(name, lambda: _year_span(on_timeline, era))


def _year_span(on_timeline, era):
    firsts, lasts = [], []
    for kind in on_timeline:
        queryset = kind.model.objects.published().filter(era.condition() if era else Q())
        first = queryset.order_by("start_date").values_list("start_date", flat=True).first()
        if first is not None:
            firsts.append(first)
            lasts.append(queryset.order_by("-start_date").values_list("start_date", flat=True).first())
    return (min(firsts).year, max(lasts).year) if firsts else (None, None)
