"""What record pages tell machines, read by extruct (JSON-LD, Open Graph, Dublin
Core) and as Zotero's and Google Scholar's embedded-metadata readers read the
citation_* tags, on the seed content, in the page's language."""

import extruct
import pytest
from django.test import Client
from django.utils import translation
from lxml import html

from history import kinds
from history.dates import iso_at_precision
from history.models import Event, Source

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "ja", "fa-af", "ps")


def metadata(record, language="en"):
    with translation.override(language):
        path = record.get_absolute_url()
    response = Client().get(path)
    assert response.status_code == 200
    page = response.content.decode("utf-8")
    url = f"http://testserver{path}"
    data = extruct.extract(page, base_url=url, syntaxes=["json-ld", "opengraph", "dublincore"], uniform=True)
    tree = html.fromstring(page)
    meta = {}
    for element in tree.xpath("//head/meta[@name]"):
        meta.setdefault(element.get("name"), []).append(element.get("content"))
    links = {(link.get("rel"), link.get("hreflang")): link.get("href") for link in tree.xpath("//head/link")}
    return url, data, meta, links


def one(record_kind, django_db_blocker, **filters):
    with django_db_blocker.unblock():
        return record_kind.model.objects.published().filter(**filters).order_by("slug").first()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_event_page_describes_itself_in_its_language(module_seed, django_db_blocker, language):
    event = one(kinds.EVENT, django_db_blocker, start_precision="year")
    with django_db_blocker.unblock():
        url, data, meta, links = metadata(event, language)
        sources = [citation.source.title for citation in event.citations.all()]
        with translation.override(language):
            title = Event.objects.get(pk=event.pk).title
    (page,) = data["json-ld"]
    assert page["@type"] == "WebPage" and page["url"] == url and page["inLanguage"] == language
    entity = page["mainEntity"]
    assert entity["@type"] == "Event" and entity["name"] == title
    assert entity["startDate"] == str(event.start_date.year)  # known to the year only
    assert sorted(work["name"] for work in page["citation"]) == sorted(sources)
    (graph,) = data["opengraph"]
    assert graph["og:url"] == url and graph["og:title"] == title
    assert graph["og:locale"] == {"en": "en_GB", "ja": "ja_JP", "fa-af": "fa_AF", "ps": "ps_AF"}[language]
    assert meta["citation_title"] == [title] and meta["citation_language"] == [language]
    assert meta["citation_publisher"] == ["Afghanistan–Japan Relations"] or language != "en"
    assert meta["citation_public_url"] == [url] and meta["DC.identifier"] == [url]
    assert links[("canonical", None)] == url
    assert {hreflang for rel, hreflang in links if rel == "alternate" and hreflang} == {*LANGUAGES, "x-default"}


def test_a_conference_and_an_aid_programme_have_their_types_and_dates(module_seed, django_db_blocker):
    conference = one(kinds.CONFERENCE, django_db_blocker, end_date__isnull=False)
    program = one(kinds.AIDPROGRAM, django_db_blocker, start_precision="month")
    with django_db_blocker.unblock():
        (conference_page,) = metadata(conference)[1]["json-ld"]
        (program_page,) = metadata(program)[1]["json-ld"]
    assert conference_page["mainEntity"]["@type"] == "Event"
    assert conference_page["mainEntity"]["endDate"] == conference.end_date.isoformat()
    assert conference_page["mainEntity"]["location"]["name"]
    assert program_page["mainEntity"]["@type"] == "Project"
    assert program_page["mainEntity"]["foundingDate"] == iso_at_precision(program.start_date, "month")


def test_a_source_page_describes_the_source(module_seed, django_db_blocker):
    source = one(kinds.SOURCE, django_db_blocker, published_precision="month", published_date__isnull=False)
    with django_db_blocker.unblock():
        url, data, meta, links = metadata(source)
        source = Source.objects.select_related("publisher").get(pk=source.pk)
    assert meta["citation_title"] == [source.title]
    date = source.published_date
    assert meta["citation_publication_date"] == [f"{date.year}/{date.month:02d}"]  # the month, no invented day
    assert meta["DC.date"] == [iso_at_precision(date, "month")]
    assert meta["citation_language"] == [source.language]
    if source.url:
        assert meta["citation_public_url"] == [source.url]
    entity = data["json-ld"][0]["mainEntity"]
    assert entity["name"] == source.title and entity["datePublished"] == iso_at_precision(date, "month")
    dublin_core = data["dublincore"][0]
    assert any(element["content"] == source.title for element in dublin_core["elements"])
    assert links[("canonical", None)] == url


def test_the_json_ld_cannot_end_its_script_element(client, english):
    from .factories import EventFactory, cited

    event = cited(EventFactory(title_en="</script><script>alert(1)</script>"))
    page = client.get(event.get_absolute_url()).content.decode()
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and "\\u003C/script\\u003E" in block
