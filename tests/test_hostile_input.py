"""Any input, no 500: random and hostile values (NUL bytes, huge numbers, deep or
huge structures, long strings, mixed scripts, broken percent-escapes) sent to every
parameter of every public page and every admin list, on SQLite and on PostgreSQL
(the suite runs on both). The parameter names are read off the pages themselves,
so a filter added later is covered too. 404 and 500 pages are in the reader's
language."""

import html.parser
import urllib.parse

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import path, reverse
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from history.models import AidProgram, Conference, Event, Source
from tests.hostile import hostile_value, property_test

KINDS = ("event", "conference", "aidprogram", "source")
# Parameters every list understands besides its filter form's fields.
LIST_PARAMETERS = ("page", "format", "q", "o")
ADMIN_PARAMETERS = ("q", "o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters")
ADMIN_VIEWS = ("change", "delete")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, seed_loader):
    with django_db_blocker.unblock(), transaction.atomic():
        seed_loader()
        yield
        transaction.set_rollback(True)


class FieldNames(html.parser.HTMLParser):
    """The names of a page's form fields, and the parameter names in its ?links."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            self.names.add(attrs["name"])
        if tag == "a" and (attrs.get("href") or "").startswith("?"):
            self.names.update(urllib.parse.parse_qs(attrs["href"][1:], keep_blank_values=True))


def names_on(client, url):
    parser = FieldNames()
    parser.feed(client.get(url).content.decode())
    return sorted(parser.names - {"csrfmiddlewaretoken"})


def assert_answered(response, url):
    """A client error or a page, never a server error (the test client raises the
    view's exception itself, so a 500 fails before this)."""
    assert response.status_code < 500, url


def list_url(kind, language="en"):
    with translation.override(language):
        return reverse(f"history:{kind}-list")


@pytest.fixture(scope="module")
def list_parameters(seeded, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        client = Client()
        return {kind: sorted({*names_on(client, list_url(kind)), *LIST_PARAMETERS}) for kind in KINDS}


@property_test
@given(data=st.data(), language=st.sampled_from(("en", "ja", "fa-af", "ps")))
def test_every_list_parameter_takes_any_value(client, db, seeded, list_parameters, data, language):
    kind = data.draw(st.sampled_from(KINDS))
    names = st.sampled_from(list_parameters[kind])
    params = data.draw(st.dictionaries(names, hostile_value, min_size=1, max_size=4))
    assert_answered(client.get(list_url(kind, language), params), (kind, params))


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("history:event-list", {"page": "9" * 5000}),
        ("history:event-list", {"format": "csv", "offset": "9" * 5000}),
        ("history:event-list", {"format": "csv", "limit": "0" * 4999 + "1"}),
        ("history:timeline", {"from": "1" * 5000}),
        ("history:feed", {"page": "7" * 5000}),
    ],
)
def test_a_number_too_long_for_python_to_read_is_answered(client, db, seeded, name, params):
    """int() refuses more than 4,300 digits with a ValueError (found on ?page= by the
    property test above): every numeric parameter is read without it."""
    response = client.get(reverse(name), params)
    assert response.status_code in (200, 400, 404), (name, params)


@property_test
@given(query=hostile_value)
@example(query="Kabul\x00کابل")
def test_search_takes_any_query(client, db, seeded, query):
    """A page of results, or for a NUL (which no form sends) a 400."""
    response = client.get(reverse("history:search"), {"q": query})
    assert response.status_code == (400 if "\x00" in query else 200)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_nul_anywhere_in_the_query_string_is_a_400_in_the_readers_language(client, db, language):
    """On PostgreSQL a NUL passed to a filter failed with a 500; on SQLite it cut the
    search short and every record matched."""
    with translation.override(language):
        urls = [reverse("history:search"), reverse("history:event-list"), reverse("history:source-list")]
    for url in urls:
        for params in ({"q": "\x00"}, {"type": "Kabul\x00"}, {"page\x00": "1"}):
            response = client.get(url, params)
            assert response.status_code == 400, (url, params)
            assert f'lang="{language}"' in response.content.decode()
    assert "不正なリクエスト" in client.get("/ja/events/", {"q": "\x00"}).content.decode()


@property_test
@given(raw=st.binary(max_size=300))
def test_raw_query_strings_with_broken_escapes(client, db, seeded, raw):
    query = urllib.parse.quote_from_bytes(raw, safe="=&%+")
    for url in (list_url("event"), list_url("aidprogram"), reverse("history:search"), reverse("history:timeline")):
        assert_answered(client.get(f"{url}?{query}"), url)


@property_test
@given(segment=hostile_value)
def test_any_record_address_is_a_page_or_a_404(client, db, seeded, segment):
    quoted = urllib.parse.quote(segment.replace("\x00", "%00"), safe="")[:2000]
    for kind in ("events", "conferences", "aid", "sources"):
        assert_answered(client.get(f"/en/{kind}/{quoted}/"), kind)


def admin_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label == "history"),
        key=lambda model: model._meta.model_name,
    )


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture(scope="module")
def admin_parameters(seeded, django_db_blocker):
    from django.contrib.auth import get_user_model
    from django.test import Client

    with django_db_blocker.unblock():
        client = Client()
        probe, _ = get_user_model().objects.get_or_create(username="probe", is_staff=True, is_superuser=True)
        client.force_login(probe)
        return {model: sorted({*names_on(client, changelist(model)), *ADMIN_PARAMETERS}) for model in admin_models()}


YEAR_FILTERS = [
    *((model, name) for model in (AidProgram, Conference, Event) for name in ("year", "start_date__year")),
    (Source, "published_date__year"),
]


@property_test
@given(data=st.data())
def test_every_admin_list_parameter_takes_any_value(admin_client, seeded, admin_parameters, data):
    model = data.draw(st.sampled_from(admin_models()))
    names = st.sampled_from([name for name in admin_parameters[model]])
    params = data.draw(st.dictionaries(names, hostile_value, min_size=1, max_size=3))
    assert_answered(admin_client.get(changelist(model), params), (model, params))


@pytest.mark.parametrize("model", admin_models(), ids=lambda model: model._meta.model_name)
def test_admin_search_takes_a_nul(admin_client, seeded, model):
    """PostgreSQL text cannot hold a NUL: a search for one must not reach it."""
    assert_answered(admin_client.get(changelist(model), {"q": "Kabul\x00"}), model)


@pytest.mark.parametrize(("model", "name"), YEAR_FILTERS, ids=lambda value: getattr(value, "__name__", value))
@pytest.mark.parametrize("year", ["9" * 20, "0", "0000", "0s", "9990s", "10000"])
def test_admin_year_filters_take_a_year_no_date_holds(admin_client, seeded, admin_parameters, model, name, year):
    """A date holds the years 1 to 9999: a twenty-digit year, year 0 (the property
    test found it) and the decades at either end are answered, never a 500."""
    assert name in admin_parameters[model]
    assert_answered(admin_client.get(changelist(model), {name: year}), (model, name, year))


def test_the_revision_history_of_a_record_address_that_is_not_a_number(admin_client, seeded):
    assert_answered(admin_client.get(f"{changelist(admin_models()[0])}not-a-number/history/"), "history")


@property_test
@given(segment=hostile_value)
def test_any_admin_record_address_is_a_page_or_a_404(admin_client, seeded, segment):
    quoted = urllib.parse.quote(segment.replace("\x00", "%00"), safe="")[:2000]
    for model in admin_models():
        for view in ADMIN_VIEWS:
            url = f"{changelist(model)}{quoted}/{view}/"
            assert_answered(admin_client.get(url), url)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("en", "Page not found"), ("ja", "ページが見つかりません")])
def test_the_404_page_is_in_the_readers_language(client, language, text):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'lang="{language}"' in page and text in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_is_in_the_readers_language(client):
    client.raise_request_exception = False
    response = client.get("/ps/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert 'lang="ps"' in page and 'dir="rtl"' in page
    assert "Something went wrong" not in page


def failing_view(request):
    raise RuntimeError("a bug")


# This module is the URLconf of the 500 test: one page under the language prefixes that fails.
urlpatterns = i18n_patterns(path("broken/", failing_view))


# The admin's import page: structures a JSON parser chokes on are a problem in the
# report, not a 500.
IMPORT_BODIES = {
    "nested 5,000 deep": b"[" * 5000 + b"]" * 5000,
    "an integer of 5,000 digits": b'[{"model": "history.event", "fields": {"start_date": ' + b"9" * 5000 + b"}}]",
    "objects nested 5,000 deep": b'[{"model": "history.event", "fields": '
    + b'{"a": ' * 5000
    + b"1"
    + b"}" * 5001
    + b"]",
}


@pytest.mark.parametrize("body", IMPORT_BODIES.values(), ids=IMPORT_BODIES.keys())
def test_the_import_page_reports_json_a_parser_chokes_on(admin_client, db, body):
    response = admin_client.post(reverse("admin:history-import"), {"file": SimpleUploadedFile("deep.json", body)})
    assert response.status_code == 200
    assert "token" not in response.context
    assert response.context["report"].problems
