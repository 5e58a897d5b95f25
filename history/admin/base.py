"""Behaviour shared by the content admins: translation tabs with right-to-left
Dari and Pashto inputs, revision history with a reason for every change,
optimistic locking on `version`, the publish rules, normalised search and a
changelist that stays fast on large tables."""

from django import forms
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..forms import CitationFormSet, PublishableAdminForm, SubjectInlineForm, conflict_messages, diff, mark_rtl
from ..models import Citation, Publishable
from ..publishing import can_publish
from ..search import normalize


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


class RightToLeftMixin:
    """dir="rtl" on every Dari and Pashto input, in forms and inlines alike."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return mark_rtl(db_field.name, super().formfield_for_dbfield(db_field, request, **kwargs))


# modeltranslation's TabbedTranslationAdmin takes jQuery UI's address from its
# JQUERY_UI_URL setting, a Google CDN by default. We declare the same media with
# our vendored copy instead, so no setting can make the admin load from a CDN.
JQUERY_UI = "history/vendor/jquery-ui/jquery-ui.min.js"


class TranslatedAdmin(RightToLeftMixin, TranslationAdmin):
    """Translated fields shown as one tab per language."""

    class Media:
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            JQUERY_UI,
            "modeltranslation/js/tabbed_translation_fields.js",
        )
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css", "history/admin/editor.css")}


class HistoryAdminMixin:
    """simple-history's admin with field-by-field changes that leave out the
    columns every save touches, and a template without inline styles."""

    object_history_list_template = "admin/history/object_history_list.html"
    history_list_per_page = 50

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = diff(self.model, previous, current, foreign_keys_are_objs)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class TranslatedHistoryAdmin(HistoryAdminMixin, SimpleHistoryAdmin, TranslatedAdmin):
    """For translated models with history but no status (organisations,
    disagreements, claims)."""


class NormalisedSearchMixin:
    """Search the normalised column that holds every language, with the
    editor's words normalised the same way (full width, Arabic letter forms)."""

    search_fields = ("search_text", "slug")

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalize(search_term))


class PublishableAdmin(NormalisedSearchMixin, TranslatedHistoryAdmin):
    form = PublishableAdminForm
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    # Review states, identifiers and notes are rarely edited.
    rarely_used_fields = ("review_ja", "review_fa_af", "review_ps")
    translation_check_fields = ()

    @admin.display(description=_("published"), boolean=True, ordering="status")
    def is_published(self, obj):
        return obj.status == Publishable.Status.PUBLISHED

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj)) + ("version", "updated_at")
        if not can_publish(request.user):
            readonly += ("status",)
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        fieldsets.append(
            (
                _("Review and record"),
                {
                    "classes": ("collapse",),
                    "fields": self.rarely_used_fields + ("version", "updated_at"),
                },
            )
        )
        fieldsets.append((_("Saving"), {"fields": ("change_reason", "loaded_version")}))
        return fieldsets

    def has_citation_inline(self, request, obj):
        if getattr(request, "history_revert", None) is not None:
            return False  # the revert view saves the record without its inlines
        return any(isinstance(inline, CitationInline) for inline in self.get_inline_instances(request, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {"editor": request.user, "citations_in_formset": self.has_citation_inline(request, obj)}
        return type(form.__name__, (form,), attrs)

    def change_reason(self, request, obj, form, status_before):
        typed = form.cleaned_data.get("change_reason", "").strip()
        reverted_to = getattr(request, "history_revert", None)
        if reverted_to is not None:
            when = formats.date_format(timezone.localtime(reverted_to.history_date), "DATETIME_FORMAT")
            reason = gettext("Reverted to version of %(when)s by %(user)s") % {
                "when": when,
                "user": request.user.get_username(),
            }
            return f"{reason}: {typed}"[:100] if typed else reason[:100]
        if typed:
            return typed
        if status_before != obj.status:
            return gettext("Published") if obj.is_published else gettext("Unpublished")
        return None

    def save_model(self, request, obj, form, change):
        model = type(obj)
        with transaction.atomic():
            stored = model._default_manager.filter(pk=obj.pk).values("status").first() if change else None
            status_before = stored["status"] if stored else Publishable.Status.DRAFT
            if not can_publish(request.user):
                # The status field is read-only for editors, but a revert
                # rebuilds the whole record from an old version: keep the status.
                obj.status = status_before
            if change:
                loaded = form.cleaned_data["loaded_version"]
                moved = model._default_manager.filter(pk=obj.pk, version=loaded).update(version=F("version") + 1)
                if not moved:
                    raise EditConflict(conflict_messages(obj, loaded))
                obj.version = loaded + 1
            obj._change_reason = self.change_reason(request, obj, form, status_before)
            super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # Only reached when two saves race past the form's check; the
            # transaction has been rolled back.
            for line in conflict.lines:
                self.message_user(request, line, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history_model = self.model.history.model
        request.history_revert = history_model.objects.filter(pk=version_id).first()
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict as conflict:
            for line in conflict.lines:
                self.message_user(request, line, messages.ERROR)
            return HttpResponseRedirect(request.path)


class CitationInline(admin.TabularInline):
    model = Citation
    form = SubjectInlineForm
    formset = CitationFormSet
    # A quotation is a short phrase; a full-size textarea would make each row tall.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}
    fields = ("source", "locator", "quotation")
    autocomplete_fields = ("source",)
    extra = 1
    verbose_name_plural = _("Citations (every published record needs at least one)")
