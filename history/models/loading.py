"""Records made from the rows a query reads, as Django's Model.from_db makes them,
with less work for each row.

Django's from_db looks every field up in the list of columns read, then calls the
model's constructor, which modeltranslation wraps (it rewrites the keyword
arguments, of which a row has none) and which assigns each value through the
class's attribute for the field. A search page makes eighty records, a record page
dozens: about 25 µs each. For the fields of these models that assignment only
stores the value in the record's __dict__, so the values are stored there at once.
A model with a field whose assignment does more, or anyone listening to pre_init
(which is handed the constructor's arguments), gets Django's from_db; post_init is
sent as the constructor sends it."""

import functools
import inspect

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init
from modeltranslation.fields import TranslationFieldDescriptor


class MadeFromRows:
    """A model whose records are made from rows by from_row: placed before
    models.Model among a model's bases."""

    @classmethod
    def from_db(cls, db, field_names, values):
        return from_row(cls, db, field_names, values)


def from_row(model, db, field_names, values):
    """Model.from_db(db, field_names, values) for `model`."""
    names = row_plan(model, tuple(field_names))
    if names is None or pre_init.has_listeners(model):
        return Model.from_db.__func__(model, db, field_names, values)
    record = model.__new__(model)
    state = ModelState()
    state.adding, state.db = False, db
    stored = record.__dict__
    stored["_state"] = state
    stored.update(zip(names, values, strict=True))
    post_init.send(sender=model, instance=record)
    return record


@functools.lru_cache(maxsize=256)
def row_plan(model, field_names):
    """The attribute of each value read, in the order Django's from_db takes them
    (the model's concrete fields, those read); None when assigning one of them in
    the constructor does more than store the value."""
    read = set(field_names)
    names = tuple(field.attname for field in model._meta.concrete_fields if field.attname in read)
    return names if all(only_stored(model, name) for name in names) else None


def only_stored(model, name):
    """True when the constructor's assignment of the attribute stores the value
    in the record's __dict__ and does nothing else."""
    attribute = inspect.getattr_static(model, name, None)
    if type(attribute) is TranslationFieldDescriptor:
        # Within the constructor modeltranslation's original field stores the
        # value under its name (and a relation's key too: not a plain store).
        return not attribute.field.is_relation
    if type(attribute) is ForeignKeyDeferredAttribute:
        # A relation's key forgets the related record kept for the old key: a
        # record being made has none.
        return True
    # Django's DeferredAttribute, for every other field, has no __set__.
    return not hasattr(type(attribute), "__set__")
