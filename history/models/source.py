from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Publishable, list_indexes, precision_field


class Source(Publishable):
    """What a statement rests on: a web page, report, treaty, speech, book..."""

    class Type(models.TextChoices):
        # Values are CSL item types so that CSL-JSON export needs no mapping.
        WEBPAGE = "webpage", _("web page")
        REPORT = "report", _("report")
        NEWSPAPER = "article-newspaper", _("news article")
        JOURNAL = "article-journal", _("journal article")
        ENCYCLOPEDIA = "entry-encyclopedia", _("encyclopedia entry")
        SPEECH = "speech", _("speech or statement")
        TREATY = "treaty", _("treaty")
        LEGAL = "legal_case", _("legal document")
        BOOK = "book", _("book")
        DATASET = "dataset", _("dataset")
        PRESS_RELEASE = "press-release", _("press release")

    class Reliability(models.TextChoices):
        PRIMARY = "primary", _("primary official source")
        AGENCY = "agency", _("UN or aid agency")
        SECONDARY = "secondary", _("secondary source (news, scholarship)")
        TERTIARY = "tertiary", _("tertiary source (encyclopedia, compilation)")

    class Language(models.TextChoices):
        EN = "en", _("English")
        JA = "ja", _("Japanese")
        FA = "fa", _("Dari / Persian")
        PS = "ps", _("Pashto")
        OTHER = "other", _("other")

    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("The source's own title, in its own language; it is not translated."),
    )
    source_type = models.CharField(_("type"), max_length=20, choices=Type, default=Type.WEBPAGE)
    author = models.CharField(
        _("author"),
        max_length=200,
        blank=True,
        help_text=_("Person or people who wrote it, if named. Leave empty when only an organisation is credited."),
    )
    publisher = models.ForeignKey(
        "history.Organization",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text=_("The organisation that published it."),
    )
    container_title = models.CharField(
        _("published in"),
        max_length=300,
        blank=True,
        help_text=_(
            "The newspaper, journal, website or book the source appears in, under its own name, "
            "e.g. 'The Japan Times'."
        ),
    )
    place = models.CharField(
        _("place of publication"), max_length=100, blank=True, help_text=_("For printed works, e.g. 'Tokyo'.")
    )
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True, help_text=_("For books, with or without hyphens."))
    pages = models.CharField(
        _("pages"),
        max_length=40,
        blank=True,
        help_text=_("The page range of an article or chapter within its book or journal, e.g. '45–67'."),
    )
    published_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the source carries no date."),
    )
    published_precision = precision_field(_("publication date precision"))
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    archive_url = models.URLField(
        _("archived copy"),
        max_length=500,
        blank=True,
        help_text=_("A copy in a web archive, in case the original moves or disappears."),
    )
    accessed = models.DateField(
        _("accessed on"), null=True, blank=True, help_text=_("When an editor last read it at its address.")
    )
    language = models.CharField(_("language of the source"), max_length=5, choices=Language, default=Language.EN)
    reliability = models.CharField(
        _("reliability"),
        max_length=10,
        choices=Reliability,
        default=Reliability.SECONDARY,
        help_text=_(
            "Primary: the government or body that acted. Agency: UN or aid agency reports. "
            "Secondary: news and scholarship. Tertiary: encyclopedias and copies."
        ),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What this source is and what it is good for, for readers. Markdown."),
    )
    notes = models.TextField(_("editors' notes"), blank=True, help_text=_("Not shown to readers."))

    class Meta:
        ordering = ("title",)
        indexes = list_indexes("source", ("title", "slug"), "source_type", "reliability", "language")
        verbose_name = _("source")
        verbose_name_plural = _("sources")
