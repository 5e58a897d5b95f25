"""The seed content's downloads, read by the tools their users have: bibtexparser and
pybtex's plain style, jsonschema with the CSL data schema and citeproc-py with
standard CSL styles, xmlschema with the IATI 2.03 schema and the IATI Standard
ruleset, and the TimelineJS JSON in the reader's language."""

import json
from collections import Counter

import bibtexparser
import jsonschema
import pybtex.errors
import pytest
import xmlschema
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import etree
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from history import kinds
from history.models import AidProgram, Source

from . import atom_rules, iati_ruleset
from .standards import standard

pytestmark = pytest.mark.django_db
SITE = "http://testserver/"


def fetch(name, fmt, language="en"):
    with translation.override(language):
        url = reverse(name)
    response = Client().get(url, {"format": fmt})
    assert response.status_code == 200, response
    return response, b"".join(response.streaming_content)


@pytest.fixture(scope="module")
def bibtex(module_seed, django_db_blocker):
    with django_db_blocker.unblock():
        return fetch("history:source-list", "bibtex")[1].decode("utf-8")


@pytest.fixture(scope="module")
def csl(module_seed, django_db_blocker):
    with django_db_blocker.unblock():
        return json.loads(fetch("history:source-list", "csl-json")[1])


@pytest.fixture(scope="module")
def iati(module_seed, django_db_blocker):
    with django_db_blocker.unblock():
        return fetch("history:aidprogram-list", "iati")[1]


@pytest.fixture(scope="module")
def sources(module_seed, django_db_blocker):
    with django_db_blocker.unblock():
        return {source.slug: source for source in Source.objects.published().select_related("publisher")}


# BibTeX


def test_bibtexparser_reads_every_source_once(bibtex, sources):
    library = bibtexparser.parse_string(bibtex)
    assert not library.failed_blocks
    keys = [entry.key for entry in library.entries]
    assert sorted(keys) == sorted(sources) and len(set(keys)) == len(keys)


def test_pybtex_plain_formats_every_entry_without_a_missing_field(bibtex, sources):
    pybtex.errors.set_strict_mode(True)  # a missing required field raises
    try:
        data = parse_string(bibtex, "bibtex")
        style = find_plugin("pybtex.style.formatting", "plain")()
        formatted = {entry.key: entry.text.render_as("text") for entry in style.format_bibliography(data)}
    finally:
        pybtex.errors.set_strict_mode(False)
    assert set(formatted) == set(sources)
    assert "Afghanistan–Japan relations" in formatted["wikipedia-afghanistan-japan-relations"]


def test_bibtex_entry_types_fit_the_sources(bibtex, sources):
    library = {entry.key: entry for entry in bibtexparser.parse_string(bibtex).entries}
    types = Counter(entry.entry_type for entry in library.values())
    assert set(types) <= {"article", "techreport", "book", "misc"}
    for slug, source in sources.items():
        entry = library[slug]
        if source.source_type == Source.Type.NEWSPAPER and source.published_date and source.publisher:
            assert entry.entry_type == "article" and entry["journal"], slug
        if entry.entry_type == "techreport":
            assert entry["institution"] == str(source.publisher.name)
        if source.url:
            assert entry["url"] == source.url, "URLs go out as they are"
    assert "\\%" not in "".join(str(entry.fields_dict.get("url", "")) for entry in library.values())


def test_bibtex_dates_keep_their_precision(bibtex, sources):
    library = {entry.key: entry for entry in bibtexparser.parse_string(bibtex).entries}
    month_only = next(slug for slug, s in sources.items() if s.published_date and s.published_precision == "month")
    assert library[month_only]["date"].count("-") == 1
    undated = next(slug for slug, s in sources.items() if not s.published_date)
    assert "year" not in library[undated].fields_dict


# CSL-JSON


def test_csl_json_validates_against_the_csl_schema(csl):
    schema = json.loads(standard("csl", "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.validate(csl, schema)


@pytest.mark.parametrize("style_name", ["apa", "chicago-author-date"])
def test_citeproc_renders_every_item(csl, style_name):
    style = CitationStylesStyle(str(standard("csl", f"{style_name}.csl")), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(csl), formatter.plain)
    for item in csl:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(csl)
    assert any("The Japan Times" in entry for entry in rendered)


def test_csl_gives_the_sources_own_address_and_dates_at_precision(csl, sources):
    items = {item["id"]: item for item in csl}
    assert set(items) == set(sources)
    for slug, source in sources.items():
        item = items[slug]
        assert not item.get("URL", "").startswith(SITE), f"{slug} points at this site"
        assert item.get("URL", "") == (source.url or source.archive_url)
        if source.published_date:
            expected = {"year": 1, "month": 2, "day": 3}[source.published_precision]
            assert len(item["issued"]["date-parts"][0]) == expected
        if source.accessed:
            assert len(item["accessed"]["date-parts"][0]) == 3
        if source.publisher and source.publisher.organization_type == "media":
            assert item["container-title"] and "publisher" not in item, slug


# IATI


def test_iati_is_valid_against_the_203_schema(iati):
    schema = xmlschema.XMLSchema(str(standard("iati-schemas", "iati-activities-schema.xsd")))
    errors = [f"{error.path}: {error.reason}" for error in schema.iter_errors(iati)]
    assert not errors


def test_iati_passes_the_standard_ruleset_without_an_error(iati):
    failures, _skipped = iati_ruleset.check(iati, iati_ruleset.load(standard("iati-rulesets", "standard.json")))
    errors = [failure for failure in failures if failure[1] == "error"]
    assert not errors


def test_the_ruleset_checker_finds_what_the_old_file_got_wrong():
    """The checker itself: an activity without a recipient country fails rule 3.7.1."""
    document = b"""<iati-activities version="2.03"><iati-activity xml:lang="en" default-currency="USD">
      <iati-identifier>XX-A-1</iati-identifier><reporting-org ref="XX-A" type="90"/>
      <title><narrative>T</narrative></title><description><narrative>D</narrative></description>
      <participating-org role="1"><narrative>Japan</narrative></participating-org>
      <activity-status code="4"/><activity-date type="2" iso-date="2002-01-21"/>
      <sector vocabulary="1" code="11230"/></iati-activity></iati-activities>"""
    failures, _skipped = iati_ruleset.check(document, iati_ruleset.load(standard("iati-rulesets", "standard.json")))
    assert {failure[0] for failure in failures if failure[1] == "error"} == {"3.7.1"}


def test_iati_reports_as_this_site_and_says_what_is_known(iati, module_seed, django_db_blocker):
    root = etree.fromstring(iati)
    activities = root.findall("iati-activity")
    with django_db_blocker.unblock():
        programs = {p.slug: p for p in AidProgram.objects.published()}
    assert len(activities) == len(programs)
    ref = settings.IATI_REPORTING_ORG_REF
    for activity in activities:
        reporting = activity.find("reporting-org")
        assert reporting.get("ref") == ref and reporting.get("secondary-reporter") == "1"
        assert activity.find("recipient-country").get("code") == "AF"
        slug = activity.findtext("iati-identifier").removeprefix(f"{ref}-")
        program = programs[slug]
        assert "XM-DAC-701" not in etree.tostring(activity).decode()
        assert (activity.find("transaction") is not None) == (program.amount is not None)
        start = activity.find("activity-date")
        if program.start_precision != "day":
            assert start.findtext("narrative").startswith("Known to the"), slug


def test_iati_uses_a_programmes_real_identifier(module_seed, django_db_blocker):
    with django_db_blocker.unblock():
        program = AidProgram.objects.published().first()
        program.iati_identifier = "JP-8-1234"
        program.save()
        try:
            root = etree.fromstring(fetch("history:aidprogram-list", "iati")[1])
        finally:
            program.iati_identifier = ""
            program.save()
    assert "JP-8-1234" in [a.findtext("iati-identifier") for a in root.findall("iati-activity")]


# TimelineJS


@pytest.mark.parametrize("language", ["ja", "ps"])
def test_timelinejs_is_in_the_readers_language(module_seed, django_db_blocker, language):
    with django_db_blocker.unblock():
        response, body = fetch("history:timeline", "timelinejs", language)
        with translation.override(language):
            read_more = translation.gettext("Read more")
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(body)
    assert read_more != "Read more"
    slide = data["events"][0]
    assert read_more in slide["text"]["text"]
    assert "February" not in slide["display_date"]
    if language == "ps":
        assert "۱۹۰۷" in slide["display_date"]  # Eastern Arabic-Indic digits


# Frictionless Data package


def test_the_data_package_validates_with_frictionless(module_seed, django_db_blocker, tmp_path):
    """Each CSV of the package, fetched as a reader would, read against its Table
    Schema (types, enums, keys, the foreign keys between the lists)."""
    from django.test import RequestFactory
    from frictionless import Package

    from history.downloads.datapackage import data_package

    with django_db_blocker.unblock(), translation.override("en"):
        descriptor = data_package(RequestFactory().get("/"))
        for resource in descriptor["resources"]:
            assert resource["path"].startswith(SITE) and resource["path"].endswith("?format=csv")
            response = Client().get(resource["path"].removeprefix("http://testserver"))
            (tmp_path / f"{resource['name']}.csv").write_bytes(b"".join(response.streaming_content))
            resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert {resource["name"] for resource in descriptor["resources"]} == {
        "event",
        "conference",
        "aidprogram",
        "source",
        "timeline",
    }
    fields = {field["name"]: field for field in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["start_precision"]["constraints"]["enum"] == ["day", "month", "year"]
    assert fields["title"]["description"]


# Atom (the feeds themselves are tested where they are built; this is the checker)


def test_the_atom_checker_knows_a_valid_feed_from_the_old_one():
    entry = (
        "<entry><id>https://example.org/e/1</id><title>T</title><updated>2002-01-21T00:00:00Z</updated>"
        '<link href="https://example.org/e/1"/>%s</entry>'
    )
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>https://example.org/</id><title>F</title>'
        "<updated>2002-01-21T00:00:00Z</updated>%s" + entry + "</feed>"
    )
    valid = (feed % ("<author><name>Site</name></author>", "")).encode()
    assert atom_rules.problems(valid) == []
    no_author = (feed % ("", "")).encode()
    assert atom_rules.problems(no_author) == [
        "entry 1 (https://example.org/e/1): no atom:author, and the feed has none"
    ]
    unsafe = feed % (
        "<author><name>S</name></author>",
        '<summary type="html">&lt;script&gt;x()&lt;/script&gt;</summary>',
    )
    assert "html that would run" in atom_rules.problems(unsafe.encode())[0]


def test_every_kind_of_record_page_cites_itself_in_valid_csl_json(module_seed, django_db_blocker):
    schema = json.loads(standard("csl", "csl-data.json").read_text(encoding="utf-8"))
    items = []
    with django_db_blocker.unblock(), translation.override("en"):
        for kind in kinds.KINDS:
            record = kind.model.objects.published().order_by("slug").first()
            response = Client().get(record.get_absolute_url(), {"format": "csl-json"})
            items += json.loads(response.content)
    jsonschema.validate(items, schema)
    style = CitationStylesStyle(str(standard("csl", "apa.csl")), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    assert len(bibliography.bibliography()) == len(items) == 4


# The data page


@pytest.mark.parametrize("language", ["en", "ps"])
def test_the_data_page_lists_every_dataset_format_and_column(module_seed, django_db_blocker, language):
    with django_db_blocker.unblock(), translation.override(language):
        page = Client().get(reverse("history:data"))
        lists = [reverse(kind.url_name("list")) for kind in kinds.KINDS] + [reverse("history:timeline")]
        about = Client().get(reverse("history:about")).content.decode()
        list_pages = [Client().get(url).content.decode() for url in lists]
    assert page.status_code == 200
    text = page.content.decode()
    for kind in (*kinds.KINDS, kinds.TIMELINE):
        assert f'id="dataset-{kind.name}"' in text
        for fmt in kind.formats:
            assert f"?format={fmt}" in text
        for column in kind.columns:
            assert f">{column}</code>" in text
    assert settings.DATA_LICENSE["path"] in text and "datapackage.json" in text
    data_url = page.wsgi_request.path
    assert all(data_url in html for html in list_pages) and data_url in about


def test_datapackage_json_is_served_to_any_origin(module_seed, django_db_blocker):
    with django_db_blocker.unblock(), translation.override("en"):
        response = Client().get(reverse("history:datapackage"))
    assert response["Access-Control-Allow-Origin"] == "*" and response["Content-Type"] == "application/json"
    package = json.loads(response.content)
    assert package["licenses"] == [settings.DATA_LICENSE] and len(package["resources"]) == 5
