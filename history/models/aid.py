from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Currency, Publishable, list_indexes, not_negative
from .event import DatedRange
from .loading import MadeFromRows


class AidProgram(Publishable, DatedRange):
    """A programme of Japanese aid, described along the lines of an IATI activity."""

    class Sector(models.TextChoices):
        # OECD DAC purpose codes (5 digits), the ones this history needs.
        PUBLIC_SECTOR = "15110", _("public sector policy and administration")
        SECURITY_SYSTEM = "15210", _("security system management and reform")
        PEACEBUILDING = "15220", _("civilian peace-building and conflict prevention")
        REINTEGRATION = "15240", _("reintegration and small arms control")
        DEMINING = "15250", _("removal of land mines")
        LITERACY = "11230", _("basic life skills for adults (literacy)")
        HIGHER_EDUCATION = "11420", _("higher education and scholarships")
        BASIC_HEALTH = "12220", _("basic health care")
        INFECTIOUS_DISEASE = "12250", _("infectious disease control")
        MATERNAL_HEALTH = "13020", _("reproductive and maternal health")
        AIR_TRANSPORT = "21050", _("air transport")
        URBAN = "43030", _("urban development and management")
        AGRICULTURE = "31120", _("agricultural development")
        IRRIGATION = "31140", _("agricultural water resources")
        RELIEF = "72010", _("material relief assistance")
        FOOD_AID = "72040", _("emergency food assistance")
        RECONSTRUCTION = "73010", _("reconstruction and rehabilitation")
        REFUGEES = "93010", _("refugees and displaced people")

    class ActivityStatus(models.TextChoices):
        # IATI ActivityStatus codelist.
        PIPELINE = "1", _("pipeline or identification")
        IMPLEMENTATION = "2", _("implementation")
        FINALISATION = "3", _("finalisation")
        CLOSED = "4", _("closed")
        CANCELLED = "5", _("cancelled")
        SUSPENDED = "6", _("suspended")

    class FinanceType(models.TextChoices):
        GRANT = "grant", _("grant")
        LOAN = "loan", _("loan")
        TECHNICAL = "technical", _("technical cooperation")

    class Channel(models.TextChoices):
        BILATERAL = "bilateral", _("bilateral")
        MULTILATERAL = "multilateral", _("through a multilateral organisation")

    class DateType(models.TextChoices):
        # IATI ActivityDateType, without the start/end distinction the field gives.
        PLANNED = "planned", _("planned")
        ACTUAL = "actual", _("actual")

    title = models.CharField(_("title"), max_length=250)
    iati_identifier = models.CharField(
        _("IATI identifier"),
        max_length=100,
        blank=True,
        help_text=_("Only if the programme is published in the IATI registry."),
    )
    sector = models.CharField(_("sector"), max_length=5, choices=Sector, help_text=_("OECD DAC purpose code."))
    activity_status = models.CharField(
        _("activity status"), max_length=1, choices=ActivityStatus, default=ActivityStatus.CLOSED
    )
    finance_type = models.CharField(_("finance type"), max_length=10, choices=FinanceType, default=FinanceType.GRANT)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel, default=Channel.BILATERAL)
    start_type = models.CharField(_("start is"), max_length=7, choices=DateType, default=DateType.ACTUAL)
    end_type = models.CharField(_("end is"), max_length=7, choices=DateType, default=DateType.ACTUAL)
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Japan's funding, in the currency below. Leave empty when no figure is sourced."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, default=Currency.USD)
    amount_note = models.CharField(
        _("about the amount"),
        max_length=300,
        blank=True,
        help_text=_("What the amount covers, e.g. 'phase 2 only' or 'over US$91 million in all'."),
    )
    pledge = models.ForeignKey(
        "history.Conference",
        verbose_name=_("delivers on the pledge of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aidprograms",
    )
    organizations = models.ManyToManyField(
        "history.Organization",
        through="history.Participation",
        verbose_name=_("participating organisations"),
        related_name="aidprograms",
    )
    provinces = models.ManyToManyField(
        "history.Province", verbose_name=_("provinces"), blank=True, related_name="aidprograms"
    )
    summary = models.TextField(_("summary"), help_text=_("One or two plain sentences shown in lists."))
    body = models.TextField(_("body"), blank=True, help_text=_("The full account, in Markdown."))

    class Meta:
        ordering = ("start_date", "slug")
        verbose_name = _("aid programme")
        verbose_name_plural = _("aid programmes")
        indexes = list_indexes("aidprogram", ("start_date", "slug"), "sector", "activity_status")
        constraints = DatedRange.date_constraints("aidprogram") + [
            not_negative("amount", "aidprogram_amount_not_negative"),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="aidprogram_unique_iati_identifier",
            ),
        ]


class ParticipationManager(models.Manager):
    def get_by_natural_key(self, aidprogram, organization, role):
        return self.get(aidprogram__slug=aidprogram, organization__slug=organization, role=role)


class Participation(MadeFromRows, models.Model):
    """An organisation's role in a programme (IATI OrganisationRole)."""

    class Role(models.TextChoices):
        FUNDING = "1", _("funding")
        ACCOUNTABLE = "2", _("accountable")
        EXTENDING = "3", _("extending")
        IMPLEMENTING = "4", _("implementing")

    aidprogram = models.ForeignKey(
        AidProgram, verbose_name=_("aid programme"), on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        "history.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=1, choices=Role)

    objects = ParticipationManager()

    class Meta:
        ordering = ("aidprogram", "role", "organization")
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(fields=["aidprogram", "organization", "role"], name="participation_unique"),
        ]

    def __str__(self):
        return f"{self.organization.short_name}: {self.get_role_display()}"

    def natural_key(self):
        return (self.aidprogram.slug, self.organization.slug, self.role)

    natural_key.dependencies = ["history.aidprogram", "history.organization"]
