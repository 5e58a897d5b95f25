from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import SlugQuerySet
from .loading import MadeFromRows


class Organization(MadeFromRows, models.Model):
    """A government, ministry, agency or body that publishes, funds or implements."""

    class Type(models.TextChoices):
        GOVERNMENT = "government", _("government")
        MINISTRY = "ministry", _("ministry or government agency")
        EMBASSY = "embassy", _("embassy or legation")
        UN = "un", _("United Nations body")
        MULTILATERAL = "multilateral", _("other multilateral organisation")
        DEVELOPMENT_BANK = "bank", _("development bank")
        NGO = "ngo", _("non-governmental organisation")
        MEDIA = "media", _("news organisation")
        ACADEMIC = "academic", _("academic or reference work")
        OTHER = "other", _("other")

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("The record's key in data files, e.g. 'jica'."),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Full name, e.g. 'Japan International Cooperation Agency'.")
    )
    acronym = models.CharField(
        _("acronym"), max_length=30, blank=True, help_text=_("Short form readers know, e.g. 'JICA'.")
    )
    organization_type = models.CharField(_("type"), max_length=20, choices=Type, default=Type.OTHER)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_(
            "ISO 3166 two-letter code where the organisation is national (JP, AF); empty for international bodies."
        ),
    )
    url = models.URLField(_("website"), blank=True)
    iati_ref = models.CharField(
        _("IATI organisation identifier"),
        max_length=60,
        blank=True,
        help_text=_("The organisation's identifier in the IATI registry, if it has one."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("One or two sentences for readers."))

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ("name_en", "slug")  # the un-suffixed column holds whichever language saved last
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else str(self.name)

    def natural_key(self):
        return (self.slug,)

    @property
    def short_name(self):
        return self.acronym or self.name


class Province(MadeFromRows, models.Model):
    """One of Afghanistan's provinces, where an aid programme works."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ("name_en", "slug")
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return str(self.name)

    def natural_key(self):
        return (self.slug,)
