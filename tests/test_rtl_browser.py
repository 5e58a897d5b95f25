"""Right to left in a real browser: a Pashto page mirrors the layout (navigation
starts on the right) and its text renders with real glyphs, not empty boxes. The
screenshots are kept in artifacts/ for a person to look at."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import EventFactory, cited

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Script run in the page: where the first main-navigation link sits, and the
# drawn widths of letters that a real font draws at different widths (alef is
# narrow, sheen is wide) but a missing-glyph box draws all alike.
MEASURE = """() => {
  const link = document.querySelector('.main-nav a').getBoundingClientRect();
  const heading = document.querySelector('h1');
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = getComputedStyle(heading).font;
  return {
    dir: document.documentElement.dir,
    linkLeft: link.left,
    linkRight: link.right,
    width: document.documentElement.clientWidth,
    alef: canvas.measureText('\u0627').width,
    ssheen: canvas.measureText('\u069a').width,
    kana: canvas.measureText('\u30ab').width,
    latin: canvas.measureText('i').width,
  };
}"""


def open_home(page, live_server, language):
    with translation.override(language):
        path = reverse("history:home")
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(live_server.url + path)
    return page.evaluate(MEASURE)


@pytest.fixture
def content(transactional_db):
    cited(EventFactory(title_en="Kabul legation opens", title_ps="په کابل کې وزیر مختاري پرانیستل شوه", milestone=True))


def test_pashto_page_is_mirrored_and_its_text_renders(page, live_server, content, artifacts_dir):
    english = open_home(page, live_server, "en")
    page.screenshot(path=str(artifacts_dir / "home-en.png"), full_page=True)
    pashto = open_home(page, live_server, "ps")
    page.screenshot(path=str(artifacts_dir / "home-ps.png"), full_page=True)

    assert english["dir"] == "ltr" and pashto["dir"] == "rtl"
    # In English the navigation starts at the left edge; in Pashto at the right.
    assert english["linkLeft"] < english["width"] / 2
    assert pashto["linkRight"] > pashto["width"] / 2
    assert pashto["linkLeft"] > english["linkLeft"]
    # Arabic-script glyphs come from a real font: alef and the Pashto sheen differ.
    assert pashto["alef"] != pashto["ssheen"]
    assert page.get_by_text("کابل").first.is_visible()


def test_japanese_page_renders_kana_with_a_real_font(page, live_server, content, artifacts_dir):
    japanese = open_home(page, live_server, "ja")
    page.screenshot(path=str(artifacts_dir / "home-ja.png"), full_page=True)
    assert japanese["dir"] == "ltr"
    # A CJK font draws kana full width; a missing-glyph box would be as narrow as Latin.
    assert japanese["kana"] > 1.5 * japanese["latin"]
