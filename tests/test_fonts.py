"""The Arabic-script web font: every Dari and Pashto letter is in the files the
site serves, and the stylesheet uses them for Arabic script only."""

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

STATIC = Path(__file__).resolve().parent.parent / "static"
FONTS = sorted((STATIC / "fonts").glob("*.woff2"))
# The letters Dari and Pashto add to Arabic, and those they share with Persian.
LETTERS = "ټډړښږځڅېۍىګڼژ" + "پچژگکی" + "۰۱۲۳۴۵۶۷۸۹" + "،؛؟"


def test_both_weights_are_served_with_their_licence():
    assert [font.name for font in FONTS] == [
        "noto-naskh-arabic-arabic-400-normal.woff2",
        "noto-naskh-arabic-arabic-700-normal.woff2",
    ]
    assert "SIL Open Font License" in (STATIC / "fonts" / "OFL.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("font", FONTS, ids=lambda font: font.name)
def test_every_dari_and_pashto_letter_is_in_the_font(font):
    cmap = TTFont(font).getBestCmap()
    assert [letter for letter in LETTERS if ord(letter) not in cmap] == []


def unicode_ranges(css):
    """The code points the stylesheet's @font-face rules for the web font cover."""
    covered = set()
    for block in re.findall(r"@font-face\s*{([^}]*)}", css):
        ranges = re.search(r"unicode-range:([^;]*);", block)
        for part in ranges.group(1).replace("\n", " ").split(","):
            first, _, last = part.strip().removeprefix("U+").partition("-")
            covered.update(range(int(first, 16), int(last or first, 16) + 1))
    return covered


def test_the_stylesheet_uses_the_font_for_arabic_script_only():
    css = (STATIC / "css" / "site.css").read_text(encoding="utf-8")
    for font in FONTS:
        assert f'url("../fonts/{font.name}")' in css
    covered = unicode_ranges(css)
    assert all(ord(letter) in covered for letter in LETTERS)
    assert ord("a") not in covered and ord("カ") not in covered
    assert re.search(r'--font: "Site Naskh",', css)
