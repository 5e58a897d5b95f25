"""factory_boy factories for the content models. Records are published and cited
unless a test asks otherwise, since that is what readers see."""

import datetime

import factory

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
