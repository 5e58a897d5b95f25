"""What the import tests share: a small complete graph of content, the rows as the
exporter sees them, files to import, editors and publishers."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from history import kinds
from history.fixtures_io.format import get_model
from tests.factories import (
    AidProgramFactory,
    ClaimFactory,
    ConferenceFactory,
    DisagreementFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProvinceFactory,
    cited,
)


def build_content():
    """A small but complete graph: every model, m2m, Unicode in three scripts."""
    organisation = OrganizationFactory(slug="jica", name_en="JICA", name_ja="国際協力機構")
    conference = cited(
        ConferenceFactory(slug="tokyo-2002", title_ja="アフガニスタン復興支援国際会議", total_pledged="4500000000")
    )
    conference.hosts.set([organisation])
    program = cited(AidProgramFactory(slug="literacy", title_fa_af="سواد آموزی", amount="91000000.5"))
    program.provinces.set([ProvinceFactory(slug="kabul", name_ps="کابل")])
    ParticipationFactory(aidprogram=program, organization=organisation)
    event = cited(EventFactory(slug="relations-1931", conference=conference, title_ps="اړیکې"), locator="p. 4")
    event.aidprograms.set([program])
    ClaimFactory(disagreement=DisagreementFactory(slug="when", event=event), value_en="1931")
    return event


def snapshot():
    """Every model's rows as the exporter sees them, plus the history row count."""
    from history.fixtures_io.format import iter_records

    order = kinds.import_order()
    rows = {name: sorted(record[1:] for record in iter_records(name)) for name in order}  # keys are unique
    history = sum(get_model(name).history.count() for name in order if hasattr(get_model(name), "history"))
    return rows, history


def wipe():
    for name in reversed(kinds.import_order()):
        get_model(name)._base_manager.all().delete()


def files_of(folder):
    return {path.name: path.read_bytes() for path in sorted(Path(folder).iterdir())}


def write_json(folder, name, items):
    path = Path(folder) / name
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def run(*paths, **options):
    call_command("import_fixtures", *[str(p) for p in paths], **options)


def account(name, publisher=False):
    """An editor, or (publisher=True) a publisher: the roles from history.publishing."""
    from django.contrib.auth.models import Group, User

    from history.publishing import EDITORS, PUBLISHERS, sync_roles

    sync_roles()  # a transactional test case may have flushed the groups
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS if publisher else EDITORS))
    return user


def valid_event(**fields):
    base = {
        "slug": "an-event",
        "title_en": "An event",
        "summary_en": "Something happened.",
        "start_date": "2002-01-21",
        "status": "draft",
    }
    base.update(fields)
    return {"model": "history.event", "fields": base}


def assert_rejected(path, *expected, before=None):
    before = before or snapshot()
    with pytest.raises(CommandError) as caught:
        run(path)
    assert "nothing was imported" in str(caught.value)
    assert snapshot() == before
    return caught
