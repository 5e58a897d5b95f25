"""Admin forms: right-to-left inputs for Dari and Pashto, the reason for a
change, the version a form was loaded with (no lost updates) and the publish
rules checked together with the citations being saved in the same request."""

import dataclasses

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from .publishing import NOT_A_PUBLISHER_MESSAGE, can_publish, publish_problem

RTL_SUFFIXES = ("_fa_af", "_ps")

# The message of AboutOneRecord.clean() and of its CheckConstraint.
EXACTLY_ONE_SUBJECT = _("Choose exactly one event, conference or aid programme.")

# Columns that change on every save or are derived; listing them in "what
# changed" would hide the real changes.
NOT_COMPARED = ("version", "search_text", "created_at", "updated_at")


def is_rtl_field(name):
    return name.endswith(RTL_SUFFIXES)


def mark_rtl(name, formfield):
    """Give the input of a Dari or Pashto translation dir="rtl", so that text is
    typed and shown right to left whatever the admin's own language is."""
    if formfield is not None and is_rtl_field(name):
        formfield.widget.attrs["dir"] = "rtl"
        formfield.widget.attrs["class"] = " ".join(filter(None, [formfield.widget.attrs.get("class"), "rtl-input"]))
    return formfield


def _shown(value):
    if value in (None, ""):
        return gettext("(empty)")
    if isinstance(value, list):  # many-to-many rows
        return gettext("%(count)d linked") % {"count": len(value)}
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def not_compared(model):
    """Fields left out of "what changed": NOT_COMPARED, and the un-suffixed
    column of each translated field, which only mirrors the English one."""
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        translated = ()
    return set(NOT_COMPARED) | set(translated)


def diff(model, newer, older, foreign_keys_are_objs=False):
    """simple-history's diff of two versions without noise: derived columns, and
    a translation going from NULL to "" (both mean "not translated")."""
    delta = newer.diff_against(older, excluded_fields=not_compared(model), foreign_keys_are_objs=foreign_keys_are_objs)
    changes = [c for c in delta.changes if not (c.old in (None, "") and c.new in (None, ""))]
    return dataclasses.replace(delta, changes=changes, changed_fields=[c.field for c in changes])


def describe_delta(model, delta):
    """[(field label, old, new)] for a simple-history ModelDelta."""
    rows = []
    for change in delta.changes:
        try:
            label = str(model._meta.get_field(change.field).verbose_name)
        except Exception:  # a field since removed from the model
            label = change.field
        rows.append((label, _shown(change.old), _shown(change.new)))
    return rows


def changes_since(record, loaded_version):
    """(latest history row, [(field, old, new)]) between the version an editor
    loaded and the record as it is now; ([], None) when history cannot tell."""
    history = record.history.all()
    newest = history.first()
    loaded = history.filter(version=loaded_version).first()
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


def current_version(record):
    return type(record)._default_manager.filter(pk=record.pk).values_list("version", flat=True).first()


class PublishableAdminForm(forms.ModelForm):
    """The admin form of every record with a draft/published status.

    The admin sets `editor` (the user) and `citations_in_formset` (whether a
    Citation inline is saved with this form) on a subclass per request."""

    editor = None
    citations_in_formset = False

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=100,
        required=False,
        help_text=_("Optional. A few words for the history page, e.g. 'date corrected from the MOFA page'."),
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            # Read from the database, not the instance: the revert form is built
            # from an old version, but a conflict is about the current one.
            self.initial["loaded_version"] = current_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        self.check_version()
        self.check_status(cleaned)
        return cleaned

    def check_version(self):
        if self.instance.pk is None:
            return
        loaded = self.cleaned_data.get("loaded_version")
        if loaded is None:
            raise ValidationError(_("This form is incomplete. Open the record again and redo your change."))
        if current_version(self.instance) != loaded:
            raise ValidationError(conflict_messages(self.instance, loaded), code="conflict")

    def check_status(self, cleaned):
        if "status" in self.fields and "status" in self.changed_data and not can_publish(self.editor):
            self.add_error("status", NOT_A_PUBLISHER_MESSAGE)
            return
        if self.citations_in_formset:
            return  # CitationFormSet counts the citations being saved
        status = cleaned.get("status", self.instance.status)
        original = self.instance.status
        self.instance.status = status
        try:
            problem = publish_problem(self.instance)
        finally:
            self.instance.status = original
        if problem:
            raise ValidationError(problem)


class SubjectInlineForm(forms.ModelForm):
    """A citation or disagreement row in the form of the record it is about.

    While a new record is being added, the row's foreign key to it is still
    empty when the row is validated, so the model's "choose exactly one event,
    conference or aid programme" check (clean() and the CheckConstraint) fails.
    The row is about the record being added, and the formset sets the key when
    it saves; drop that one error in that one case."""

    parent_pending = False

    def _post_clean(self):
        super()._post_clean()
        errors = self._errors.get(NON_FIELD_ERRORS) if self._errors else None
        if not (self.parent_pending and errors):
            return
        kept = [error for error in errors.as_data() if str(error.message) != str(EXACTLY_ONE_SUBJECT)]
        if kept:
            self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield", renderer=self.renderer)
        else:
            del self._errors[NON_FIELD_ERRORS]


class SubjectFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.parent_pending = self.instance.pk is None
        return form


class CitationFormSet(SubjectFormSet):
    """Refuses to publish a record left without citations, counting the rows
    being saved in this request rather than those already in the database."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("source") and not data.get("DELETE"):
                kept += 1
        problem = publish_problem(self.instance, citation_count=kept)
        if problem:
            raise ValidationError(problem)
