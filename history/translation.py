"""Translated columns (modeltranslation) and revision history (simple-history).

simple-history is registered here, after the translated fields exist: declaring
HistoricalRecords() on a model that modeltranslation patches fails."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
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


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Province)
class ProvinceTranslation(TranslationOptions):
    fields = ("name",)


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("description",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "location", "summary", "body")
    required_languages = {"en": ("title", "summary")}


@register(Conference)
class ConferenceTranslation(TranslationOptions):
    fields = ("title", "city", "venue", "total_pledged_period", "japan_pledge_period", "summary", "body")
    required_languages = {"en": ("title", "city", "summary")}


@register(AidProgram)
class AidProgramTranslation(TranslationOptions):
    fields = ("title", "amount_note", "summary", "body")
    required_languages = {"en": ("title", "summary")}


@register(Disagreement)
class DisagreementTranslation(TranslationOptions):
    fields = ("question", "explanation")
    required_languages = {"en": ("question",)}


@register(Claim)
class ClaimTranslation(TranslationOptions):
    fields = ("value",)
    required_languages = {"en": ("value",)}


simple_history.register(Organization)
simple_history.register(Source)
simple_history.register(Event, m2m_fields=["aidprograms"])
simple_history.register(Conference, m2m_fields=["hosts", "outcome_documents"])
simple_history.register(AidProgram, m2m_fields=["provinces"])
simple_history.register(Participation)
simple_history.register(Citation)
simple_history.register(Disagreement)
simple_history.register(Claim)
