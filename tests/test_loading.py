"""Records made from the rows a query reads (history.models.loading) are the
records Django's own Model.from_db makes: the same values, the same deferred
fields, the same behaviour afterwards, and the signals Django sends."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init, pre_init
from django.utils import translation

from history.models import Event, Organization
from history.models.loading import MadeFromRows, only_stored, row_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]

MODELS = [model for model in apps.get_app_config("history").get_models() if issubclass(model, MadeFromRows)]


def test_every_model_the_readers_pages_read_is_made_from_rows():
    names = {model.__name__ for model in MODELS}
    assert {"Event", "Conference", "AidProgram", "Source", "Organization", "Citation", "Disagreement", "Claim"} <= names


def shapes(model):
    """Querysets reading every column, a few, and (for records with lines) a line's."""
    few = [field.name for field in model._meta.concrete_fields if not field.primary_key][:2]
    found = {"every column": model.objects.all(), "a few": model.objects.only(*few)}
    if hasattr(model.objects, "for_lines"):
        found["a line"] = model.objects.for_lines()
    return found


def as_read(record):
    """The attribute names and values of the columns a record was read with, as the
    row held them (read from its __dict__: no descriptor asked)."""
    names = [field.attname for field in record._meta.concrete_fields if field.attname in vars(record)]
    return names, [vars(record)[name] for name in names]


def contents(record):
    return {name: value for name, value in vars(record).items() if name != "_state"}


def djangos(model, names, row):
    return models.Model.from_db.__func__(model, "default", names, row)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("language", ("en", "ja", "ps"))
def test_a_record_made_from_a_row_is_the_one_django_makes(model, language):
    with translation.override(language):
        for shape, queryset in shapes(model).items():
            record = queryset.order_by("pk").first()
            assert record is not None, f"the seed has no {model.__name__}"
            names, row = as_read(record)
            # Every field of these models is stored as it is read.
            assert row_plan(model, tuple(names)) == tuple(names)
            made, expected = model.from_db("default", names, row), djangos(model, names, row)
            assert type(made) is model
            assert contents(made) == contents(expected), shape
            assert made.get_deferred_fields() == expected.get_deferred_fields(), shape
            assert (made._state.db, made._state.adding) == ("default", False)
            assert made._state.fields_cache == {}


@pytest.mark.parametrize("language", ("en", "ja"))
def test_a_made_record_behaves_as_djangos_afterwards(language):
    """Assigning a translated field writes the reader's language's column, a
    deferred field is read when asked for, and a relation follows its key."""
    with translation.override(language):
        record = Event.objects.only("slug", "title", "conference").filter(conference__isnull=False).first()
        names, row = as_read(record)
        made, expected = Event.from_db("default", names, row), djangos(Event, names, row)
        for one in (made, expected):
            one.title = "A new title"
        assert contents(made) == contents(expected)
        assert getattr(made, f"title_{language.replace('-', '_')}") == "A new title"
        assert made.summary == expected.summary  # deferred: read now
        assert made.conference == expected.conference


def test_listeners_to_the_constructors_signals_are_heard():
    heard = []

    def after(sender, instance, **kwargs):
        heard.append(("post_init", sender, instance.pk))

    def before(sender, args, kwargs, **extra):
        heard.append(("pre_init", sender, len(args)))

    record = Organization.objects.order_by("pk").first()
    names, row = as_read(record)
    post_init.connect(after, sender=Organization)
    try:
        made = Organization.from_db("default", names, row)
        assert heard == [("post_init", Organization, record.pk)]
        pre_init.connect(before, sender=Organization)
        try:
            heard.clear()
            made = Organization.from_db("default", names, row)
            # pre_init is handed the constructor's arguments: Django makes the record.
            assert heard == [("pre_init", Organization, len(Organization._meta.concrete_fields)),
                             ("post_init", Organization, record.pk)]  # fmt: skip
        finally:
            pre_init.disconnect(before, sender=Organization)
    finally:
        post_init.disconnect(after, sender=Organization)
    assert contents(made) == contents(djangos(Organization, names, row))


def test_a_field_whose_assignment_does_more_than_store_is_left_to_django():
    class Counted:
        def __get__(self, instance, owner):
            return self

        def __set__(self, instance, value):
            instance.__dict__["assigned"] = value

    class WithCounted:
        title = Counted()
        plain = None

    assert only_stored(WithCounted, "plain")
    assert not only_stored(WithCounted, "title")
    assert all(only_stored(Event, field.attname) for field in Event._meta.concrete_fields)
