"""A Pashto page on a machine whose only Arabic-script font is DejaVu Sans (which
lacks letters such as ۍ and ښ): Chromium runs with a fontconfig that lists only
DejaVu's folder, and the DevTools protocol says which font drew each glyph of a
Pashto title. Every letter must come from the site's own web font."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import EventFactory, cited

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# Friendship, ribbon, city...: every letter Pashto adds to Arabic, in real words.
TITLE = "دوستۍ لیندۍ ښار ټول ډېر ړوند ږغ ځای څه ګډ ژوند ښڼه"

FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@pytest.fixture
def dejavu_only_browser(chromium, tmp_path):
    """A second Chromium, started by the suite's Playwright, that sees only DejaVu."""
    if not DEJAVU.is_dir():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("fonts-dejavu-core is needed; .ci/run installs it")
        pytest.skip("fonts-dejavu-core is missing")
    config = tmp_path / "fonts.conf"
    config.write_text(FONTCONFIG.format(fonts=DEJAVU, cache=tmp_path / "cache"), encoding="utf-8")
    environment = {**os.environ, "FONTCONFIG_FILE": str(config)}
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=environment)
    yield browser
    browser.close()


def fonts_drawing(page, selector):
    """[(family, is web font, glyphs)] for the text of the first element matching."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [(font["familyName"], font["isCustomFont"], font["glyphCount"]) for font in fonts]


def test_pashto_letters_are_drawn_by_the_web_font_where_dejavu_is_the_only_arabic_font(
    dejavu_only_browser, live_server, transactional_db
):
    event = cited(EventFactory(title_en="Friendship", title_ps=TITLE, milestone=True))
    with translation.override("ps"):
        path = reverse("history:event-detail", kwargs={"slug": event.slug})
    page = dejavu_only_browser.new_page()
    page.goto(live_server.url + path)
    page.evaluate("document.fonts.ready")
    # Without the web font, this machine has nothing but DejaVu to draw Arabic with.
    available = page.evaluate("() => document.fonts.check('16px \"DejaVu Sans\"')")
    assert available

    fonts = fonts_drawing(page, "h1")
    letters = sum(1 for character in TITLE if not character.isspace())
    spaces = TITLE.count(" ")
    web = [glyphs for family, custom, glyphs in fonts if custom and "Naskh" in family]
    others = [(family, glyphs) for family, custom, glyphs in fonts if not (custom and "Naskh" in family)]
    # Noto Naskh draws some letters as a body and its dots: at least a glyph a letter.
    assert len(web) == 1 and web[0] >= letters, fonts
    # The spaces, outside the web font's unicode-range, are all another font drew.
    assert sum(glyphs for _family, glyphs in others) == spaces, fonts
    page.close()
