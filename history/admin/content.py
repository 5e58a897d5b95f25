"""The admin of each content model. Each class adds what it needs in place to one
of two bases (admin.base): PublishableAdmin for records with a status,
RevisionsAdmin for the rest, beside modeltranslation's TabbedTranslationAdmin
where the model is translated."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline
from modeltranslation.utils import build_localized_fieldname, get_translation_fields

from ..forms import CitationFormSet, EditorForm, SubjectFormSet, SubjectInlineForm
from ..models import (
    AidProgram,
    Citation,
    Claim,
    Conference,
    Disagreement,
    Event,
    Organization,
    Participation,
    Province,
    Source,
)
from ..models.citation import SUBJECT_FIELDS
from .base import PublishableAdmin, RevisionsAdmin
from .filters import MissingCitationFilter, MissingTranslationFilter, StartYearFilter
from .fixtures import EXPORT_ACTIONS

DATES = (_("Dates"), {"fields": (("start_date", "start_precision"), ("end_date", "end_precision"))})
# What the "missing a translation" filter checks on events, conferences and programmes.
CITED_TRANSLATION_CHECK = ("title", "summary")


def name_search(field):
    """The field's column in every language (settings.LANGUAGES)."""
    return tuple(get_translation_fields(field))


def in_default_language(field):
    """The column of the text written first (settings.LANGUAGE_CODE), which slugs follow."""
    return build_localized_fieldname(field, settings.LANGUAGE_CODE)


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


class DisagreementInline(TranslationStackedInline):
    model = Disagreement
    form = SubjectInlineForm
    formset = SubjectFormSet
    fields = ("slug", "question", "explanation")
    extra = 0
    show_change_link = True
    verbose_name_plural = _("Disagreements between sources (add each source's value on the disagreement's own page)")


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ("organization", "role")
    autocomplete_fields = ("organization",)
    extra = 1


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    inlines = (CitationInline, DisagreementInline)
    prepopulated_fields = {"slug": (in_default_language("title"),)}
    date_hierarchy = "start_date"
    translation_check_fields = CITED_TRANSLATION_CHECK
    list_display = ("title", "start_date", "event_type", "milestone", "is_published", "citations", "conference")
    list_filter = (
        "status",
        "event_type",
        "milestone",
        StartYearFilter,
        MissingTranslationFilter,
        MissingCitationFilter,
    )
    list_select_related = ("conference",)
    autocomplete_fields = ("conference", "aidprograms")
    fieldsets = (
        (None, {"fields": ("title", "slug", "event_type", "status", "milestone")}),
        DATES,
        (_("Text"), {"fields": ("location", "summary", "body")}),
        (_("Related records"), {"fields": ("conference", "aidprograms")}),
    )


@admin.register(Conference)
class ConferenceAdmin(PublishableAdmin):
    inlines = (CitationInline, DisagreementInline)
    prepopulated_fields = {"slug": (in_default_language("title"),)}
    date_hierarchy = "start_date"
    translation_check_fields = CITED_TRANSLATION_CHECK
    list_display = ("title", "start_date", "city", "is_published", "citations")
    list_filter = ("status", StartYearFilter, MissingTranslationFilter, MissingCitationFilter)
    autocomplete_fields = ("hosts", "outcome_documents")
    fieldsets = (
        (None, {"fields": ("title", "slug", "status")}),
        DATES,
        (
            _("Place and people"),
            {"fields": ("city", "venue", "hosts", "countries_attending", "organizations_attending")},
        ),
        (
            _("Pledges"),
            {
                "fields": (
                    ("total_pledged", "total_pledged_currency"),
                    "total_pledged_period",
                    ("japan_pledge", "japan_pledge_currency"),
                    "japan_pledge_period",
                )
            },
        ),
        (_("Text"), {"fields": ("summary", "body", "outcome_documents")}),
    )


@admin.register(AidProgram)
class AidProgramAdmin(PublishableAdmin):
    inlines = (ParticipationInline, CitationInline, DisagreementInline)
    prepopulated_fields = {"slug": (in_default_language("title"),)}
    date_hierarchy = "start_date"
    translation_check_fields = CITED_TRANSLATION_CHECK
    list_display = ("title", "start_date", "sector", "activity_status", "is_published", "citations", "pledge")
    list_filter = (
        "status",
        "sector",
        "activity_status",
        "finance_type",
        "channel",
        StartYearFilter,
        MissingTranslationFilter,
        MissingCitationFilter,
    )
    list_select_related = ("pledge",)
    autocomplete_fields = ("pledge", "provinces")
    rarely_used_fields = ("iati_identifier",) + PublishableAdmin.rarely_used_fields
    fieldsets = (
        (None, {"fields": ("title", "slug", "status")}),
        (_("Kind of aid"), {"fields": ("sector", "activity_status", "finance_type", "channel")}),
        (
            _("Dates"),
            {
                "fields": (
                    ("start_date", "start_precision", "start_type"),
                    ("end_date", "end_precision", "end_type"),
                )
            },
        ),
        (_("Money"), {"fields": (("amount", "currency"), "amount_note", "pledge")}),
        (_("Text"), {"fields": ("summary", "body", "provinces")}),
    )


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    list_display = ("title", "source_type", "publisher", "published_date", "reliability", "is_published")
    list_filter = ("status", "source_type", "reliability", "language")
    list_select_related = ("publisher",)
    autocomplete_fields = ("publisher",)
    date_hierarchy = "published_date"
    prepopulated_fields = {"slug": ("title",)}
    translation_check_fields = ("description",)
    rarely_used_fields = ("notes",) + PublishableAdmin.rarely_used_fields
    fieldsets = (
        (None, {"fields": ("title", "slug", "source_type", "status")}),
        (
            _("Publication"),
            {
                "fields": (
                    "author",
                    "publisher",
                    ("published_date", "published_precision"),
                    "language",
                    "reliability",
                )
            },
        ),
        (_("Where to find it"), {"fields": ("url", "archive_url", "accessed")}),
        (_("For readers"), {"fields": ("description",)}),
    )


@admin.register(Organization)
class OrganizationAdmin(RevisionsAdmin, TabbedTranslationAdmin):
    list_display = ("name", "acronym", "organization_type", "country")
    list_filter = ("organization_type",)
    search_fields = name_search("name") + ("acronym", "slug")
    prepopulated_fields = {"slug": ("acronym",)}
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "organization_type", "country", "url", "description")}),
        (_("Identifiers"), {"classes": ("collapse",), "fields": ("iati_ref",)}),
    )


@admin.register(Province)
class ProvinceAdmin(TabbedTranslationAdmin):
    form = EditorForm
    actions = EXPORT_ACTIONS
    list_display = ("name", "slug")
    search_fields = name_search("name") + ("slug",)
    prepopulated_fields = {"slug": (in_default_language("name"),)}


class ClaimInline(TranslationTabularInline):
    model = Claim
    form = EditorForm
    fields = ("source", "value", "locator", "quotation", "preferred")
    autocomplete_fields = ("source",)
    extra = 2


@admin.register(Disagreement)
class DisagreementAdmin(RevisionsAdmin, TabbedTranslationAdmin):
    inlines = (ClaimInline,)
    list_display = ("question", "subject_shown")
    list_select_related = SUBJECT_FIELDS
    search_fields = name_search("question") + ("slug",)
    autocomplete_fields = SUBJECT_FIELDS
    prepopulated_fields = {"slug": (in_default_language("question"),)}
    fieldsets = (
        (None, {"fields": ("question", "slug", "explanation")}),
        (_("About (choose exactly one)"), {"fields": SUBJECT_FIELDS}),
    )

    @admin.display(description=_("about"))
    def subject_shown(self, obj):
        return obj.subject


@admin.register(Claim)
class ClaimAdmin(RevisionsAdmin, TabbedTranslationAdmin):
    list_display = ("disagreement", "source", "value", "preferred")
    list_filter = ("preferred",)
    list_select_related = ("disagreement", "source")
    search_fields = name_search("value") + ("disagreement__slug", "source__title")
    autocomplete_fields = ("disagreement", "source")


@admin.register(Citation)
class CitationAdmin(RevisionsAdmin):
    list_display = ("source", "locator", "subject_shown")
    list_select_related = ("source", *SUBJECT_FIELDS)
    search_fields = ("source__title", "locator", *(f"{field}__slug" for field in SUBJECT_FIELDS))
    autocomplete_fields = ("source", *SUBJECT_FIELDS)
    fieldsets = (
        (None, {"fields": ("source", "locator", "quotation")}),
        (_("Cited by (choose exactly one)"), {"fields": SUBJECT_FIELDS}),
    )

    @admin.display(description=_("cited by"))
    def subject_shown(self, obj):
        return obj.subject


@admin.register(Participation)
class ParticipationAdmin(RevisionsAdmin):
    list_display = ("aidprogram", "organization", "role")
    list_filter = ("role",)
    list_select_related = ("aidprogram", "organization")
    search_fields = ("aidprogram__slug", "organization__slug", "organization__acronym")
    autocomplete_fields = ("aidprogram", "organization")
