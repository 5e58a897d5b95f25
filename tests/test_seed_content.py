"""The seed content in fixtures/: it loads, it is valid, it is sourced, it shows where
the seed page (the Afghan embassy's "Diplomatic History") disagrees with better
sources, and every file is in the canonical format that import and export share."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps

from history import kinds
from history.models import AidProgram, Conference, Disagreement, Event, Organization, Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

SEED_PAGE = "afghan-embassy-tokyo-diplomatic-history"

# facts.md section A: each place where the seed page (or another source) differs,
# with the record the disagreement is attached to.
SECTION_A = {
    "japan-embassy-kabul-opening-date": ("event", "japan-kabul-legation-raised-to-embassy-1955"),
    "japan-embassy-kabul-closure-date": ("event", "japan-embassy-kabul-closed-1989"),
    "afghan-mission-tokyo-1933-status": ("event", "afghan-legation-tokyo-opens-1933"),
    "relations-established-1930-or-1931": ("event", "treaty-of-friendship-signed-1930"),
    "embassies-reopening-2002": ("event", "afghan-embassy-tokyo-reopens-2002"),
    "tokyo-2002-total-pledged": ("conference", "tokyo-reconstruction-conference-2002"),
    "tokyo-2012-attendance": ("conference", "tokyo-conference-on-afghanistan-2012"),
    "ddr-conference-2003-date": ("conference", "ddr-conference-tokyo-2003"),
}

# Columns the canonical format leaves out: derived, or kept by the database itself.
NOT_EXPORTED = {"id", "search_text", "version", "created_at", "updated_at", "first_published_at"}


@pytest.fixture(scope="module")
def seeded(module_seed):
    """The seed, loaded once for this module (conftest: module_seed)."""


def content_models():
    return [
        model for model in apps.get_app_config("history").get_models() if not model.__name__.startswith("Historical")
    ]


def natural_key(model_name, fields):
    if model_name == "participation":
        return (fields["aidprogram"][0], fields["organization"][0], fields["role"])
    if model_name == "citation":
        kind = next(kind for kind in ("event", "conference", "aidprogram") if fields[kind])
        return (kind, fields[kind][0], fields["source"][0], fields["locator"])
    if model_name == "claim":
        return (fields["disagreement"][0], fields["source"][0])
    return (fields["slug"],)


@pytest.mark.django_db
class TestLoadedSeed:
    @pytest.fixture(autouse=True)
    def _seeded(self, seeded):
        pass

    def test_every_object_passes_full_clean(self):
        checked = 0
        for model in content_models():
            for obj in model._default_manager.all():
                obj.full_clean()
                checked += 1
        assert checked > 300

    def test_every_published_record_has_a_citation(self):
        for model in (Event, Conference, AidProgram):
            uncited = model.objects.published().filter(citations__isnull=True).values_list("slug", flat=True)
            assert list(uncited) == [], f"{model.__name__} without a citation"

    def test_minimum_counts(self):
        assert Event.objects.published().count() >= 30
        assert Conference.objects.published().count() >= 6
        assert AidProgram.objects.published().count() >= 15
        assert Organization.objects.count() >= 12
        assert Source.objects.published().count() >= 30

    def test_seed_page_is_a_primary_source_of_the_afghan_embassy(self):
        page = Source.objects.get(slug=SEED_PAGE)
        assert page.url == "http://www.afghanembassy.jp/?p=8237"
        assert page.publisher.slug == "embassy-of-afghanistan-japan"
        assert (page.source_type, page.reliability, page.status) == ("webpage", "primary", "published")

    @pytest.mark.parametrize("slug", sorted(SECTION_A))
    def test_section_a_disagreement_shows_each_value_with_its_source(self, slug):
        disagreement = Disagreement.objects.get(slug=slug)
        assert disagreement.subject_key == SECTION_A[slug]
        claims = list(disagreement.claims.select_related("source"))
        assert len(claims) >= 2
        assert len({claim.source_id for claim in claims}) == len(claims)
        assert len({claim.value_en for claim in claims}) >= 2, "at least two different values"
        assert [claim.preferred for claim in claims].count(True) == 1
        assert disagreement.explanation_en

    def test_seed_page_1971_sits_beside_the_1934_and_1955_record(self):
        disagreement = Disagreement.objects.get(slug="japan-embassy-kabul-opening-date")
        assert disagreement.event.start_date == datetime.date(1955, 12, 1)
        assert disagreement.event.start_precision == "month"
        seed_claim = disagreement.claims.get(source__slug=SEED_PAGE)
        assert (seed_claim.value_en, seed_claim.preferred) == ("1971", False)
        followed = disagreement.claims.get(preferred=True)
        assert "1934" in followed.value_en and "1955" in followed.value_en

    def test_records_follow_the_preferred_values(self):
        tokyo_2002 = Conference.objects.get(slug="tokyo-reconstruction-conference-2002")
        assert tokyo_2002.total_pledged == Decimal("4500000000.00")
        tokyo_2012 = Conference.objects.get(slug="tokyo-conference-on-afghanistan-2012")
        assert (tokyo_2012.countries_attending, tokyo_2012.organizations_attending) == (55, 25)
        assert [doc.slug for doc in tokyo_2012.outcome_documents.order_by("slug")] == [
            "mofa-2012-tokyo-declaration",
            "mofa-2012-tokyo-mutual-accountability-framework",
        ]
        ddr = Conference.objects.get(slug="ddr-conference-tokyo-2003")
        assert (ddr.start_date, ddr.end_date) == (datetime.date(2003, 2, 22), None)
        closure = Event.objects.get(slug="japan-embassy-kabul-closed-1989")
        assert (closure.start_date, closure.start_precision) == (datetime.date(1989, 1, 1), "year")
        reopening = Event.objects.get(slug="afghan-embassy-tokyo-reopens-2002")
        assert reopening.start_date == datetime.date(2002, 12, 16)

    def test_unconfirmed_day_is_not_published(self):
        # facts.md marks the day Japan's embassy resumed work in 2002 as unconfirmed.
        resumed = Event.objects.get(slug="japan-embassy-kabul-resumes-2002")
        assert (resumed.start_date, resumed.start_precision) == (datetime.date(2002, 1, 1), "year")

    def test_programmes_and_events_are_linked(self):
        ddr = AidProgram.objects.get(slug="ddr-afghanistans-new-beginnings")
        assert ddr.pledge.slug == "ddr-conference-tokyo-2003"
        assert {p.organization.slug: p.role for p in ddr.participations.all()} == {"mofa-japan": "1", "undp": "4"}
        assert ddr.events.count() >= 2
        pledge = Event.objects.get(slug="japan-pledges-500-million-tokyo-2002")
        assert pledge.conference.slug == "tokyo-reconstruction-conference-2002"
        assert {host.slug for host in pledge.conference.hosts.all()} == {
            "government-of-japan",
            "united-states",
            "european-union",
            "saudi-arabia",
        }


@pytest.mark.parametrize("name", kinds.import_order())
def test_fixture_file_is_canonical(name):
    path = FIXTURES / f"{name}.json"
    raw = path.read_bytes()
    data = json.loads(raw)
    assert raw == (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")

    model = apps.get_model("history", name)
    translated = {field.name for field in model._meta.fields if hasattr(field, "translated_field")}
    originals = {field.translated_field.name for field in model._meta.fields if hasattr(field, "translated_field")}
    expected = {field.name for field in model._meta.concrete_fields} - NOT_EXPORTED - originals
    expected |= {field.name for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created}
    for obj in data:
        assert set(obj) == {"model", "fields"}, "no pk, nothing else"
        assert obj["model"] == f"history.{name}"
        assert set(obj["fields"]) == expected
        assert translated <= set(obj["fields"])

    keys = [natural_key(name, obj["fields"]) for obj in data]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
