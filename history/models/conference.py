from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Currency, Publishable, list_indexes, not_negative
from .event import DatedRange


class Conference(Publishable, DatedRange):
    """An international meeting on Afghanistan, usually with pledges."""

    title = models.CharField(_("name"), max_length=250, help_text=_("The conference's official name in English."))
    city = models.CharField(_("city"), max_length=100)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    hosts = models.ManyToManyField(
        "history.Organization",
        verbose_name=_("hosts and co-chairs"),
        blank=True,
        related_name="hosted_conferences",
    )
    countries_attending = models.PositiveSmallIntegerField(
        _("countries attending"),
        null=True,
        blank=True,
        help_text=_("As the conference's own documents give it. Where sources differ, record a disagreement."),
    )
    organizations_attending = models.PositiveSmallIntegerField(_("organisations attending"), null=True, blank=True)
    total_pledged = models.DecimalField(
        _("total pledged"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("All donors together, in the currency below."),
    )
    total_pledged_currency = models.CharField(
        _("currency of the total"), max_length=3, choices=Currency, default=Currency.USD
    )
    total_pledged_period = models.CharField(
        _("period of the total"), max_length=200, blank=True, help_text=_("e.g. 'over five years'.")
    )
    japan_pledge = models.DecimalField(_("Japan's pledge"), max_digits=16, decimal_places=2, null=True, blank=True)
    japan_pledge_currency = models.CharField(
        _("currency of Japan's pledge"), max_length=3, choices=Currency, default=Currency.USD
    )
    japan_pledge_period = models.CharField(_("period of Japan's pledge"), max_length=200, blank=True)
    outcome_documents = models.ManyToManyField(
        "history.Source",
        verbose_name=_("outcome documents"),
        blank=True,
        related_name="conferences_documented",
        help_text=_("Declarations, co-chairs' summaries and frameworks the conference adopted."),
    )
    summary = models.TextField(_("summary"), help_text=_("One or two plain sentences shown in lists."))
    body = models.TextField(_("body"), blank=True, help_text=_("The full account, in Markdown."))

    class Meta:
        ordering = ("start_date", "slug")
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        indexes = list_indexes("conference", ("start_date", "slug"))
        constraints = DatedRange.date_constraints("conference") + [
            not_negative("total_pledged", "conference_total_not_negative"),
            not_negative("japan_pledge", "conference_japan_pledge_not_negative"),
        ]
