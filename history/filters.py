"""FilterSets for the public lists. Every list starts from `published()`; the
year filters use overlap, so a programme running 2008–2010 is found by 2009.

Stored dates are the first day of their known period, so comparing the start with
31 December of the last year and the end (or the start) with 1 January of the
first year is exact at year granularity whatever the precision."""

import datetime

import django_filters
from django import forms
from django.db.models.functions import Coalesce
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _

from .models import AidProgram, Conference, Event, Organization, Source

MIN_YEAR, MAX_YEAR = 1800, 2200


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)


def ends_on_or_after(queryset, year):
    """Records whose end (or start, when they have no end) is in `year` or later."""
    return queryset.alias(_last_date=Coalesce("end_date", "start_date")).filter(
        _last_date__gte=datetime.date(year, 1, 1)
    )


def starts_on_or_before(queryset, year):
    return queryset.filter(start_date__lte=datetime.date(year, 12, 31))


class MilestoneSelect(forms.NullBooleanSelect):
    """Django's yes/no select in the site's own words: Django has no Pashto
    catalogue, and "Unknown" reads as a value rather than "no filter". The values
    stay Django's, so addresses with ?milestone=true keep working."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("All events")), ("true", _("Milestones only")), ("false", _("Other events"))]


class FilterForm(forms.Form):
    """A public page's filters. Their widgets are drawn by Jinja2 from Django's own
    widget templates for it: with the template language, a select drew each of its
    options as an included template, and the filters were a quarter of a list
    page's time."""

    default_renderer = Jinja2()


class YearRangeForm(FilterForm):
    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            message = _("The first year must not be after the last year.")
            self.add_error("year_from", message)
            self.add_error("year_to", message)
        return cleaned


class YearRangeFilterSet(django_filters.FilterSet):
    year_from = YearFilter(label=_("From year"), method="filter_year_from")
    year_to = YearFilter(label=_("To year"), method="filter_year_to")

    def filter_year_from(self, queryset, name, value):
        return ends_on_or_after(queryset, value)

    def filter_year_to(self, queryset, name, value):
        return starts_on_or_before(queryset, value)


class EventFilter(YearRangeFilterSet):
    type = django_filters.ChoiceFilter(
        field_name="event_type", label=_("Type"), choices=Event.Type.choices, empty_label=_("All types")
    )
    milestone = django_filters.BooleanFilter(label=_("Milestone"), widget=MilestoneSelect)

    class Meta:
        model = Event
        form = YearRangeForm
        fields = ("type", "year_from", "year_to", "milestone")


class ConferenceFilter(django_filters.FilterSet):
    year = YearFilter(label=_("Year"), method="filter_year")

    class Meta:
        model = Conference
        form = FilterForm
        fields = ("year",)

    def filter_year(self, queryset, name, value):
        return starts_on_or_before(ends_on_or_after(queryset, value), value)


class AidProgramFilter(YearRangeFilterSet):
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=AidProgram.Sector.choices, empty_label=_("All sectors")
    )
    status = django_filters.ChoiceFilter(
        field_name="activity_status",
        label=_("Status"),
        choices=AidProgram.ActivityStatus.choices,
        empty_label=_("Any status"),
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="organizations",
        label=_("Organisation"),
        to_field_name="slug",
        queryset=Organization.objects.filter(aidprograms__in=AidProgram.objects.published()).distinct(),
        empty_label=_("Any organisation"),
        distinct=True,
    )

    class Meta:
        model = AidProgram
        form = YearRangeForm
        fields = ("sector", "status", "organisation", "year_from", "year_to")


class SourceFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(
        field_name="source_type", label=_("Type"), choices=Source.Type.choices, empty_label=_("All types")
    )
    reliability = django_filters.ChoiceFilter(
        label=_("Reliability"), choices=Source.Reliability.choices, empty_label=_("Any reliability")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Source.Language.choices, empty_label=_("Any language")
    )

    class Meta:
        model = Source
        form = FilterForm
        fields = ("type", "reliability", "language")
