"""The search page as a reader sees it: matched words marked in the reader's
script whatever script was typed, counts per kind, "did you mean" across scripts,
and a helpful page for an empty, very long or wordless query."""

import datetime

import pytest
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from history.highlight import folded, highlight_terms
from history.search import normalize
from history.search_page import check_query, suggestions
from history.templatetags.reading import cut_to

from .factories import AidProgramFactory, EventFactory, SourceFactory, cited

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def search(client, query, lang="en"):
    with translation.override(lang):
        path = reverse("history:search")
    response = client.get(path, {"q": query} if query is not None else {})
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.fixture
def kabul():
    cited(
        EventFactory(
            slug="legation",
            title_en="Japan opens a legation in Kabul",
            title_fa_af="جاپان در کابل سفارت باز کرد",
            title_ja="日本がカブールに公使館を開設",
            start_date=datetime.date(1935, 1, 1),
        )
    )
    cited(AidProgramFactory(slug="airport", title_en="Kabul airport terminal", summary_en="A terminal for Kabul."))
    SourceFactory(slug="kabul-source", title="Kabul diary")


@pytest.mark.parametrize(
    ("text", "terms", "marked"),
    [
        ("Japan opens a legation in Kabul", ["kabul"], "Japan opens a legation in <mark>Kabul</mark>"),
        ("KABUL and kabul", ["kabul"], "<mark>KABUL</mark> and <mark>kabul</mark>"),
        ("كابل", ["کابل"], "<mark>كابل</mark>"),  # typed with a Persian kaf, written with an Arabic one
        ("کـابُل شهر", ["کابل"], "<mark>کـابُل</mark> شهر"),  # tatweel and a vowel mark stay in the mark
        ("カブール市", ["カブール"], "<mark>カブール</mark>市"),
        ("Tōkyō conference", ["tokyo"], "<mark>Tōkyō</mark> conference"),
        ("<b>Kabul</b>", ["kabul"], "&lt;b&gt;<mark>Kabul</mark>&lt;/b&gt;"),
        ("nothing here", ["kabul"], "nothing here"),
        # A character that folds to several (ﷲ) or to none (ZWNJ) before the match.
        ("ﷲ in Kabul", ["kabul"], "ﷲ in <mark>Kabul</mark>"),
        ("می\u200cرود کابل", ["کابل"], "می\u200cرود <mark>کابل</mark>"),
        ("ﷲ", ["الله"], "<mark>ﷲ</mark>"),
    ],
)
def test_highlighting_marks_each_spelling_as_written(text, terms, marked):
    assert highlight_terms(text, terms) == marked


@given(st.text(max_size=40))
def test_a_text_folds_as_its_characters_fold_one_by_one(text):
    """history.highlight folds a whole text at once where it can; what it gives is
    what folding each character alone gives, and where each came from."""
    pieces = [normalize(character) if not character.isspace() else " " for character in text]
    haystack, origins = folded(text)
    assert haystack == "".join(pieces)
    assert list(origins) == [index for index, piece in enumerate(pieces) for _ in piece]


def test_a_search_in_one_script_marks_the_name_in_the_readers_script(client, kabul):
    html = search(client, "کابل", "en")
    assert "Japan opens a legation in <mark>Kabul</mark>" in html
    html = search(client, "Kabul", "fa-af")
    assert "جاپان در <mark>کابل</mark> سفارت باز کرد" in html
    html = search(client, "kabul", "ja")
    assert "日本が<mark>カブール</mark>に公使館を開設" in html
    html = search(client, "カブール", "en")
    assert "Names are searched in every script:" in html and "<bdi>کابل</bdi>" in html


def test_results_are_counted_per_kind(client, kabul):
    html = search(client, "Kabul")
    assert "3 results for “Kabul”" in html
    assert '<a href="#results-event">Events (1)</a>' in html
    assert '<a href="#results-aidprogram">Aid programmes (1)</a>' in html
    assert '<a href="#results-source">Sources (1)</a>' in html
    assert "results-conference" not in html
    assert "A terminal for <mark>Kabul</mark>." in html  # the summary, marked too


def test_did_you_mean_offers_the_readers_spelling_and_the_nearest_name():
    with translation.override("fa-af"):
        assert suggestions("Kabul literacy") == ["کابل literacy"]
        assert suggestions("کابل") == []
    with translation.override("en"):
        assert suggestions("Kabol") == ["Kabul"]
        assert suggestions("カブール") == ["Kabul"]
        assert suggestions("Kabul") == []
    with translation.override("ja"):
        assert suggestions("Kandahar") == ["カンダハール"]


def test_a_misspelt_name_finds_nothing_but_offers_the_name(client, kabul):
    html = search(client, "Kabol")
    assert "0 results for “Kabol”" in html
    assert 'Did you mean: <a href="?q=Kabul" dir="auto">Kabul</a>' in html
    assert "How to search" in html and "For example:" in html


def test_an_empty_search_explains_and_gives_examples_in_the_readers_script(client, kabul):
    html = search(client, None, "ps")
    assert "results for" not in html and "search-help-heading" in html
    assert 'q=%DA%A9%D8%A7%D8%A8%D9%84' in html  # کابل, as Pashto readers write it
    assert check_query("") == ("empty", [])


def test_a_very_long_search_offers_its_first_words(client, kabul):
    html = search(client, "Kabul " * 60)
    assert "That search is too long. Please use at most 10 words and 200 characters." in html
    assert "Search for its first words instead:" in html
    assert "results for" not in html


@pytest.mark.parametrize("query", ["!!!", "«»", "%%%", "<>=+", "\u200f\u200e", "----"])
def test_a_search_with_no_words_says_so(client, kabul, query):
    html = search(client, query)
    assert "That search has no letters or digits to look for." in html
    assert "How to search" in html


def test_markup_in_a_search_is_text(client, kabul):
    html = search(client, '<script>alert("Kabul")</script>')
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "text",
    ["Kabul", "x" * 240, "x" * 241, "Tōkyō", "To\u0304kyo\u0304" * 50, "کـابُل" * 60, "カブール" * 70, ""],
)
def test_a_summary_is_cut_as_djangos_truncatechars_cuts_it(text):
    assert cut_to(text, 240) == truncatechars(text, 240)
