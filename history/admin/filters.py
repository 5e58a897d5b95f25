"""Changelist filters editors asked for: what still lacks a translation or a
citation, and the start year."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

# Languages a record is translated into, after the English original.
TRANSLATION_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def missing_in(fields, code):
    """Q for records where any of `fields` is empty in language `code`."""
    condition = Q()
    for field in fields:
        column = build_localized_fieldname(field, code)
        condition |= Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
    return condition


class MissingTranslationFilter(admin.SimpleListFilter):
    """Records whose checked fields (the admin's `translation_check_fields`,
    e.g. title and summary) are empty in some language."""

    title = _("missing a translation")
    parameter_name = "missing_translation"

    def lookups(self, request, model_admin):
        return [("any", _("in any language"))] + [
            (code.replace("-", "_"), name) for code, name in TRANSLATION_LANGUAGES
        ]

    def queryset(self, request, queryset):
        fields = getattr(self._model_admin, "translation_check_fields", ())
        value = self.value()
        if not value or not fields:
            return queryset
        codes = [code for code, _name in TRANSLATION_LANGUAGES]
        if value != "any":
            codes = [code for code in codes if code.replace("-", "_") == value]
        condition = Q()
        for code in codes:
            condition |= missing_in(fields, code)
        return queryset.filter(condition) if codes else queryset

    def __init__(self, request, params, model, model_admin):
        self._model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class MissingCitationFilter(admin.SimpleListFilter):
    title = _("citations")
    parameter_name = "cited"

    def lookups(self, request, model_admin):
        return [("no", _("missing a citation")), ("yes", _("has a citation"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(citations__isnull=True)
        if self.value() == "yes":
            return queryset.filter(citations__isnull=False).distinct()
        return queryset


class StartYearFilter(admin.SimpleListFilter):
    title = _("start year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model._default_manager.dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(start_date__year=int(self.value()))
        return queryset
