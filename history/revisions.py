"""Revisions: the versions of a record that django-simple-history keeps, and what
changed between two of them.

The admin reads this module twice: the revisions page lists each version's
changes field by field, and an editor whose save is refused because someone
else saved the record first is told what that person changed. (The app is
called `history`; a record's past versions are always called revisions here.)"""

import dataclasses

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext
from modeltranslation.translator import NotRegistered, translator

# Columns that change on every save or are derived; listing them in "what
# changed" would hide the real changes.
NOT_COMPARED = ("version", "search_text", "created_at", "updated_at")


def not_compared(model):
    """Fields left out of "what changed": NOT_COMPARED, and the un-suffixed
    column of each translated field, which only mirrors the default language's."""
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        translated = ()
    return set(NOT_COMPARED) | set(translated)


def diff(model, newer, older, foreign_keys_are_objs=False):
    """simple-history's diff of two revisions without noise: derived columns, and
    a translation going from NULL to "" (both mean "not translated")."""
    delta = newer.diff_against(older, excluded_fields=not_compared(model), foreign_keys_are_objs=foreign_keys_are_objs)
    changes = [c for c in delta.changes if not (c.old in (None, "") and c.new in (None, ""))]
    return dataclasses.replace(delta, changes=changes, changed_fields=[c.field for c in changes])


def _shown(value):
    if value in (None, ""):
        return gettext("(empty)")
    if isinstance(value, list):  # many-to-many rows
        return gettext("%(count)d linked") % {"count": len(value)}
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def describe_delta(model, delta):
    """[(field label, old, new)] for a simple-history ModelDelta."""
    rows = []
    for change in delta.changes:
        try:
            label = str(model._meta.get_field(change.field).verbose_name)
        except FieldDoesNotExist:  # a field since removed from the model
            label = change.field
        rows.append((label, _shown(change.old), _shown(change.new)))
    return rows


def changes_since(record, loaded_version):
    """(newest revision, [(field, old, new)]) between the version an editor
    loaded and the record as it is now; the list is empty when the revisions
    cannot tell (records loaded by loaddata have none)."""
    revisions = record.history.all()
    newest = revisions.first()
    loaded = revisions.filter(version=loaded_version).first()
    if newest is None or loaded is None or newest.pk == loaded.pk:
        return newest, []
    return newest, describe_delta(type(record), diff(type(record), newest, loaded))


def conflict_messages(record, loaded_version):
    """The lines shown to an editor whose save is refused because someone else
    saved the record after the editor opened it."""
    newest, rows = changes_since(record, loaded_version)
    if newest is not None and newest.history_user is not None:
        when = formats.date_format(timezone.localtime(newest.history_date), "DATETIME_FORMAT")
        head = gettext("%(user)s saved this record at %(when)s, after you opened it. Your changes were not saved.") % {
            "user": newest.history_user.get_username(),
            "when": when,
        }
    else:
        head = gettext("Someone else saved this record after you opened it. Your changes were not saved.")
    lines = [head]
    if rows:
        lines.append(gettext("What they changed:"))
        lines += [f"{label}: «{old}» → «{new}»" for label, old, new in rows]
    lines.append(gettext("Open the record again to see the current version, then make your change again."))
    return lines


def revert_reason(reverted_to, user, typed=""):
    """The change reason of a revert: which revision, by whom, and the editor's
    own words if any (simple-history keeps 100 characters)."""
    when = formats.date_format(timezone.localtime(reverted_to.history_date), "DATETIME_FORMAT")
    reason = gettext("Reverted to version of %(when)s by %(user)s") % {"when": when, "user": user.get_username()}
    return f"{reason}: {typed}"[:100] if typed else reason[:100]
