"""A record remembers when readers could first see it (Atom's <published>), however
it was saved, and keeps that date when it is unpublished and published again."""

import pytest

from history.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_draft_has_no_first_publication_date():
    assert EventFactory(status=Event.Status.DRAFT).first_published_at is None


def test_publishing_sets_it_once():
    event = EventFactory(status=Event.Status.DRAFT)
    event.status = Event.Status.PUBLISHED
    event.save()
    first = Event.objects.get(pk=event.pk).first_published_at
    assert first is not None

    event.status = Event.Status.DRAFT
    event.save()
    event.status = Event.Status.PUBLISHED
    event.save()
    assert Event.objects.get(pk=event.pk).first_published_at == first


def test_a_record_created_published_has_it():
    assert EventFactory(status=Event.Status.PUBLISHED).first_published_at is not None
