"""Admin forms: right-to-left inputs for Dari and Pashto, the reason for a
change, the version a form was loaded with (no lost updates) and the publish
rules checked together with the citations being saved in the same request.
What changed between revisions, for the refusal of a stale save, is in
history.revisions."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Publishable
from .publishing import can_publish, publish_problem
from .revisions import conflict_messages

# The message of AboutOneRecord.clean() and of its CheckConstraint.
EXACTLY_ONE_SUBJECT = _("Choose exactly one event, conference or aid programme.")


def is_right_to_left(model, name):
    """Whether form field `name` edits a translation into a right-to-left
    language (settings.LANGUAGES_BIDI: Dari and Pashto here)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field such as change_reason
        return False
    # modeltranslation's columns (title_ps) carry their language.
    return getattr(field, "language", None) in settings.LANGUAGES_BIDI


class EditorForm(forms.ModelForm):
    """The base of every admin form and inline form: the input of a Dari or
    Pashto translation gets dir="rtl", so that text is typed and shown right
    to left whatever the admin's own language is."""

    class Media:
        css = {"all": ("history/admin/editor.css",)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if is_right_to_left(self._meta.model, name):
                attrs = field.widget.attrs
                attrs["dir"] = "rtl"
                attrs["class"] = " ".join(filter(None, [attrs.get("class"), "rtl-input"]))


def stored_state(record):
    """{"version": ..., "status": ...} of the record as the database holds it
    now, or None for a record being added."""
    if record.pk is None:
        return None
    return type(record)._default_manager.filter(pk=record.pk).values("version", "status").first()


class PublishableAdminForm(EditorForm):
    """The admin form of every record with a draft/published status.

    The admin sets `editor` (the user) and `citations_in_formset` (whether a
    Citation inline is saved with this form) on a subclass per request. After
    validation, `stored` is the record as the database held it and
    `status_kept` says whether the status was held back from what was asked
    (an editor reverting to a revision with another status)."""

    editor = None
    citations_in_formset = False
    stored = None
    status_kept = False

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
            # from an old revision, but a conflict is about the current one.
            self.initial["loaded_version"] = stored_state(self.instance)["version"]

    def clean(self):
        cleaned = super().clean()
        self.stored = stored_state(self.instance)
        self.check_version()
        self.check_status(cleaned)
        return cleaned

    def check_version(self):
        if self.instance.pk is None:
            return
        loaded = self.cleaned_data.get("loaded_version")
        if loaded is None:
            raise ValidationError(_("This form is incomplete. Open the record again and redo your change."))
        if self.stored is None or self.stored["version"] != loaded:
            raise ValidationError(conflict_messages(self.instance, loaded), code="conflict")

    def check_status(self, cleaned):
        """Settle the status the record is saved with, then refuse it if it is
        published without a citation.

        Only publishers choose the status (the field is read-only for everyone
        else, so a posted value is ignored). For anyone else a new record is a
        draft and a changed or reverted record keeps the status it has: the
        revert form rebuilds the record from an old revision, status included."""
        asked = cleaned.get("status", self.instance.status)
        if can_publish(self.editor):
            status = asked
        else:
            status = self.stored["status"] if self.stored else Publishable.Status.DRAFT
            self.status_kept = asked != status
        self.instance.status = status
        if self.citations_in_formset:
            return  # CitationFormSet counts the citations being saved
        problem = publish_problem(self.instance)
        if problem:
            raise ValidationError(problem)


class SubjectInlineForm(EditorForm):
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
