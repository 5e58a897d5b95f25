"""The admin as a superuser sees it: every page opens, nothing is loaded from
another host, Dari and Pashto inputs are right to left, search and filters work,
changelists cost the same number of queries for 5 rows as for 60, and the index
links the tool pages. (admin_client is pytest-django's, logged in as a superuser.)"""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from modeltranslation.utils import build_localized_fieldname

from history.admin_site import HistoryAdminSite, ToolPage
from history.models import (
    AidProgram,
    Citation,
    Claim,
    Conference,
    Disagreement,
    Event,
    Organization,
    Participation,
    Province,
    Source,
)
from history.models.base import review_field_name, translations
from tests.factories import (
    AidProgramFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    ParticipationFactory,
    ProvinceFactory,
    cited,
)

MODELS = (AidProgram, Citation, Claim, Conference, Disagreement, Event, Organization, Participation, Province, Source)


@pytest.fixture
def content(db):
    event = cited(EventFactory(title_ja="日本とアフガニスタンの国交樹立", title_fa_af="برقراری روابط"))
    conference = cited(ConferenceFactory())
    programme = cited(AidProgramFactory())
    ParticipationFactory(aidprogram=programme)
    ClaimFactory(disagreement=DisagreementFactory(event=event))
    ProvinceFactory()
    return {"event": event, "conference": conference, "programme": programme}


def admin_url(model, view, *args):
    return reverse(f"admin:history_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_every_changelist_add_and_change_page_opens(admin_client, content, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    record = model._default_manager.first()
    assert admin_client.get(admin_url(model, "change", record.pk)).status_code == 200
    if hasattr(model, "history"):
        assert admin_client.get(admin_url(model, "history", record.pk)).status_code == 200


def test_change_form_loads_nothing_from_other_hosts(admin_client, content):
    html = admin_client.get(admin_url(Event, "change", content["event"].pk)).content.decode()
    loaded = re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert any("history/vendor/jquery-ui/jquery-ui.min.js" in url for url in loaded)
    assert any("modeltranslation/js/tabbed_translation_fields.js" in url for url in loaded)
    external = [url for url in loaded if re.match(r"(https?:)?//", url)]
    assert external == []


def test_dari_and_pashto_inputs_are_right_to_left(admin_client, content, parsed):
    page = parsed(admin_client.get(admin_url(Event, "change", content["event"].pk)).content)
    directions = {}
    for code, _name in settings.LANGUAGES:
        for field in ("title", "summary"):
            name = build_localized_fieldname(field, code)
            (tag,) = page.find_all("input", name=name) + page.find_all("textarea", name=name)
            directions[name] = parsed.attribute(tag, "dir")
    assert directions == {
        "title_en": None,
        "summary_en": None,
        "title_ja": None,
        "summary_ja": None,
        "title_fa_af": "rtl",
        "summary_fa_af": "rtl",
        "title_ps": "rtl",
        "summary_ps": "rtl",
    }
    stylesheets = [parsed.attribute(link, "href") for link in page.find_all("link", rel="stylesheet")]
    assert any(href.endswith("history/admin/editor.css") for href in stylesheets)


def test_claim_inline_inputs_are_right_to_left_too(admin_client, content):
    disagreement = Disagreement.objects.get()
    html = admin_client.get(admin_url(Disagreement, "change", disagreement.pk)).content.decode()
    tag = re.search(r'<input[^>]*name="claims-0-value_ps"[^>]*>', html).group(0)
    assert 'dir="rtl"' in tag


def test_rarely_used_fields_are_collapsed(admin_client, content, parsed):
    page = parsed(admin_client.get(admin_url(AidProgram, "change", content["programme"].pk)).content)
    (collapsed,) = page.find_all("fieldset", class_="collapse")
    inside = {parsed.attribute(e, "name") for e in page.find_all("*", collapsed) if e.name in ("input", "select")}
    rarely_used = {"iati_identifier", *(review_field_name(code) for code in translations())}
    assert inside == rarely_used
    # Each is on the page once: in the collapsed fieldset, nowhere else.
    assert all(len(page.find_all("*", name=name)) == 1 for name in rarely_used)


# Japanese, Dari, Dari typed with the Arabic yeh, English in capitals.
@pytest.mark.parametrize("term", ["国交樹立", "برقراری", "برقراري", "EVENT NUMBER"])
def test_search_finds_titles_in_any_language(admin_client, content, term):
    EventFactory(title_en="Unrelated happening", slug="unrelated")
    response = admin_client.get(admin_url(Event, "changelist"), {"q": term})
    assert list(response.context["cl"].result_list) == [content["event"]]


def test_missing_translation_filter(admin_client, content):
    translated = content["event"]
    translated.title_ps = "د اړیکو پیل"
    translated.title_ja = "国交"
    translated.summary_ja = "要約"
    translated.summary_fa_af = "خلاصه"
    translated.summary_ps = "لنډیز"
    translated.save()
    untranslated = EventFactory()
    result = admin_client.get(admin_url(Event, "changelist"), {"missing_translation": "any"}).context["cl"]
    assert list(result.result_list) == [untranslated]
    result = admin_client.get(admin_url(Event, "changelist"), {"missing_translation": "ps"}).context["cl"]
    assert list(result.result_list) == [untranslated]


def test_missing_citation_filter_and_citation_column(admin_client, content):
    uncited = EventFactory(status=Event.Status.DRAFT)
    response = admin_client.get(admin_url(Event, "changelist"), {"cited": "no"})
    assert list(response.context["cl"].result_list) == [uncited]
    listed = admin_client.get(admin_url(Event, "changelist")).context["cl"].result_list
    assert {event.pk: event.citation_total for event in listed} == {content["event"].pk: 1, uncited.pk: 0}


def test_status_type_and_year_filters(admin_client, content):
    EventFactory(status=Event.Status.DRAFT, event_type=Event.Type.VISIT, start_date="1969-05-01")
    url = admin_url(Event, "changelist")
    assert admin_client.get(url, {"status__exact": "draft"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"event_type__exact": "visit"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"year": "1969"}).context["cl"].result_count == 1
    EventFactory(start_date="1960-01-01")
    decade = admin_client.get(url, {"year": "1960s"})
    assert decade.context["cl"].result_count == 2
    assert "1960s" in decade.content.decode()
    assert admin_client.get(url, {"year": "1950s"}).context["cl"].result_count == 0
    sectors = admin_client.get(admin_url(AidProgram, "changelist"), {"sector__exact": "11230"})
    assert sectors.context["cl"].result_count == 1


def test_view_on_site_points_at_the_public_page(admin_client, content, parsed, english):
    event = content["event"]
    page = parsed(admin_client.get(admin_url(Event, "change", event.pk)).content)
    link = page.find("a", class_="viewsitelink")
    response = admin_client.get(parsed.attribute(link, "href"))
    assert response.status_code == 302
    assert response["Location"].endswith(event.get_absolute_url())


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "factory,model",
    [
        # Related records on every row, so a missing select_related would show.
        (lambda: EventFactory(conference=ConferenceFactory()), Event),
        (ConferenceFactory, Conference),
        (lambda: AidProgramFactory(pledge=ConferenceFactory()), AidProgram),
    ],
    ids=["event", "conference", "aidprogram"],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, factory, model):
    for _ in range(5):
        cited(factory())
    few = changelist_queries(admin_client, model)
    for _ in range(55):
        cited(factory())
    many = changelist_queries(admin_client, model)
    assert many == few


def test_citation_changelist_queries_do_not_grow_with_rows(admin_client):
    for _ in range(5):
        cited(EventFactory())
    few = changelist_queries(admin_client, Citation)
    for _ in range(40):
        cited(EventFactory())
    assert changelist_queries(admin_client, Citation) == few


def test_large_tables_are_counted_only_up_to_a_cap(admin_client, monkeypatch):
    from history.admin.base import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "cap", 10)
    for _ in range(12):
        EventFactory()
    response = admin_client.get(admin_url(Event, "changelist"))
    assert response.context["cl"].result_count == 10
    assert "more than 10 events" in response.content.decode()


def test_adding_an_event_with_its_citation_in_one_form(admin_client, db):
    """The citation row is validated before the event exists; it must not be
    refused for lacking its event."""
    from tests.factories import SourceFactory

    source = SourceFactory()
    data = {
        "title_en": "Japan opens a legation in Kabul",
        "slug": "legation-kabul",
        "event_type": "legation-opened",
        "status": "published",
        "start_date": "1935-11-01",
        "start_precision": "month",
        "end_precision": "day",
        "summary_en": "A legation opened.",
        **{review_field_name(code): "missing" for code in translations()},
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 0,
        "citations-0-source": source.pk,
        "citations-0-locator": "p. 2",
        "disagreements-TOTAL_FORMS": 0,
        "disagreements-INITIAL_FORMS": 0,
    }
    response = admin_client.post(admin_url(Event, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="legation-kabul")
    assert event.is_published and event.citations.get().source == source
    assert event.version == 1
    data["slug"] = "legation-kabul-2"
    data["citations-0-source"] = ""
    data["citations-0-locator"] = ""
    response = admin_client.post(admin_url(Event, "add"), data)
    assert "cannot be published without at least one citation" in response.content.decode()


# Tool pages: one line each in history.admin_site.TOOL_PAGES, served by the admin
# site, linked from its index for those allowed.


def tool_links(client, parsed, url=None):
    page = parsed(client.get(url or reverse("admin:index")).content)
    tools = page.find("div", id="tool-pages")
    return {parsed.text(a): parsed.attribute(a, "href") for a in page.find_all("a", tools)}


def test_index_links_the_tool_pages(admin_client, parsed):
    assert tool_links(admin_client, parsed) == {
        "Import fixtures": reverse("admin:history-import"),
        "Content check": reverse("admin:history-content-check"),
    }


def test_tool_pages_are_linked_and_served_only_to_those_allowed(client, parsed, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    page = parsed(client.get(reverse("admin:index")).content)
    assert page.find_all("div", id="tool-pages") == []
    assert client.get(reverse("admin:history-import")).status_code == 403


def test_a_tool_page_is_one_line(client, parsed, admin_user, settings):
    """A site with one more ToolPage serves it, staff only, and links it."""
    settings.ROOT_URLCONF = "tests.test_admin"
    client.force_login(admin_user)
    assert tool_links(client, parsed, "/tools-admin/") == {"Check something": "/tools-admin/check/"}
    assert client.get("/tools-admin/check/").content == b"checked"
    client.logout()
    assert client.get("/tools-admin/check/")["Location"].startswith("/tools-admin/login/")


def check_view(request):
    return HttpResponse(b"checked")


tools_site = HistoryAdminSite(name="tools")
tools_site.tool_pages = (ToolPage("check/", "check", "tests.test_admin.check_view", "Check something"),)
urlpatterns = [path("tools-admin/", tools_site.urls)]


def test_export_actions_are_on_this_projects_models_only(admin_client):
    def actions(url):
        return [name for name, _label in admin_client.get(url).context["action_form"].fields["action"].choices]

    exports = ["export_selected_json", "export_selected_csv"]
    for model in MODELS:
        assert actions(admin_url(model, "changelist"))[-2:] == exports, model
    assert not set(exports) & set(actions(reverse("admin:auth_user_changelist")))


def test_participation_search(admin_client, content):
    programme = content["programme"]
    response = admin_client.get(admin_url(Participation, "changelist"), {"q": programme.slug})
    assert [p.aidprogram for p in response.context["cl"].result_list] == [programme]
