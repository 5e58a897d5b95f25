"""The shortcuts public pages take for what Django works out per call: a record's
address from its kind's kept pattern (history.addresses) and a choice's label
from a kept table (history.choices) must say exactly what reverse() and
get_FOO_display() say, in every language and under a script prefix."""

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from history import kinds
from history.choices import choice_label
from history.models import AidProgram, Event

from .factories import AidProgramFactory, ConferenceFactory, EventFactory, SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def records():
    return [
        EventFactory(slug="treaty-of-friendship-1930"),
        ConferenceFactory(slug="tokyo_2002"),
        AidProgramFactory(slug="kabul-airport-terminal"),
        SourceFactory(slug="mofa-2019-relations"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_records_address_is_what_reverse_gives(records, language):
    with translation.override(language):
        for record in records:
            expected = reverse(kinds.of(record).url_name("detail"), kwargs={"slug": record.slug})
            assert record.get_absolute_url() == expected
            assert expected.startswith(f"/{language}/") and expected.endswith(f"/{record.slug}/")


def test_a_records_address_keeps_the_script_prefix(records):
    set_script_prefix("/history-site/")
    try:
        for record in records:
            assert record.get_absolute_url() == reverse(
                kinds.of(record).url_name("detail"), kwargs={"slug": record.slug}
            )
            assert record.get_absolute_url().startswith("/history-site/en/")
    finally:
        set_script_prefix("/")
    assert records[0].get_absolute_url() == "/en/events/treaty-of-friendship-1930/"


def test_an_address_that_is_no_slug_is_refused_as_reverse_refuses_it():
    event = Event(slug="not a slug")
    with pytest.raises(NoReverseMatch):
        event.get_absolute_url()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_choices_label_is_what_get_display_gives(language):
    with translation.override(language):
        for value in Event.Type.values:
            event = Event(event_type=value)
            assert choice_label(event, "event_type") == event.get_event_type_display()
        for value in AidProgram._meta.get_field("sector").choices[:40]:
            programme = AidProgram(sector=value[0])
            assert choice_label(programme, "sector") == programme.get_sector_display()


def test_a_label_follows_the_language_and_an_unknown_value_reads_as_itself():
    event = Event(event_type=Event.Type.values[0])
    labels = set()
    for language in LANGUAGES:
        with translation.override(language):
            labels.add(choice_label(event, "event_type"))
    assert len(labels) == len(LANGUAGES)  # one table a language, not the first one read
    assert choice_label(Event(event_type="no-such-type"), "event_type") == "no-such-type"
