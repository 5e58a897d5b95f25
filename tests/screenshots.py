"""`make screenshots`: desktop and phone screenshots of every page type in the four
languages, with the seed content, into SCREENSHOTS_DIR (default screenshots/), for
people to look at. Not part of the suite (its name does not start with test_):
`make screenshots` runs it on its own."""

import os
from pathlib import Path

import pytest

from tests.pages import LANGUAGES, page_types, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.mark.parametrize("device", VIEWPORTS)
def test_screenshots(chromium, live_server, seeded, device):
    folder = ROOT / os.environ.get("SCREENSHOTS_DIR", "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport=VIEWPORTS[device], device_scale_factor=1)
    page = context.new_page()
    taken = []
    for language in LANGUAGES:
        for name, url_name, kwargs, query in page_types():
            response = page.goto(live_server.url + path_of(url_name, kwargs, query, language))
            assert response.status == 200
            page.evaluate("document.fonts.ready")
            file = folder / f"{name}-{language}-{device}.png"
            page.screenshot(path=str(file), full_page=True)
            taken.append(file)
    context.close()
    assert all(file.stat().st_size > 0 for file in taken)
    print(f"\n{len(taken)} screenshots in {folder}")
