from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import Publishable, list_indexes, precision_field


class DatedRange(models.Model):
    """A start date and an optional end date, each with its precision."""

    start_date = models.DateField(
        _("start date"), help_text=_("For a year or month alone, enter its first day and set the precision.")
    )
    start_precision = precision_field(_("start date precision"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Only for things that lasted more than one day.")
    )
    end_precision = precision_field(_("end date precision"))

    class Meta:
        abstract = True

    @classmethod
    def date_constraints(cls, name):
        return [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name=f"{name}_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]


class Event(Publishable, DatedRange):
    """A dated happening on the timeline."""

    class Type(models.TextChoices):
        RELATIONS = "relations", _("relations established")
        TREATY = "treaty", _("treaty")
        LEGATION_OPENED = "legation-opened", _("legation opened")
        EMBASSY_OPENED = "embassy-opened", _("embassy opened")
        EMBASSY_UPGRADED = "embassy-upgraded", _("mission upgraded to embassy")
        EMBASSY_CLOSED = "embassy-closed", _("embassy closed")
        EMBASSY_REOPENED = "embassy-reopened", _("embassy reopened")
        EMBASSY_SUSPENDED = "embassy-suspended", _("embassy suspended its work")
        DOWNGRADED = "downgraded", _("representation downgraded")
        VISIT = "visit", _("high-level visit")
        CONFERENCE = "conference", _("conference")
        AGREEMENT = "agreement", _("agreement or grant signed")
        PLEDGE = "pledge", _("pledge")
        ANNOUNCEMENT = "announcement", _("announcement")
        EVACUATION = "evacuation", _("evacuation")
        HUMANITARIAN = "humanitarian", _("humanitarian aid")
        OTHER = "other", _("other")

    title = models.CharField(
        _("title"), max_length=200, help_text=_("A short headline, e.g. 'Japan opens a legation in Kabul'.")
    )
    event_type = models.CharField(_("type"), max_length=20, choices=Type, default=Type.OTHER)
    location = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("City, and country if not obvious.")
    )
    milestone = models.BooleanField(
        _("milestone"),
        default=False,
        help_text=_("Milestones are shown on the home page and highlighted on the timeline."),
    )
    summary = models.TextField(_("summary"), help_text=_("One or two plain sentences shown in lists and feeds."))
    body = models.TextField(
        _("body"), blank=True, help_text=_("The full account, in Markdown. Cite sources below, not in the text.")
    )
    conference = models.ForeignKey(
        "history.Conference",
        verbose_name=_("conference"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    aidprograms = models.ManyToManyField(
        "history.AidProgram",
        verbose_name=_("aid programmes"),
        blank=True,
        related_name="events",
    )

    class Meta:
        ordering = ("start_date", "slug")
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = DatedRange.date_constraints("event")
        indexes = list_indexes("event", ("start_date", "slug"), "event_type", "milestone")
