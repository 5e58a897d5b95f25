"""factory_boy factories for the content models. Records are published and cited
unless a test asks otherwise, since that is what readers see."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from modeltranslation.utils import get_translation_fields

from history.models import (
    AidProgram,
    Citation,
    Claim,
    Conference,
    Disagreement,
    Event,
    Organization,
    Participation,
    Province,
    Source,
)
from history.models.base import review_field_name, translations
from history.publishing import sync_roles


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    organization_type = Organization.Type.MINISTRY


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    slug = factory.Sequence(lambda n: f"province-{n}")
    name_en = factory.Sequence(lambda n: f"Province {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source document {n}")
    source_type = Source.Type.WEBPAGE
    publisher = factory.SubFactory(OrganizationFactory)
    published_date = datetime.date(2002, 1, 21)
    url = factory.Sequence(lambda n: f"https://example.org/source-{n}")
    reliability = Source.Reliability.PRIMARY
    status = Source.Status.PUBLISHED
    description_en = "A document used in tests."


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title_en = factory.Sequence(lambda n: f"Event number {n}")
    summary_en = "Something happened between Afghanistan and Japan."
    event_type = Event.Type.OTHER
    start_date = datetime.date(2002, 1, 21)
    status = Event.Status.PUBLISHED


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    slug = factory.Sequence(lambda n: f"conference-{n}")
    title_en = factory.Sequence(lambda n: f"Conference number {n}")
    city_en = "Tokyo"
    summary_en = "Donors met and pledged."
    start_date = datetime.date(2002, 1, 21)
    end_date = datetime.date(2002, 1, 22)
    status = Conference.Status.PUBLISHED


class AidProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidProgram

    slug = factory.Sequence(lambda n: f"programme-{n}")
    title_en = factory.Sequence(lambda n: f"Programme number {n}")
    summary_en = "Japan funded work in Afghanistan."
    sector = AidProgram.Sector.LITERACY
    start_date = datetime.date(2008, 3, 1)
    start_precision = "month"
    status = AidProgram.Status.PUBLISHED


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    aidprogram = factory.SubFactory(AidProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Participation.Role.FUNDING


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    source = factory.SubFactory(SourceFactory)
    locator = ""


class DisagreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disagreement

    slug = factory.Sequence(lambda n: f"disagreement-{n}")
    question_en = "When did it happen?"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    disagreement = factory.SubFactory(DisagreementFactory)
    source = factory.SubFactory(SourceFactory)
    value_en = "1971"


def cited(record, **citation_fields):
    """Give a record the citation every published record needs, and return it."""
    field = {"event": "event", "conference": "conference", "aidprogram": "aidprogram"}[record._meta.model_name]
    CitationFactory(**{field: record}, **citation_fields)
    return record


STAFF_PASSWORD = "correct horse battery staple"


def make_staff(username, role, password=STAFF_PASSWORD):
    """A staff user in `role` (history.publishing.EDITORS or PUBLISHERS);
    sync_roles() first because a transactional test earlier in the run may have
    flushed the groups migration 0002 created."""
    sync_roles()
    user = User.objects.create_user(username, f"{username}@example.org", password, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def event_form_data(event, **changes):
    """POST data for the event change form as the browser would send it unchanged:
    every translation column (settings.LANGUAGES), the review states, the version
    the form was loaded with and the citation inline's rows. For an unsaved event
    (EventFactory.build()), the add form's data."""
    data = {
        "slug": event.slug,
        "event_type": event.event_type,
        "status": event.status,
        "start_date": event.start_date.isoformat(),
        "start_precision": event.start_precision,
        "end_date": event.end_date.isoformat() if event.end_date else "",
        "end_precision": event.end_precision,
        "change_reason": "",
    }
    if event.pk is not None:
        data["loaded_version"] = event.version
    if event.milestone:
        data["milestone"] = "on"  # an unticked box sends nothing
    for field in ("title", "location", "summary", "body"):
        data.update({name: getattr(event, name) or "" for name in get_translation_fields(field)})
    data.update({review_field_name(code): getattr(event, review_field_name(code)) for code in translations()})
    citations = list(event.citations.all()) if event.pk is not None else []
    for prefix, total in (("citations", len(citations)), ("disagreements", 0)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": total,
                f"{prefix}-INITIAL_FORMS": total,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    for index, citation in enumerate(citations):
        data.update(
            {
                f"citations-{index}-id": citation.pk,
                f"citations-{index}-event": event.pk,
                f"citations-{index}-source": citation.source_id,
                f"citations-{index}-locator": citation.locator,
                f"citations-{index}-quotation": citation.quotation,
            }
        )
    data.update(changes)
    return data
