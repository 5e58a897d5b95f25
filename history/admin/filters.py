"""Changelist filters editors asked for: what still lacks a translation or a
citation, and the start year."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from ..models import Citation

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
        # EXISTS rather than a join: a join needs DISTINCT, which sorts the whole table.
        cited = Exists(Citation.objects.filter(**{queryset.model._meta.model_name: OuterRef("pk")}))
        if self.value() == "no":
            return queryset.filter(~cited)
        if self.value() == "yes":
            return queryset.filter(cited)
        return queryset


class StartYearFilter(admin.SimpleListFilter):
    """Start year, offered by decade: the years come from MIN and MAX (two index
    look-ups) rather than a DISTINCT scan of every row, which the date hierarchy
    above the list already does once."""

    title = _("start year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        bounds = model_admin.model._default_manager.aggregate(first=Min("start_date"), last=Max("start_date"))
        if bounds["first"] is None:
            return []
        first, last = bounds["first"].year // 10 * 10, bounds["last"].year // 10 * 10
        return [(f"{decade}s", _("%(decade)ss") % {"decade": decade}) for decade in range(last, first - 1, -10)]

    def queryset(self, request, queryset):
        value = self.value() or ""
        decade = value.endswith("s")
        digits = value[:-1] if decade else value
        # A date holds the years 1 to 9999 (a 20-digit one overflowed into a 500,
        # year 0 was a ValueError): another value matches nothing, and a decade at
        # either end keeps to the years a date holds.
        if not (digits.isdigit() and len(digits) <= 4):
            return queryset if not value else queryset.none()
        year = int(digits)
        if decade:
            first, last = max(year, datetime.MINYEAR), min(year + 9, datetime.MAXYEAR)
            return queryset.filter(start_date__year__gte=first, start_date__year__lte=last)
        if year < datetime.MINYEAR:
            return queryset.none()
        return queryset.filter(start_date__year=year)
