"""The admin of each content model."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from ..forms import SubjectFormSet, SubjectInlineForm
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
from .base import (
    CitationInline,
    HistoryAdminMixin,
    PublishableAdmin,
    RightToLeftMixin,
    TranslatedAdmin,
    TranslatedHistoryAdmin,
)
from .filters import MissingCitationFilter, MissingTranslationFilter, StartYearFilter

DATES = (_("Dates"), {"fields": (("start_date", "start_precision"), ("end_date", "end_precision"))})


def name_search(field):
    return tuple(f"{field}_{code}" for code in ("en", "ja", "fa_af", "ps"))


class DisagreementInline(RightToLeftMixin, TranslationStackedInline):
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


class CitedRecordAdmin(PublishableAdmin):
    """Events, conferences and programmes: cited, dated, on the timeline."""

    inlines = (CitationInline, DisagreementInline)
    date_hierarchy = "start_date"
    translation_check_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title_en",)}

    @admin.display(description=_("citations"), ordering="citation_total")
    def citations(self, obj):
        return obj.citation_total

    def get_queryset(self, request):
        # One subquery in the page's SELECT instead of one query per row.
        field = self.model._meta.model_name
        counts = (
            Citation.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(total=Count("pk"))
            .values("total")
        )
        return super().get_queryset(request).annotate(citation_total=Coalesce(Subquery(counts), Value(0)))


@admin.register(Event)
class EventAdmin(CitedRecordAdmin):
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
class ConferenceAdmin(CitedRecordAdmin):
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
class AidProgramAdmin(CitedRecordAdmin):
    inlines = (ParticipationInline, CitationInline, DisagreementInline)
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
class OrganizationAdmin(TranslatedHistoryAdmin):
    list_display = ("name", "acronym", "organization_type", "country")
    list_filter = ("organization_type",)
    search_fields = name_search("name") + ("acronym", "slug")
    prepopulated_fields = {"slug": ("acronym",)}
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "organization_type", "country", "url", "description")}),
        (_("Identifiers"), {"classes": ("collapse",), "fields": ("iati_ref",)}),
    )


@admin.register(Province)
class ProvinceAdmin(TranslatedAdmin):
    list_display = ("name", "slug")
    search_fields = name_search("name") + ("slug",)
    prepopulated_fields = {"slug": ("name_en",)}


class ClaimInline(RightToLeftMixin, TranslationTabularInline):
    model = Claim
    fields = ("source", "value", "locator", "quotation", "preferred")
    autocomplete_fields = ("source",)
    extra = 2


@admin.register(Disagreement)
class DisagreementAdmin(TranslatedHistoryAdmin):
    inlines = (ClaimInline,)
    list_display = ("question", "subject_shown")
    list_select_related = ("event", "conference", "aidprogram")
    search_fields = name_search("question") + ("slug",)
    autocomplete_fields = ("event", "conference", "aidprogram")
    prepopulated_fields = {"slug": ("question_en",)}
    fieldsets = (
        (None, {"fields": ("question", "slug", "explanation")}),
        (_("About (choose exactly one)"), {"fields": ("event", "conference", "aidprogram")}),
    )

    @admin.display(description=_("about"))
    def subject_shown(self, obj):
        return obj.subject


@admin.register(Claim)
class ClaimAdmin(TranslatedHistoryAdmin):
    list_display = ("disagreement", "source", "value", "preferred")
    list_filter = ("preferred",)
    list_select_related = ("disagreement", "source")
    search_fields = name_search("value") + ("disagreement__slug", "source__title")
    autocomplete_fields = ("disagreement", "source")


@admin.register(Citation)
class CitationAdmin(HistoryAdminMixin, SimpleHistoryAdmin):
    list_display = ("source", "locator", "subject_shown")
    list_select_related = ("source", "event", "conference", "aidprogram")
    search_fields = ("source__title", "locator", "event__slug", "conference__slug", "aidprogram__slug")
    autocomplete_fields = ("source", "event", "conference", "aidprogram")
    fieldsets = (
        (None, {"fields": ("source", "locator", "quotation")}),
        (_("Cited by (choose exactly one)"), {"fields": ("event", "conference", "aidprogram")}),
    )

    @admin.display(description=_("cited by"))
    def subject_shown(self, obj):
        return obj.subject


@admin.register(Participation)
class ParticipationAdmin(HistoryAdminMixin, SimpleHistoryAdmin):
    list_display = ("aidprogram", "organization", "role")
    list_filter = ("role",)
    list_select_related = ("aidprogram", "organization")
    search_fields = ("aidprogram__slug", "organization__slug", "organization__acronym")
    autocomplete_fields = ("aidprogram", "organization")
