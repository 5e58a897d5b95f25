"""The reader's journeys, in a real browser with the seed content: home, timeline,
an event and one of its sources; the aid list filtered by sector and downloaded
as CSV; a record read in another language; a search typed in Dari; a BibTeX
citation copied; and the same pages reached by keyboard alone."""

import csv
import io

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT = "japan-kabul-legation-raised-to-embassy-1955"


@pytest.fixture
def reader(chromium, live_server, seeded):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def test_home_to_timeline_to_an_event_to_its_source(reader, live_server):
    reader.goto(live_server.url + "/en/")
    reader.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    assert reader.url.endswith("/en/timeline/")
    assert reader.locator("figure.overview svg a").count() > 10  # the drawing's marks are links
    entry = reader.locator("#decade-1950").locator("xpath=..").locator("a").first
    title = entry.inner_text()
    entry.click()
    assert "/en/events/" in reader.url
    assert reader.get_by_role("heading", level=1).inner_text() == title
    source = reader.locator(".citations a").first
    source_title = source.inner_text()
    source.click()
    assert "/en/sources/" in reader.url
    assert source_title in reader.get_by_role("heading", level=1).inner_text()


def test_filter_aid_by_sector_and_download_the_csv(reader, live_server):
    reader.goto(live_server.url + "/en/aid/")
    reader.get_by_label("Sector").select_option("11230")
    reader.get_by_role("button", name="Filter").click()
    reader.wait_for_url("**sector=11230**")
    metas = reader.locator(".record-item .record-meta").all_inner_texts()
    assert metas and all("literacy" in meta for meta in metas)
    with reader.expect_download() as download:
        reader.locator(".downloads").get_by_role("link", name="CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(metas)
    assert {row["sector"] for row in rows} == {"11230"}


def test_switching_language_on_a_record_stays_on_it(reader, live_server):
    reader.goto(f"{live_server.url}/en/events/{EVENT}/")
    english = reader.get_by_role("heading", level=1).inner_text()
    reader.get_by_role("navigation", name="Language").get_by_role("link", name="پښتو").click()
    reader.wait_for_url(f"**/ps/events/{EVENT}/")
    assert reader.locator("html").get_attribute("dir") == "rtl"
    pashto = reader.get_by_role("heading", level=1).inner_text()
    assert pashto and pashto != english


def test_searching_in_dari_script_marks_the_words_found(reader, live_server):
    reader.goto(live_server.url + "/fa-af/")
    box = reader.locator("#site-search")
    box.fill("کابل")
    box.press("Enter")
    reader.wait_for_url("**/fa-af/search/**")
    assert reader.locator(".search-results li").count() > 0
    marked = set(reader.locator(".search-results mark").all_inner_texts())
    assert "کابل" in marked
    assert reader.locator(".result-kinds a").count() >= 1  # counts per kind


def test_copying_a_bibtex_citation(reader, live_server):
    reader.goto(f"{live_server.url}/en/events/{EVENT}/")
    reader.get_by_role("button", name="Copy BibTeX").click()
    # The clipboard answers asynchronously: wait for the button's report.
    expect(reader.locator(".copy-status")).to_have_text("Copied: BibTeX")
    copied = reader.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(f"@misc{{event-{EVENT},")
    assert f"/en/events/{EVENT}/" in copied
    assert copied.strip() == reader.locator("#cite-bibtex").inner_text().strip()


def focused(page):
    return page.evaluate(
        """() => {
          const element = document.activeElement;
          const style = getComputedStyle(element);
          return {text: element.textContent.trim(), tag: element.tagName, id: element.id,
                  outline: style.outlineStyle, href: element.getAttribute('href')};
        }"""
    )


def tab_to(page, predicate, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            return now
    raise AssertionError("not reached by keyboard")


def test_everything_is_reached_by_keyboard_alone(reader, live_server):
    reader.goto(live_server.url + "/en/")
    reader.keyboard.press("Tab")
    first = focused(reader)
    assert first["text"] == "Skip to content" and first["outline"] != "none"
    reader.keyboard.press("Enter")
    assert focused(reader)["id"] == "content"

    reader.goto(live_server.url + "/en/")
    link = tab_to(reader, lambda now: now["text"] == "Timeline" and now["tag"] == "A")
    assert link["outline"] != "none"  # focus is visible
    reader.keyboard.press("Enter")
    reader.wait_for_url("**/en/timeline/")
    skip = tab_to(reader, lambda now: now["href"] == "#timeline-list")
    assert skip["outline"] != "none"
    reader.keyboard.press("Enter")
    record = tab_to(reader, lambda now: (now["href"] or "").startswith("/en/events/"))
    reader.keyboard.press("Enter")
    reader.wait_for_url("**/en/events/**")
    assert reader.get_by_role("heading", level=1).inner_text() == record["text"]
    # The citation's copy buttons and the filters are keyboard controls too.
    button = tab_to(reader, lambda now: now["tag"] == "BUTTON" and "Copy" in now["text"])
    assert button["outline"] != "none"
