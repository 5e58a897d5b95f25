"""Responsive layout: on a 360 px phone no page type is wider than the screen (the
timeline's drawing scrolls inside its own box), and on paper a record page prints
its sources with their addresses and no navigation."""

import pytest

from tests.pages import page_types, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(element => !element.closest('.overview-scroll'))
  .filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.right > innerWidth + 1 || box.left < -1);
  })
  .slice(0, 3)
  .map(element => element.tagName + '.' + element.className)"""


@pytest.mark.parametrize("language", ["en", "ps"])
def test_no_page_is_wider_than_a_phone(chromium, live_server, seeded, language):
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    wide = {}
    for name, url_name, kwargs, query in page_types():
        page.goto(live_server.url + path_of(url_name, kwargs, query, language))
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            wide[name] = (width, page.evaluate(WIDER_THAN_SCREEN))
    context.close()
    assert wide == {}


def test_a_record_page_prints_its_sources_with_their_addresses(chromium, live_server, seeded):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/en/events/japan-kabul-legation-raised-to-embassy-1955/")
    page.emulate_media(media="print")
    addresses = page.locator(".citations .print-address")
    assert addresses.count() > 0
    assert all(text.startswith("http") for text in addresses.all_inner_texts())
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".search-box").is_visible()
    assert page.locator(".cite-box #cite-chicago").is_visible()
    page.emulate_media(media="screen")
    assert not addresses.first.is_visible()
    context.close()
