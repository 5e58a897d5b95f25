"""The records the page tests read: a source cited by a conference, a milestone
event and a programme, with a disagreement; and the addresses of their pages."""

import datetime

from django.urls import reverse
from django.utils import translation

from .factories import (
    AidProgramFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    SourceFactory,
    cited,
)


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def build_records():
    source = SourceFactory(slug="mofa-outline", title="Outline of the Tokyo conference")
    conference = cited(
        ConferenceFactory(
            slug="tokyo-2002", title_en="Reconstruction conference", total_pledged="4500000000.00", japan_pledge=None
        ),
        source=source,
    )
    event = cited(
        EventFactory(
            slug="treaty-in-force",
            title_en="Treaty of Friendship in force",
            start_date=datetime.date(1931, 1, 1),
            start_precision="year",
            milestone=True,
            conference=conference,
            body_en="The treaty was **ratified**. <script>alert(1)</script>",
        ),
        source=source,
        locator="p. 4",
        quotation="entered into force",
    )
    program = cited(
        AidProgramFactory(
            slug="literacy",
            title_en="Literacy programme",
            start_date=datetime.date(2008, 3, 1),
            start_precision="month",
            end_date=datetime.date(2010, 6, 1),
            end_precision="month",
            amount="19500000.00",
            pledge=conference,
        ),
        source=source,
    )
    event.aidprograms.add(program)
    ParticipationFactory(aidprogram=program, organization=OrganizationFactory(slug="unesco", name_en="UNESCO body"))
    disagreement = DisagreementFactory(event=event, question_en="When did relations begin?")
    ClaimFactory(disagreement=disagreement, source=source, value_en="1930", preferred=True)
    ClaimFactory(disagreement=disagreement, value_en="1931")
    return {"source": source, "conference": conference, "event": event, "program": program}


def detail_urls(records, lang):
    return [
        url("history:event-detail", lang, slug=records["event"].slug),
        url("history:conference-detail", lang, slug=records["conference"].slug),
        url("history:aidprogram-detail", lang, slug=records["program"].slug),
        url("history:source-detail", lang, slug=records["source"].slug),
    ]
