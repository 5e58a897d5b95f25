"""Nothing hostile goes out: injection payloads written into every field an editor
can fill in, on every kind of record and in every language's column, come out of
every public page and every admin page as text, never as markup. (Downloads and
feeds are tested with the same payloads in their own tests.)"""

import datetime
import itertools

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings

from tests.factories import (
    AidProgramFactory,
    CitationFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProvinceFactory,
    SourceFactory,
)
from tests.hostile import INJECTIONS, MARKER, hostile_markup_in, hostile_rotation, property_test, write_everywhere

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "ja", "ps")


@pytest.fixture
def site():
    """One record of every kind, published, linked the way the seed links them."""
    organization = OrganizationFactory()
    province = ProvinceFactory()
    source = SourceFactory(publisher=organization)
    conference = ConferenceFactory()
    program = AidProgramFactory(pledge=conference)
    program.provinces.add(province)
    event = EventFactory(conference=conference, milestone=True, start_date=datetime.date(2002, 1, 21))
    event.aidprograms.add(program)
    disagreement = DisagreementFactory(event=event)
    records = [organization, province, source, conference, program, event, disagreement]
    records += [CitationFactory(source=source, event=event), CitationFactory(source=source, conference=conference)]
    records += [CitationFactory(source=source, aidprogram=program)]
    records += [ParticipationFactory(aidprogram=program, organization=organization)]
    records += [ClaimFactory(disagreement=disagreement, source=source, preferred=True)]
    return {"records": records, "event": event, "conference": conference, "program": program, "source": source}


def public_urls(site, language):
    with translation.override(language):
        pages = ("history:home", "history:timeline", "history:about", "history:disagreements")
        urls = [reverse(name) for name in pages]
        urls += [reverse(f"history:{kind}-list") for kind in ("event", "conference", "aidprogram", "source")]
        urls += [site[kind].get_absolute_url() for kind in ("event", "conference", "program", "source")]
        urls += [reverse("history:search") + f"?q={MARKER}"]
    return urls


def admin_urls(site):
    urls = [reverse("admin:index")]
    for record in site["records"]:
        model = type(record)
        if model not in admin.site._registry:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_changelist") + f"?q={MARKER}"]
        urls += [reverse(f"{prefix}_change", args=[record.pk]), reverse(f"{prefix}_history", args=[record.pk])]
    return urls


def audit(client, urls):
    """Every page answers, shows the payload somewhere (so the field is really on
    the page) and contains it only as text."""
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        seen += MARKER in page
        assert hostile_markup_in(page) == [], url
    assert seen >= len(urls) // 2, "the payload did not reach the pages: the test would prove nothing"


def fill(site, payloads):
    """Deal the payloads out over every field of every record."""
    dealt = itertools.cycle(payloads)
    for record in site["records"]:
        write_everywhere(record, dealt)


def test_the_audit_finds_a_payload_written_as_markup():
    """The checker itself: each payload, pasted into a page unescaped as text or as
    an attribute value, is found. (Markdown payloads become markup only once
    rendered; the page tests see them rendered.)"""
    for payload in INJECTIONS:
        if (MARKER + "()" in payload or "//" + MARKER in payload) and not payload.startswith(("[", "![")):
            contexts = (f"<p>{payload}</p>", f'<input value="{payload}">', f"<a title='{payload}'>x</a>")
            assert any(hostile_markup_in(f"<html><body>{page}</body></html>") for page in contexts), payload


# Each example carries every payload (one per field), so a few examples suffice.
@settings(property_test, max_examples=6)
@given(payloads=hostile_rotation())
def test_public_pages_show_editors_payloads_as_text(client, site, payloads):
    fill(site, payloads)
    for language in LANGUAGES:
        audit(client, public_urls(site, language))


@settings(property_test, max_examples=6)
@given(payloads=hostile_rotation())
def test_admin_pages_show_editors_payloads_as_text(admin_client, site, payloads):
    fill(site, payloads)
    audit(admin_client, admin_urls(site))
