"""The two admin classes the content admins build on.

- RevisionsAdmin: simple-history's admin for a record with revisions, whose
  revisions page lists each version's changes field by field without the
  columns every save touches, and the fixture export actions.
- PublishableAdmin: every record with a draft/published status (events,
  conferences, aid programmes, sources): translation tabs, the publish rules,
  a reason for every change, optimistic locking on `version`, normalised search
  and a changelist that stays fast on large tables.

Translated admins add modeltranslation's TabbedTranslationAdmin beside
RevisionsAdmin (its jQuery UI is our vendored copy: settings.JQUERY_UI_URL);
the right-to-left Dari and Pashto inputs come with the forms (history.forms.EditorForm)."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .. import kinds
from ..forms import EditorForm, PublishableAdminForm
from ..models import Citation, Publishable
from ..models.base import review_field_name, translations
from ..publishing import can_publish
from ..revisions import conflict_messages, diff, revert_reason
from ..search import normalize
from .fixtures import EXPORT_ACTIONS


class EditConflict(Exception):
    """Raised inside the save transaction when the record's version moved
    between the form's check and the write; the transaction rolls back."""

    def __init__(self, lines):
        super().__init__(" ".join(lines))
        self.lines = lines


class CappedCountPaginator(Paginator):
    """Counts at most `cap` rows: COUNT(*) over 100,000 rows on every page view is
    the slowest part of a changelist, and nobody pages that far; they filter."""

    cap = 10_000

    @cached_property
    def count(self):
        limited = self.object_list.order_by().values("pk")[: self.cap + 1]
        return min(limited.count(), self.cap)

    @cached_property
    def capped(self):
        return self.count >= self.cap


class BoundedDatesChangeList(ChangeList):
    """The changelist, with a date-hierarchy year too large for a date (20 digits)
    treated as Django treats any other bad lookup: the list again, flagged ?e=1."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class RevisionsAdmin(SimpleHistoryAdmin):
    """A record with revisions (every model the fixtures carry but provinces)."""

    form = EditorForm
    actions = EXPORT_ACTIONS  # every model with revisions is one the fixtures carry
    # simple-history's list with a "what changed" column and no inline styles.
    object_history_list_template = "admin/history/revision_list.html"
    history_list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return BoundedDatesChangeList

    def history_view(self, request, object_id, extra_context=None):
        # simple-history filters on the id as given: a record address that is not a
        # number would be a database error (a 500) rather than a 404.
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        newer = None
        for older in historical_records:
            if newer is not None:
                delta = diff(self.model, newer, older, foreign_keys_are_objs)
                helper = self.get_historical_record_context_helper(request, newer)
                newer.history_delta_changes = helper.context_for_delta_changes(delta)
            newer = older


class PublishableAdmin(RevisionsAdmin, TabbedTranslationAdmin):
    """A translated record with a draft/published status and a version."""

    form = PublishableAdminForm
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    # One normalised column holds every language; see get_search_results.
    search_fields = ("search_text", "slug")
    # Review states, identifiers and notes are rarely edited.
    rarely_used_fields = tuple(review_field_name(code) for code in translations())
    # Fields the "missing a translation" filter checks (admin.filters).
    translation_check_fields = ()

    @admin.display(description=_("published"), boolean=True, ordering="status")
    def is_published(self, obj):
        return obj.is_published

    @admin.display(description=_("citations"), ordering="citation_total")
    def citations(self, obj):
        return obj.citation_total

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not kinds.of(self.model).cited:
            return queryset
        # One subquery in the page's SELECT instead of one query per row.
        field = self.model._meta.model_name
        counts = (
            Citation.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(total=Count("pk"))
            .values("total")
        )
        return queryset.annotate(citation_total=Coalesce(Subquery(counts), Value(0)))

    def get_search_results(self, request, queryset, search_term):
        # The editor's words normalised as the column is (full width, Arabic letter forms).
        return super().get_search_results(request, queryset, normalize(search_term))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj)) + ("version", "updated_at")
        if not can_publish(request.user):
            readonly += ("status",)
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        review = {"classes": ("collapse",), "fields": self.rarely_used_fields + ("version", "updated_at")}
        fieldsets.append((_("Review and record"), review))
        fieldsets.append((_("Saving"), {"fields": ("change_reason", "loaded_version")}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The revert view saves the record without its inlines.
        reverting = getattr(request, "reverting_to", None) is not None
        with_citations = not reverting and any(
            inline.model is Citation for inline in self.get_inline_instances(request, obj)
        )
        return type(form.__name__, (form,), {"editor": request.user, "citations_in_formset": with_citations})

    def change_reason(self, request, obj, form):
        typed = form.cleaned_data.get("change_reason", "").strip()
        reverting_to = getattr(request, "reverting_to", None)
        if reverting_to is not None:
            return revert_reason(reverting_to, request.user, typed)
        if typed:
            return typed
        status_before = form.stored["status"] if form.stored else Publishable.Status.DRAFT
        if status_before != obj.status:
            return gettext("Published") if obj.is_published else gettext("Unpublished")
        return None

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                loaded = form.cleaned_data["loaded_version"]
                moved = type(obj)._default_manager.filter(pk=obj.pk, version=loaded).update(version=F("version") + 1)
                if not moved:
                    raise EditConflict(conflict_messages(obj, loaded))
                obj.version = loaded + 1
            obj._change_reason = self.change_reason(request, obj, form)
            super().save_model(request, obj, form, change)
        if form.status_kept:
            message = gettext("The status stays “%(status)s”: only publishers can publish or unpublish a record.")
            self.message_user(request, message % {"status": obj.get_status_display()}, messages.WARNING)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # Only reached when two saves race past the form's check; the
            # transaction has been rolled back.
            return self.refuse(request, conflict)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_to = self.model.history.model.objects.filter(pk=version_id).first()
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict as conflict:
            return self.refuse(request, conflict)

    def refuse(self, request, conflict):
        for line in conflict.lines:
            self.message_user(request, line, messages.ERROR)
        return HttpResponseRedirect(request.path)
