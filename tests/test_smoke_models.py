import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from history.models import Citation, Event

from .factories import EventFactory, SourceFactory, cited

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts():
    shown = EventFactory()
    EventFactory(status=Event.Status.DRAFT)
    assert list(Event.objects.published()) == [shown]


def test_end_before_start_is_refused_by_the_database():
    event = EventFactory()
    event.end_date = event.start_date.replace(year=event.start_date.year - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_citation_needs_exactly_one_subject():
    source = SourceFactory()
    with pytest.raises(ValidationError):
        Citation(source=source).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source)


def test_citation_natural_key_round_trips():
    event = cited(EventFactory(), locator="p. 2")
    citation = event.citations.get()
    assert Citation.objects.get_by_natural_key(*citation.natural_key()) == citation
