"""A choice's label in the reader's language, read from a table made once a field
and language.

Django's get_FOO_display() makes the field's choices hashable on every call,
which translates every label: 17 gettext calls to show one event's type. The
events list spent a fifth of its time there."""

import functools

from django.utils.translation import get_language


@functools.lru_cache(maxsize=512)
def _labels(field, language):
    # `language` is the key only: the labels are translated under it, as it is active.
    return {value: str(label) for value, label in field.flatchoices}


def choice_label(record, name):
    """What record.get_<name>_display() returns: the label of the stored value, or
    the value itself when it is not one of the choices."""
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    return _labels(field, get_language()).get(value, value)
