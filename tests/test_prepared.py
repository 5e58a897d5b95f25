"""Record pages read their record and its ties with SQL built once for each kind and
language (history.prepared): what they run and show must be exactly what Django's
own SQL for the same querysets runs and shows, for every record, not only the one
the SQL was first built for."""

import datetime
import decimal
import re

import pytest
from django.db import connection, connections
from django.db.models import prefetch_related_objects
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from history import kinds, prepared
from history.models import AidProgram, Conference, Event, Source
from history.related import read_first_shown
from history.views.records import page_lookups

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]

LANGUAGES = ("en", "ja", "fa-af", "ps")


def built_each_time(name, build, value, limit=None):
    """prepared.rows as Django alone would do it: the queryset and its SQL built
    for this query (a list of ids padded as prepared.rows pads it, so that the SQL
    is comparable)."""
    if isinstance(value, tuple) and 0 < len(value) <= prepared.LIST_LENGTHS[-1]:
        value = prepared.padded(value)
    return django_alone(name, build, value, limit)


def django_alone(name, build, value, limit=None):
    """prepared.rows without it: the query as the page builds it, no padding."""
    queryset = build(value)
    queryset = queryset if limit is None else queryset[:limit]
    queryset._fetch_all()
    return queryset


def most_tied(kind, count=2):
    """Published records of the kind with the most citations (for a source: claims)
    and ties, so that each page runs every query its kind has."""
    relation = "claims" if kind is kinds.SOURCE else "citations"
    records = kind.model.objects.published()
    return sorted(records, key=lambda record: -getattr(record, relation).count())[:count]


def page(client, language, record):
    with translation.override(language):
        url = record.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries], response.content.decode()


def compiled(monkeypatch):
    """A counter of the SQL Django builds from querysets."""
    built = []
    as_sql = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        built.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return built


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda kind: kind.name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_record_page_runs_and_shows_what_djangos_own_sql_does(client, monkeypatch, kind, language):
    first, other = most_tied(kind)
    page(client, language, first)  # the SQL is built here, for another record
    # A list of ids (the claims of its disagreements, its partners) of a length the
    # first record has none of gets its SQL on the other's first page.
    page(client, language, other)
    built = compiled(monkeypatch)
    prepared_on_page, rerun, querysets_built = [], [], []
    rows = prepared.rows

    def counted_rows(name, build, value, limit=None):
        prepared_on_page.append(name)

        def counted_build(value):
            querysets_built.append(name)
            return build(value)

        found = rows(name, counted_build, value, limit)
        # A copy, run after the page (as it is now: the page may change the original's limits).
        rerun.append((values(found), found._chain()))
        return found

    monkeypatch.setattr(prepared, "rows", counted_rows)
    run, shown = page(client, language, other)
    built_when_prepared = len(built)

    monkeypatch.setattr(prepared, "rows", built_each_time)
    built.clear()
    run_by_django, shown_by_django = page(client, language, other)
    built_by_django = len(built)
    monkeypatch.setattr(prepared, "rows", django_alone)
    _run, shown_unpadded = page(client, language, other)

    assert run == run_by_django
    assert shown == shown_by_django == shown_unpadded
    # The querysets given back name this record: Django, running them alone, reads the same rows.
    assert rerun and all(kept == values(copy) for kept, copy in rerun)
    assert any(kept for kept, _copy in rerun[1:])  # ties found, not only empty lists
    assert other.slug in shown and first.slug not in run[0]
    # The record, each tie and the ties' own ties: built once, not for this page.
    ties = len(page_lookups(kind)[0])
    assert len(prepared_on_page) >= 1 + ties
    assert built_when_prepared == built_by_django - len(prepared_on_page)
    # Nor their querysets: each is a copy of one kept, with this record in it.
    assert querysets_built == []


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda kind: kind.name)
@pytest.mark.parametrize("language", ("en", "fa-af"))
def test_a_record_page_shows_what_djangos_own_prefetch_shows(client, monkeypatch, kind, language):
    """history.related.read_ties reads a record's ties, and their own ties, as
    Django's prefetch_related_objects would: the same page either way."""
    from history.views import records

    for record in most_tied(kind, count=3):
        _run, shown = page(client, language, record)
        with monkeypatch.context() as django_alone:
            django_alone.setattr(
                records, "read_ties", lambda name, parents, lookup: prefetch_related_objects(parents, lookup)
            )
            django_alone.setattr(
                "history.related.read_ties", lambda name, parents, lookup: prefetch_related_objects(parents, lookup)
            )
            _run, shown_by_django = page(client, language, record)
        assert shown == shown_by_django


def test_a_missing_or_draft_record_is_not_found_with_the_sql_built_once(client):
    event = Event.objects.published().first()
    assert client.get(event.get_absolute_url()).status_code == 200
    assert client.get("/en/events/no-such-event/").status_code == 404
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_a_tie_kept_on_a_record_and_filtered_again_builds_its_own_sql():
    """What read_first_shown keeps is an ordinary queryset: a filter on it reads
    the database with SQL of its own, not the SQL built once."""
    first, other = most_tied(kinds.EVENT)
    for record in (first, other):
        read_first_shown(record, page_lookups(kinds.EVENT)[0])
    kept = list(other.citations.all())
    assert kept and {citation.event_id for citation in kept} == {other.pk}
    one = kept[-1]
    assert list(other.citations.all().filter(pk=one.pk)) == [one]
    assert list(first.citations.all().filter(pk=one.pk)) == []


def test_a_query_the_value_is_not_in_is_refused_when_its_sql_is_built():
    with pytest.raises(ValueError, match="not a parameter"):
        prepared.rows("every event", lambda pk: Event.objects.filter(pk__gt=0), 5)


def values(records):
    return [{name: value for name, value in vars(record).items() if name != "_state"} for record in records]


@pytest.mark.parametrize("model", [AidProgram, Conference, Event, Source], ids=lambda model: model.__name__)
def test_rows_read_with_converters_worked_out_once_are_what_django_reads(model):
    """A Statement keeps the converters of its columns (decimals, dates and times,
    on SQLite every one of them a text to parse): the records are the same, on a
    later query too, and a compiler on another connection (another request's, in
    another thread) gets the backend's converters of that connection."""
    ids = tuple(model.objects.order_by("pk").values_list("pk", flat=True)[:3])

    def chosen(keys):
        return model.objects.filter(pk__in=keys).order_by("pk")

    expected = values(chosen(ids))
    assert values(prepared.rows(f"{model.__name__} converted", chosen, ids)) == expected
    assert values(prepared.rows(f"{model.__name__} converted", chosen, ids[1:] + ids[:1])) == expected
    assert any(isinstance(value, datetime.datetime) and value.tzinfo for value in expected[0].values())

    queryset = chosen(prepared.padded(ids))
    (shape,) = [shape for key, shape in prepared._shapes.items() if key[0] == f"{model.__name__} converted"]
    statement = shape.statement
    other = connections.create_connection("default")
    try:
        compiler = statement.compiler(queryset.query, prepared.padded(ids), None, other)
        assert compiler.connection is other
        columns = [column for column, *_rest in compiler.select[: compiler.col_count]]
        kept, django = compiler.get_converters(columns), SQLCompiler.get_converters(compiler, columns)
    finally:
        other.close()
    assert kept.keys() == django.keys()
    # psycopg turns PostgreSQL's values into Python's itself: no converter is left.
    assert kept or connection.vendor == "postgresql"
    for place, (steps, expression) in kept.items():
        assert expression is django[place][1]
        assert list(map(made_by, steps)) == list(map(made_by, django[place][0]))
        for step in steps:
            assert getattr(step, "__self__", other.ops) in (other.ops, expression, expression.output_field)


def made_by(converter):
    """A converter's code and what it holds: the same for a method bound to another
    object of its class, or a function made again for the same column."""
    function = getattr(converter, "__func__", converter)
    return function.__code__, [held(cell.cell_contents) for cell in function.__closure__ or ()]


def held(value):
    # SQLite's decimal converter holds a method of a decimal context of its own.
    if isinstance(getattr(value, "__self__", None), decimal.Context):
        return value.__name__, value.__self__.prec
    return value


def test_a_converter_holding_on_to_its_connection_is_asked_of_django_each_time():
    operations = connection.ops

    def held(value, expression, connection):
        return operations

    queryset = Event.objects.filter(pk__in=(1,))
    compiler = queryset.query.get_compiler(using="default")
    (column, *_rest), *_others = compiler.get_select()[0]
    assert prepared._converter_plan(compiler, {0: ([held], column)}) is prepared.ASK_DJANGO
    assert prepared._converter_plan(compiler, {0: ([operations.convert_durationfield_value], column)}) == {
        0: (["convert_durationfield_value"], column)
    }


def test_a_list_of_ids_reads_its_own_rows_each_time(monkeypatch):
    """Lists of ids of lengths with one Statement (padded to the next of
    LIST_LENGTHS with ids no row has), and one longer than the longest."""
    monkeypatch.setattr(prepared, "LIST_LENGTHS", (1, 2, 4))
    ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) > 8

    def events(chosen):
        return Event.objects.filter(pk__in=chosen).order_by("pk")

    for chosen in (ids[:2], ids[2:4], ids[-2:], ids[:3], ids[3:6], ids[5:6], ids[6:7], ids[:5]):
        assert [event.pk for event in prepared.rows("events by id", events, tuple(chosen))] == chosen
    assert prepared.padded((7, 9, 11)) == (7, 9, 11, prepared.NO_ROW_ID)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_timeline_runs_and_shows_what_djangos_own_sql_does(client, monkeypatch, language):
    """A timeline window reads its records with SQL built once for each kind and
    length of list: windows of other kinds and eras, with other records, run the
    SQL Django builds for them and show the same page."""
    with translation.override(language):
        url = reverse("history:timeline")

    def window(params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        return [query["sql"] for query in queries.captured_queries], response.content.decode()

    asked = [{}, {"kind": "event"}, {"era": "reconstruction"}, {"from": "1990"}, {"from": "1960"}]
    for params in asked:
        window(params)  # the SQL is built here, in whichever window first has a list of its length
    prepared_run = [window(params) for params in asked]
    monkeypatch.setattr(prepared, "rows", built_each_time)
    assert prepared_run == [window(params) for params in asked]
    monkeypatch.setattr(prepared, "rows", django_alone)
    assert [shown for _run, shown in prepared_run] == [window(params)[1] for params in asked]
    assert all(shown.count('class="timeline-entry') > 5 for _run, shown in prepared_run)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_record_page_reads_no_column_its_ties_left_unread(client, monkeypatch, language):
    """A record page's ties are read as a list's lines are (for_lines: the reader's
    language and its fallback only): a column left unread and then shown would be
    read again, a query for each tie."""
    from django.db.models import Model

    read_again = []
    refresh = Model.refresh_from_db

    def recorded(self, *args, **kwargs):
        read_again.append((type(self).__name__, kwargs.get("fields")))
        return refresh(self, *args, **kwargs)

    monkeypatch.setattr(Model, "refresh_from_db", recorded)
    for kind in kinds.KINDS:
        for record in most_tied(kind, count=5):
            page(client, language, record)
    assert read_again == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_page_runs_and_shows_what_djangos_own_sql_does(client, monkeypatch, language):
    """The search page reads each kind's results with SQL built once for each
    number of them: another search, with other results, runs the SQL Django builds
    for it and shows the same page."""
    with translation.override(language):
        url = reverse("history:search")

    def searched(query):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": query})
        assert response.status_code == 200
        return [query["sql"] for query in queries.captured_queries], response.content.decode()

    searched("kabul")  # the SQL is built here, for other records
    run, shown = searched("japan")
    monkeypatch.setattr(prepared, "rows", built_each_time)
    assert (run, shown) == searched("japan")
    assert shown.count("<mark>") > 10


def test_the_page_of_disagreements_runs_and_shows_what_djangos_own_sql_does(client, monkeypatch, settings):
    """A page of disagreements reads its rows with SQL built once for each number
    of them: the next page runs the SQL Django builds for it and shows the same."""
    settings.PAGE_SIZE = 4
    address = reverse("history:disagreements")
    first = client.get(address)  # the SQL is built here, for the first page's rows
    after = re.search(r'rel="next" href="\?after=([-\w]+)"', first.content.decode()).group(1)

    def next_page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address, {"after": after})
        assert response.status_code == 200
        return [query["sql"] for query in queries.captured_queries], response.content.decode()

    run, shown = next_page()
    monkeypatch.setattr(prepared, "rows", built_each_time)
    assert (run, shown) == next_page()
    assert shown.count('class="disagreement"') == 4


def test_a_query_with_its_value_in_a_subquery_is_built_for_each_value():
    """Only a plain condition of the queryset's own is filled in with the value: a
    stand-in inside a subquery leaves the queryset to be built each time (its SQL
    still built once), and each value reads its own rows."""
    first, second = Event.objects.published().order_by("pk")[:2]

    def by_subquery(pk):
        return Event.objects.filter(pk__in=Event.objects.filter(pk=pk).values("pk"))

    assert [event.pk for event in prepared.rows("event by subquery", by_subquery, first.pk)] == [first.pk]
    assert [event.pk for event in prepared.rows("event by subquery", by_subquery, second.pk)] == [second.pk]
    (shape,) = [shape for key, shape in prepared._shapes.items() if key[0] == "event by subquery"]
    assert shape.template is None


def test_a_query_sliced_where_it_is_built_is_refused():
    with pytest.raises(ValueError, match="limited by its `limit`"):
        prepared.rows("first event", lambda pk: Event.objects.filter(pk=pk)[:1], 5)
    first = Event.objects.order_by("pk").first()
    assert list(prepared.rows("first event", lambda pk: Event.objects.filter(pk=pk), first.pk, limit=1)) == [first]
