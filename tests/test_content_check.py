"""The content check (manage.py check_content and its admin page): each rule catches what it
is meant to catch, says which record and field, links to the record's change form, and the
seed content in fixtures/ passes it."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from history import content_check
from history.models import AidProgram, Source
from tests.factories import (
    AidProgramFactory,
    CitationFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    SourceFactory,
)

OTHER_LANGUAGES = ("ja", "fa_af", "ps")


def translated(**fields):
    """English fields plus the same text in every other language, as a complete record has."""
    complete = dict(fields)
    for name, value in fields.items():
        if name.endswith("_en"):
            for code in OTHER_LANGUAGES:
                complete[f"{name[:-3]}_{code}"] = f"{value} ({code})"
    return complete


def good_source(**fields):
    values = {"accessed": datetime.date(2026, 12, 1), "description_en": "", **fields}
    return SourceFactory(**translated(**values))


def good_event(**fields):
    event = EventFactory(**translated(title_en="Japan opens a legation", summary_en="It opened.", **fields))
    CitationFactory(event=event, source=good_source(), locator="para. 2")
    return event


def problems(include_drafts=False):
    return [
        (group.record, problem.field, str(problem.message))
        for group in content_check.run(include_drafts=include_drafts)
        for problem in group.problems
    ]


def fields_of(record, include_drafts=False):
    return [field for found, field, _message in problems(include_drafts) if found == record]


@pytest.mark.django_db
class TestRules:
    def test_a_complete_record_has_no_problem(self):
        good_event()
        assert problems() == []

    def test_published_record_without_citation(self):
        event = EventFactory(**translated(title_en="Uncited", summary_en="No source."))
        assert fields_of(event) == ["citations"]

    def test_citation_without_place_names_the_source(self):
        event = good_event()
        source = good_source(title="Outline of the conference")
        CitationFactory(event=event, source=source, locator="", quotation="")
        [(record, field, message)] = problems()
        assert (record, field) == (event, "citations")
        assert "Outline of the conference" in message

    def test_a_quotation_is_a_place_in_the_source(self):
        event = good_event()
        CitationFactory(event=event, source=good_source(), locator="", quotation="the embassy was closed")
        assert problems() == []

    def test_source_without_address_date_accessed_or_publisher(self):
        undated = good_source(url="", published_date=None, accessed=None, publisher=None)
        assert sorted(fields_of(undated)) == ["published_date", "publisher", "url"]

    def test_undated_web_page_is_dated_by_the_day_it_was_read(self):
        page = good_source(published_date=None)
        assert fields_of(page) == []
        page.accessed = None
        page.save()
        assert sorted(fields_of(page)) == ["accessed", "published_date"]

    def test_printed_work_without_address_needs_its_full_reference(self):
        book = good_source(url="", accessed=None, source_type=Source.Type.BOOK, place="", author="Haron Amin")
        assert fields_of(book) == ["url"]
        book.place = "Tokyo"
        book.save()
        assert fields_of(book) == []
        article = good_source(
            url="",
            accessed=None,
            source_type=Source.Type.JOURNAL,
            place="Kabul",
            container_title="Afghanistan Quarterly",
        )
        assert fields_of(article) == ["url"]
        article.pages = "45–67"
        article.save()
        assert fields_of(article) == []

    @override_settings(ALLOWED_HOSTS=["history.example.org", ".example.net"])
    def test_source_pointing_at_this_site(self):
        own_page = good_source(url="https://history.example.org/en/events/some-event/")
        own_copy = good_source(archive_url="https://www.example.net/copy/")
        relative = good_source(url="/en/sources/")
        elsewhere = good_source(url="https://www.mofa.go.jp/region/middle_e/afghanistan/outline0201.html")
        assert fields_of(own_page) == ["url"]
        assert fields_of(own_copy) == ["archive_url"]
        assert fields_of(relative) == ["url"]
        assert fields_of(elsewhere) == []

    def test_amounts_say_what_they_cover(self):
        conference = ConferenceFactory(
            **translated(title_en="Geneva", city_en="Geneva", summary_en="Pledges."), japan_pledge="720000000.00"
        )
        CitationFactory(conference=conference, source=good_source(), locator="para. 1")
        programme = AidProgramFactory(
            **translated(title_en="ELA", summary_en="Literacy."),
            amount="19500000.00",
            end_date=datetime.date(2018, 1, 1),
        )
        CitationFactory(aidprogram=programme, source=good_source(), locator="para. 1")
        assert fields_of(conference) == ["japan_pledge_period"]
        assert fields_of(programme) == ["amount_note"]
        conference.japan_pledge_period_en = "in all, 2021 to 2024: up to US$180 million a year"
        for code in OTHER_LANGUAGES:
            setattr(conference, f"japan_pledge_period_{code}", "…")
        conference.save()
        assert fields_of(conference) == []

    def test_closed_programme_needs_an_end_date(self):
        programme = AidProgramFactory(
            **translated(title_en="LEAP", summary_en="Police literacy."),
            activity_status=AidProgram.ActivityStatus.CLOSED,
        )
        CitationFactory(aidprogram=programme, source=good_source(), locator="para. 1")
        assert fields_of(programme) == ["end_date"]
        programme.activity_status = AidProgram.ActivityStatus.IMPLEMENTATION
        programme.save()
        assert fields_of(programme) == []

    def test_disagreement_needs_two_claims_and_the_value_followed(self):
        event = good_event()
        disagreement = DisagreementFactory(event=event, **translated(question_en="When?"))
        ClaimFactory(disagreement=disagreement, source=good_source(), **translated(value_en="1971"))
        assert fields_of(disagreement) == ["claims", "claims"]
        ClaimFactory(disagreement=disagreement, source=good_source(), preferred=True, **translated(value_en="1955"))
        assert fields_of(disagreement) == []

    def test_text_left_untranslated_names_the_languages(self):
        event = good_event(body_en="A longer account.")
        event.body_ps = ""
        event.save()
        [(record, field, message)] = problems()
        assert (record, field) == (event, "body")
        assert "ps" in message and "ja" not in message

    def test_draft_translations_count_as_translated(self):
        event = good_event()
        event.review_ja = event.review_fa_af = event.review_ps = "draft"
        event.save()
        assert problems() == []

    def test_drafts_are_checked_only_when_asked(self):
        draft = EventFactory(status="draft", **translated(title_en="Draft", summary_en="Not yet."))
        assert problems() == []
        assert fields_of(draft, include_drafts=True) == ["citations"]


@pytest.mark.django_db
class TestCommand:
    def test_reports_per_record_and_exits_1_for_published_problems(self):
        event = EventFactory(slug="uncited-event", **translated(title_en="Uncited event", summary_en="No source."))
        out = StringIO()
        with pytest.raises(CommandError) as raised:
            call_command("check_content", stdout=out)
        assert raised.value.returncode == 1
        text = out.getvalue()
        assert f"event: Uncited event  /admin/history/event/{event.pk}/change/" in text
        assert "  - citations: No citation" in text

    def test_draft_problems_are_listed_without_failing(self):
        EventFactory(status="draft", **translated(title_en="Draft event", summary_en="Not yet."))
        out = StringIO()
        call_command("check_content", "--include-drafts", stdout=out)
        assert "Draft event [draft]" in out.getvalue()
        assert "No problems in published content." in out.getvalue()

    def test_reports_in_the_default_language_whatever_is_active(self):
        EventFactory(**translated(title_en="Uncited event", summary_en="No source."))
        out = StringIO()
        with translation.override("ja"), pytest.raises(CommandError):
            call_command("check_content", stdout=out)
        assert "event: Uncited event " in out.getvalue()
        assert "No citation" in out.getvalue()


def editor():
    """A staff member who may view the records, as the content check requires."""
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    codenames = ("view_event", "view_conference", "view_aidprogram", "view_source")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="history", codename__in=codenames))
    return user


@pytest.mark.django_db
class TestAdminPage:
    def test_editors_see_each_problem_linked_to_the_change_form(self, client):
        event = EventFactory(**translated(title_en="Uncited event", summary_en="No source."))
        client.force_login(editor())
        response = client.get(reverse("admin:history-content-check"))
        assert response.status_code == 200
        page = response.content.decode()
        assert f'href="{reverse("admin:history_event_change", args=[event.pk])}"' in page
        assert "No citation" in page

    def test_linked_from_the_admin_index(self, client):
        client.force_login(editor())
        assert reverse("admin:history-content-check") in client.get(reverse("admin:index")).content.decode()

    def test_not_for_readers_nor_for_staff_who_may_not_view_the_records(self, client):
        response = client.get(reverse("admin:history-content-check"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
        client.force_login(User.objects.create_user("reader", password="pw"))
        assert client.get(reverse("admin:history-content-check")).status_code == 302
        client.force_login(User.objects.create_user("staff", password="pw", is_staff=True))
        assert client.get(reverse("admin:history-content-check")).status_code == 403

    def test_the_page_speaks_the_editors_language(self, client):
        EventFactory(**translated(title_en="Uncited event", summary_en="No source."))
        client.force_login(editor())
        response = client.get(reverse("admin:history-content-check"), HTTP_ACCEPT_LANGUAGE="ja")
        assert "引用がありません" in response.content.decode()


@pytest.fixture(scope="module")
def seeded(module_seed):
    """The seed, loaded once for this module (conftest: module_seed)."""


@pytest.mark.django_db
def test_the_seed_content_passes_the_check(seeded):
    assert problems() == []
    out = StringIO()
    call_command("check_content", stdout=out)
    assert "No problems in published content." in out.getvalue()
