"""The page cache and conditional GET (history.page_cache), against local memory and
a real Redis server: readers see a change at once, drafts never come out of the
cache, editors never get a cached page, and revalidation answers 304.

The database is really committed in these tests (transactional_db): the content
version moves on commit, as it does on the site."""

import json
import re
import shutil
import socket
import subprocess
import time
from email.utils import formatdate

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from history.models import AidProgram, Event

from .factories import AidProgramFactory, EventFactory, cited

pytestmark = [pytest.mark.usefixtures("english")]

REDIS = shutil.which("redis-server")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throwaway Redis server of the test run's own."""
    if REDIS is None:
        pytest.skip("redis-server is not installed (.ci/run installs it, and fails on a skipped test)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings, tmp_path):
    """The site's cache on each backend, empty, and the content version's file (for
    local memory) in a folder of the test's own."""
    settings.RUNTIME_DIR = tmp_path
    settings.PAGE_CACHE_SECONDS = settings.SUMS_CACHE_SECONDS = 3600
    if request.param == "redis":
        location = request.getfixturevalue("redis_url")
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": location,
                "KEY_PREFIX": f"test-{time.time_ns()}",
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def event(transactional_db, page_cache):
    return cited(EventFactory(slug="legation", title_en="Japan opens a legation"))


def behind_djangos_back(event, title):
    """Change a title without any signal: only a cached page still shows the old one."""
    Event.objects.filter(pk=event.pk).update(title_en=title)


def test_a_second_reader_gets_the_page_from_the_cache_and_an_edit_shows_at_once(client, event):
    address = event.get_absolute_url()
    assert "Japan opens a legation" in client.get(address).content.decode()
    behind_djangos_back(event, "Unseen title")
    assert "Japan opens a legation" in client.get(address).content.decode()  # from the cache

    event.refresh_from_db()
    event.title_en = "Japan opens a legation in Kabul"
    event.save()
    assert "Japan opens a legation in Kabul" in client.get(address).content.decode()
    # every page that shows it, not only its own
    assert "Japan opens a legation in Kabul" in client.get(reverse("history:event-list")).content.decode()


def test_pages_are_kept_per_language_and_query_string(client, event):
    event.title_ja = "日本が公使館を開設"
    event.save()
    address, listing = event.get_absolute_url(), reverse("history:event-list")
    assert "日本が公使館を開設" in client.get(address.replace("/en/", "/ja/")).content.decode()
    assert "Japan opens a legation" in client.get(address).content.decode()
    assert "Japan opens a legation" in client.get(listing).content.decode()
    assert "Japan opens a legation" not in client.get(listing, {"type": "treaty"}).content.decode()


def test_a_draft_never_comes_out_of_the_cache(client, admin_client, event):
    address = event.get_absolute_url()
    assert client.get(address).status_code == 200
    event.status = Event.Status.DRAFT
    event.save()
    assert client.get(address).status_code == 404
    # the staff preview of the draft is neither kept nor given to readers
    preview = admin_client.get(address)
    assert preview.status_code == 200 and "private" in preview["Cache-Control"]
    assert client.get(address).status_code == 404


def test_a_logged_in_editor_never_gets_a_cached_page(client, admin_client, event):
    address = event.get_absolute_url()
    client.get(address)
    behind_djangos_back(event, "What the database says now")
    response = admin_client.get(address)
    assert "What the database says now" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "ETag" not in response


def test_an_import_shows_at_once(client, event, tmp_path):
    address = reverse("history:event-list")
    client.get(address)
    fields = {
        "slug": "legation",
        "title_en": "Imported title",
        "summary_en": "Imported.",
        "start_date": "1934-11-01",
        "event_type": "legation-opened",
        "status": "published",
    }
    fixture = [{"model": "history.event", "fields": fields}]
    (tmp_path / "event.json").write_text(json.dumps(fixture), encoding="utf-8")
    call_command("import_fixtures", str(tmp_path / "event.json"), verbosity=0)
    assert "Imported title" in client.get(address).content.decode()


def test_a_change_to_related_records_shows_at_once(client, event):
    """A many-to-many change sends its own signal: the page changes with it."""
    from .factories import AidProgramFactory

    programme = cited(AidProgramFactory(title_en="Literacy programme"))
    address = event.get_absolute_url()
    assert "Literacy programme" not in client.get(address).content.decode()
    event.aidprograms.add(programme)
    assert "Literacy programme" in client.get(address).content.decode()


def test_revalidation_answers_304_until_the_content_changes(client, event):
    address = event.get_absolute_url()
    response = client.get(address)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    again = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(address, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    event.title_en = "Changed"
    event.save()
    changed = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # Last-Modified counts whole seconds: a copy from before the change's second is old
    assert client.get(address, HTTP_IF_MODIFIED_SINCE=formatdate(time.time() - 3600, usegmt=True)).status_code == 200


def test_downloads_and_the_sitemap_have_validators(client, event):
    for address, params in ((reverse("history:event-list"), {"format": "csv"}), ("/sitemap.xml", {})):
        response = client.get(address, params)
        assert response.status_code == 200 and response["ETag"]
        assert client.get(address, params, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_page_that_is_not_there_is_not_kept(client, event):
    address = reverse("history:event-detail", kwargs={"slug": "not-yet"})
    assert client.get(address).status_code == 404
    cited(EventFactory(slug="not-yet"))
    assert client.get(address).status_code == 200


def test_a_lists_count_follows_the_content(client, event):
    """Counts are kept with the pages (history.content_version.cached_count)."""
    listing = reverse("history:event-list")
    assert "1 record" in client.get(listing, {"page": "1"}).content.decode()
    cited(EventFactory(slug="another"))
    assert "2 records" in client.get(listing, {"page": "1"}).content.decode()
    assert "2 records" in client.get(listing, {"type": "other"}).content.decode()


def test_the_kept_drawing_is_the_one_of_the_pages_language_and_period(admin_client, event):
    """The drawing is kept whole (history.overview.drawn_overview), once a language
    and period: a page in another language or period never gets another's."""
    cited(
        EventFactory(
            slug="treaty-1930", start_date="1930-11-19", milestone=True, title_ja="日本・アフガニスタン友好条約"
        )
    )

    def drawing(language, **params):
        with translation.override(language):
            html = admin_client.get(reverse("history:timeline"), params).content.decode()
        return html[html.index('<figure class="overview"') : html.index("</figure>")]

    english, japanese = drawing("en"), drawing("ja")
    assert "/en/events/treaty-1930/" in english and "日本・アフガニスタン友好条約" not in english
    assert "/ja/events/treaty-1930/" in japanese and "日本・アフガニスタン友好条約" in japanese
    assert drawing("en") == english  # kept, and still the English one
    current = 'class="era shade-0 current"'
    assert current not in english
    assert current in drawing("en", era="early-relations")
    assert current not in drawing("en")


def test_the_timeline_drawing_follows_the_content_for_editors_too(admin_client, event):
    """The drawing's sums over every record (counts a year, the marks spread over
    them) are kept until the content changes (history.content_version.kept), also
    for an editor, whose pages are never kept whole."""
    timeline = reverse("history:timeline")
    html = admin_client.get(timeline).content.decode()
    drawing = html[html.index('<figure class="overview"') : html.index("</figure>")]
    assert event.get_absolute_url() not in drawing  # not a milestone
    milestone = cited(EventFactory(slug="treaty-1930", start_date="1930-11-19", milestone=True))
    html = admin_client.get(timeline).content.decode()
    drawing = html[html.index('<figure class="overview"') : html.index("</figure>")]
    assert milestone.get_absolute_url() in drawing
    assert "?from=1930#decade-1930" in drawing  # its year's bar, which was not there


def test_the_kept_glance_is_the_one_of_the_page_s_language_and_filters_and_follows_edits(admin_client, event):
    """The aid list's glance is kept whole (history.charts.drawn_glance) for each
    selection of programmes and language, also for an editor, until the content
    changes: another language or filter never gets another's, and an edit shows."""
    literacy = cited(AidProgramFactory(slug="literacy", sector=AidProgram.Sector.LITERACY, amount=1_000_000))
    cited(AidProgramFactory(slug="demining", sector=AidProgram.Sector.DEMINING, amount=3_000_000))

    def glance(language="en", **params):
        with translation.override(language):
            html = admin_client.get(reverse("history:aidprogram-list"), params).content.decode()
        return html[html.index('id="glance-heading"') : html.index('class="list-head"')]

    english = glance()
    assert "The largest sector is removal of land mines, with US$3,000,000" in english
    assert glance() == english  # kept
    assert "/ja/aid/?sector=15250" in glance("ja") and "/en/" not in glance("ja")
    literacy_only = glance(sector=AidProgram.Sector.LITERACY)
    assert "For the programmes matching these filters." in literacy_only
    assert "US$1,000,000" in literacy_only and "US$3,000,000" not in literacy_only

    literacy.amount = 5_000_000
    literacy.save()
    assert "The largest sector is basic life skills for adults (literacy), with US$5,000,000" in glance()


def test_the_sitemap_index_s_latest_change_follows_the_content(admin_client, event):
    """Each kind's latest change, kept until the content changes (history.sitemaps)."""

    def latest_event_change():
        xml = admin_client.get("/sitemap.xml").content.decode()
        return re.search(r"sitemap-event\.xml</loc><lastmod>([^<]+)</lastmod>", xml).group(1)

    before = latest_event_change()
    assert latest_event_change() == before
    event.refresh_from_db()
    event.title_en = "Japan opens a legation in Kabul"
    event.save()
    assert latest_event_change() == event.updated_at.isoformat() != before


@pytest.mark.parametrize("as_text", [True, False])
def test_a_deployment_s_static_files_change_the_validators(client, event, settings, tmp_path, monkeypatch, as_text):
    """The ETag names the static files' manifest (their hashed names are in every
    page), read once per process, from a STATIC_ROOT given as a text or a path."""
    from history import page_cache

    static_root = tmp_path / "static"
    static_root.mkdir()
    settings.STATIC_ROOT = str(static_root) if as_text else static_root
    address = event.get_absolute_url()
    etags = []
    for manifest in ('{"paths": {"css/site.css": "css/site.1.css"}}', '{"paths": {"css/site.css": "css/site.2.css"}}'):
        (static_root / "staticfiles.json").write_text(manifest)
        monkeypatch.delattr(page_cache._release, "value", raising=False)  # a new process
        response = client.get(address)
        assert response.status_code == 200
        etags.append(response["ETag"])
    assert etags[0] != etags[1]
