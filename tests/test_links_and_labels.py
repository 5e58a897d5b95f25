"""The shortcuts public pages take for what Django works out per call: addresses
kept per language (history.addresses: a record's from its kind's pattern, the
menus', a page in another language) and a choice's label from a kept table
(history.choices) must say exactly what reverse(), translate_url() and
get_FOO_display() say, in every language and under a script prefix."""

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse, set_script_prefix, translate_url
from django.utils import translation

from history import kinds
from history.addresses import in_language, page_address
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


MENU = ["history:home", "history:timeline", "history:search", "history:about", "history:event-feed"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_menus_address_is_what_reverse_gives(language):
    with translation.override(language):
        for name in MENU:
            assert page_address(name) == reverse(name)
        set_script_prefix("/history-site/")
        try:
            assert page_address("history:timeline") == reverse("history:timeline")
            assert page_address("history:timeline").startswith(f"/history-site/{language}/")
        finally:
            set_script_prefix("/")


@pytest.mark.parametrize("current", LANGUAGES)
def test_a_page_in_another_language_is_what_translate_url_gives(records, current):
    with translation.override(current):
        paths = [
            records[0].get_absolute_url(),
            reverse("history:search") + "?q=kabul&kind=event",
            reverse("history:timeline") + "?from=1930",
            "/no/such/page/",
            "/static/css/site.css",
            reverse("history:search") + "?q=" + "kabul+" * 50,  # longer than a kept path
        ]
        for path in paths:
            for language in LANGUAGES:
                assert in_language(path, language) == translate_url(path, language)
        assert in_language(records[0].get_absolute_url(), "ps") == "/ps/events/treaty-of-friendship-1930/"


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


CHROME = ("includes/chrome_head.html", "includes/chrome_menu.html", "includes/chrome_footer.html")


@pytest.mark.parametrize("prefix", ["/", "/history/"])
def test_the_parts_of_every_page_drawn_once_a_language_are_what_the_templates_draw(prefix):
    """{% fixed %} keeps the menu, the footer and the head's links for each language
    (and script prefix): each kept part is what its template draws afresh."""
    from django.template.loader import render_to_string

    from history.templatetags.history_tags import fixed

    set_script_prefix(prefix)
    try:
        for _round in range(2):  # the second round reads what the first kept
            for code in LANGUAGES:
                with translation.override(code):
                    for name in CHROME:
                        assert fixed(name) == render_to_string(name)
                    assert f'href="{prefix}{code}/timeline/"' in fixed("includes/chrome_menu.html")
    finally:
        set_script_prefix("/")


def test_each_language_pages_menu_and_footer_are_its_own(client):
    for code in LANGUAGES:
        html = client.get(f"/{code}/").content.decode()
        with translation.override(code):
            assert f'<a href="/{code}/timeline/">{translation.gettext("Timeline")}</a>' in html
            assert translation.gettext("Bibliography") in html
