"""The timeline: published records of every kind on it (history.kinds.ON_TIMELINE),
in date order, and the eras it is told in. The timeline page, its drawn overview
(history.overview) and its downloads read the same list and the same eras."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import kinds


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


class TimelineFilterForm(forms.Form):
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


def timeline_records(on_timeline=kinds.ON_TIMELINE, era=None):
    """Events, conferences and aid programmes (by their start), oldest first; on the
    same day by kind, then by slug, so that the order never depends on the database."""
    condition = era.condition() if era else Q()
    records = [record for kind in on_timeline for record in kind.model.objects.published().filter(condition)]
    records.sort(key=lambda record: (record.start_date, record._meta.model_name, record.slug))
    return records
