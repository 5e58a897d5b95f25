"""Search normalisation and cross-script matching: the same word typed another way
(width, letter forms, marks, script) finds the same records."""

import pytest

from history.models import Event
from history.search import expand_query, normalize, search_filter
from tests.factories import EventFactory


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ｶﾌﾞｰﾙ", "カブール"),  # half-width katakana with a separate voicing mark
        ("ＡＢＣ", "abc"),  # full-width Latin
        ("２００２", "2002"),
        ("Shōwa", "showa"),
        ("Tōkyō", "tokyo"),
        ("KABUL", "kabul"),
        ("كابل", "کابل"),  # Arabic kaf
        ("علي", "علی"),  # Arabic yeh
        ("مصطفى", "مصطفی"),  # alef maksura
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("خانۀ", "خانه"),  # heh with yeh above
        ("أفغانستان", "افغانستان"),
        ("إسلام", "اسلام"),
        ("آباد", "اباد"),
        ("کـــابل", "کابل"),  # tatweel
        ("کَابُل", "کابل"),  # harakat
        ("می\u200cخواهم", "میخواهم"),  # ZWNJ
        ("ننگرهار", "ننګرهار"),  # Persian gaf and Pashto gaf
        ("غوایي", "غوایی"),  # Pashto ending in Arabic yeh
        ("لیندۍ", "لیندی"),
        ("۱۴۰۰", "1400"),
        ("١٤٠٠", "1400"),
        ("  Kabul \n city ", "kabul city"),
    ],
)
def test_normalize(typed, expected):
    assert normalize(typed) == expected


@pytest.mark.parametrize("word", ["カブール", "ガ", "パ", "ヴ", "한국어", "日本", "アフガニスタン"])
def test_japanese_voicing_marks_and_hangul_survive(word):
    assert normalize(word) == word


def test_voiced_and_unvoiced_kana_stay_different():
    assert normalize("ガ") != normalize("カ")
    assert normalize("ﾊﾟ") == "パ"


def test_normalize_empty():
    assert normalize("") == ""
    assert normalize(None) == ""


def test_expand_query_gives_every_spelling_of_a_glossary_name():
    (kabul,) = expand_query("Kabul")
    assert kabul[0] == "kabul"
    assert {"کابل", "カブール"} <= set(kabul)
    assert expand_query("ｶﾌﾞｰﾙ")[0][0] == "カブール"
    assert "kabul" in expand_query("ｶﾌﾞｰﾙ")[0]


def test_expand_query_keeps_other_terms_and_strips_punctuation():
    assert expand_query("literacy, «police»") == [["literacy"], ["police"]]
    assert expand_query("   ") == []


def test_expand_query_joins_a_name_of_two_words():
    terms = expand_query("مزار شریف ولایت")
    assert len(terms) == 2
    assert "mazar-i-sharif" in terms[0]
    assert terms[1] == ["ولایت"]


def test_pashto_month_spellings_match():
    assert "غویی" in expand_query("غوایي")[0]


def test_empty_query_gives_no_filter():
    assert search_filter("") is None
    assert search_filter(" ,, ") is None


@pytest.fixture
def kabul_event(db):
    return EventFactory(title_en="Kabul airport terminal opens", summary_en="A new terminal for the capital.")


def found(q):
    return list(Event.objects.filter(search_filter(q)))


@pytest.mark.parametrize("q", ["Kabul", "kabul", "KABUL", "کابل", "كابل", "カブール", "ｶﾌﾞｰﾙ", "Ｋａｂｕｌ"])
def test_english_only_record_is_found_in_every_script(kabul_event, q):
    assert found(q) == [kabul_event]


def test_all_terms_must_match(kabul_event):
    assert found("کابل terminal") == [kabul_event]
    assert found("کابل harbour") == []
    assert found("Kandahar") == []


def test_arabic_and_persian_letters_match_both_ways(db):
    dari = EventFactory(title_en="Visit", title_fa_af="سفر علی به کابل")
    arabic_typed = EventFactory(title_en="Visit", title_fa_af="سفر علي به كابل")
    assert set(found("علي")) == {dari, arabic_typed}
    assert set(found("علی")) == {dari, arabic_typed}


def test_japanese_record_is_found_from_english_and_dari(db):
    event = EventFactory(title_en="Embassy", title_ja="在アフガニスタン日本国大使館、東京")
    assert found("Tokyo") == [event]
    assert found("توکیو") == [event]
    assert found("東京") == [event]
    assert found("Afghanistan Japan") == [event]


def test_full_width_query_matches(db):
    event = EventFactory(title_en="JICA scholarships", summary_en="PEACE programme")
    assert found("ＰＥＡＣＥ") == [event]
    assert found("ジャイカ") == [event]


def test_record_text_gains_the_other_spellings(kabul_event):
    kabul_event.refresh_from_db()
    assert "カブール" in kabul_event.search_text
    assert "کابل" in kabul_event.search_text


def test_drafts_are_left_to_the_caller(db):
    # search_filter only matches text; the view applies .published() first.
    draft = EventFactory(title_en="Kabul draft", status=Event.Status.DRAFT)
    assert Event.objects.published().filter(search_filter("Kabul")).count() == 0
    assert found("Kabul") == [draft]


def test_a_records_search_text_is_the_same_in_every_process():
    """The search text's start ranks the matches (history.search.earliest_mention):
    the same record gets the same text whatever the process's hash seed, which
    orders the sets modeltranslation lists a model's fields from."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    program = (
        "import django; django.setup()\n"
        "from history.models import Event\n"
        "from history.signals import fill_search_text\n"
        "event = Event(slug='legation', title_en='Japan opens a legation', location_en='Kabul',\n"
        "              summary_en='The first envoy arrives.', body_en='He presents his letters.')\n"
        "fill_search_text(event)\n"
        "print(event.search_text)\n"
    )
    texts = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
        run = subprocess.run([sys.executable, "-c", program], cwd=settings.BASE_DIR, env=env, capture_output=True)
        assert run.returncode == 0, run.stderr.decode()[-2000:]
        texts.add(run.stdout.decode().strip())
    assert len(texts) == 1
    # In the model's order: the title, the place, the summary, the body.
    (text,) = texts
    places = [text.index(words) for words in ("japan opens a legation", "kabul", "the first envoy", "he presents")]
    assert places == sorted(places)
