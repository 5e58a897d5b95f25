"""Citations and disagreements attach to one record: an event, a conference or an
aid programme (the cited kinds in history.kinds). One nullable foreign key per
kind, exactly one set (enforced by the database), keeps fixtures readable with
natural keys, unlike a generic relation, whose object id would be a raw integer."""

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import kinds
from .base import Publishable
from .loading import MadeFromRows

# One foreign key per kind that can be cited, named after the kind.
SUBJECT_FIELDS = tuple(kind.name for kind in kinds.CITED)
EXACTLY_ONE_SUBJECT = _("Choose exactly one event, conference or aid programme.")


def exactly_one_subject(name):
    one_of = (Q(**{f"{field}__isnull": field != chosen for field in SUBJECT_FIELDS}) for chosen in SUBJECT_FIELDS)
    return models.CheckConstraint(
        condition=reduce(operator.or_, one_of),
        name=f"{name}_exactly_one_subject",
        violation_error_message=EXACTLY_ONE_SUBJECT,
    )


def published_subject(prefix=""):
    """The record a citation or disagreement (or, with a prefix, a claim's
    disagreement) is about is public."""
    return reduce(
        operator.or_, (Q(**{f"{prefix}{field}__status": Publishable.Status.PUBLISHED}) for field in SUBJECT_FIELDS)
    )


class SubjectQuerySet(models.QuerySet):
    def for_subject(self, record):
        return self.filter(**{record._meta.model_name: record})


class AboutOneRecord(MadeFromRows, models.Model):
    """Exactly one of the foreign keys added below (one per cited kind) is set."""

    class Meta:
        abstract = True

    @property
    def subject(self):
        return next((record for record in map(self.__getattribute__, SUBJECT_FIELDS) if record is not None), None)

    @property
    def subject_key(self):
        for field in SUBJECT_FIELDS:
            record = getattr(self, field)
            if record is not None:
                return (field, record.slug)
        return ("", "")

    def clean(self):
        super().clean()
        chosen = [field for field in SUBJECT_FIELDS if getattr(self, f"{field}_id") is not None]
        if len(chosen) != 1:
            raise ValidationError(EXACTLY_ONE_SUBJECT)


for _kind in kinds.CITED:
    AboutOneRecord.add_to_class(
        _kind.name,
        models.ForeignKey(
            f"{kinds.APP_LABEL}.{_kind.name}",
            verbose_name=_kind.singular,
            on_delete=models.CASCADE,
            null=True,
            blank=True,
            related_name="%(class)ss",
        ),
    )


class CitationQuerySet(SubjectQuerySet):
    def published(self):
        """Citations readers see: of a public source, about a public record."""
        return self.filter(published_subject(), source__status=Publishable.Status.PUBLISHED)


class DisagreementQuerySet(SubjectQuerySet):
    def published(self):
        return self.filter(published_subject())


class CitationManager(models.Manager.from_queryset(CitationQuerySet)):
    def get_by_natural_key(self, kind, slug, source, locator):
        return self.get(**{f"{kind}__slug": slug}, source__slug=source, locator=locator)


class Citation(AboutOneRecord):
    """The link between a record and a source it rests on."""

    source = models.ForeignKey(
        "history.Source", verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    locator = models.CharField(
        _("where in the source"),
        max_length=120,
        blank=True,
        help_text=_("Page, section or paragraph, e.g. 'p. 4' or 'para. 3'."),
    )
    quotation = models.TextField(
        _("quotation"),
        blank=True,
        max_length=500,
        help_text=_("A short phrase from the source, in its language, that supports the record."),
    )

    objects = CitationManager()

    class Meta:
        ordering = ("source__title", "locator")
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [exactly_one_subject("citation")] + [
            models.UniqueConstraint(
                fields=[field, "source", "locator"],
                condition=Q(**{f"{field}__isnull": False}),
                name=f"citation_unique_{field}_source_locator",
            )
            for field in SUBJECT_FIELDS
        ]

    def __str__(self):
        return f"{self.source}{', ' + self.locator if self.locator else ''}"

    def natural_key(self):
        return (*self.subject_key, self.source.slug, self.locator)

    natural_key.dependencies = [*(f"history.{field}" for field in SUBJECT_FIELDS), "history.source"]


class DisagreementManager(models.Manager.from_queryset(DisagreementQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Disagreement(AboutOneRecord):
    """Where sources give different values for the same date or figure."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("The record's key in data files."))
    question = models.CharField(
        _("question"),
        max_length=250,
        help_text=_("What the sources disagree on, e.g. 'When did Japan open its embassy in Kabul?'"),
    )
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Why the values differ and which one the site follows. Markdown."),
    )

    objects = DisagreementManager()

    class Meta:
        ordering = ("slug",)
        verbose_name = _("disagreement between sources")
        verbose_name_plural = _("disagreements between sources")
        constraints = [exactly_one_subject("disagreement")]

    def __str__(self):
        return str(self.question)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = [f"history.{field}" for field in SUBJECT_FIELDS]


class ClaimQuerySet(models.QuerySet):
    def published(self):
        """Claims readers see: of a public source, in a disagreement about a public record."""
        return self.filter(published_subject("disagreement__"), source__status=Publishable.Status.PUBLISHED)


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_by_natural_key(self, disagreement, source):
        return self.get(disagreement__slug=disagreement, source__slug=source)


class Claim(MadeFromRows, models.Model):
    """One source's value in a disagreement."""

    disagreement = models.ForeignKey(
        Disagreement, verbose_name=_("disagreement"), on_delete=models.CASCADE, related_name="claims"
    )
    source = models.ForeignKey(
        "history.Source", verbose_name=_("source"), on_delete=models.PROTECT, related_name="claims"
    )
    value = models.CharField(
        _("claimed value"), max_length=200, help_text=_("What this source says, e.g. '1971' or 'US$4.6 billion'.")
    )
    locator = models.CharField(_("where in the source"), max_length=120, blank=True)
    quotation = models.TextField(
        _("quotation"), blank=True, max_length=500, help_text=_("A short phrase from the source.")
    )
    preferred = models.BooleanField(
        _("followed by the site"),
        default=False,
        help_text=_("Tick the value the site's own text follows, if it follows one."),
    )

    objects = ClaimManager()

    class Meta:
        ordering = ("disagreement", "-preferred", "source__title")
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [models.UniqueConstraint(fields=["disagreement", "source"], name="claim_unique_source")]

    def __str__(self):
        return f"{self.source}: {self.value}"

    def natural_key(self):
        return (self.disagreement.slug, self.source.slug)

    natural_key.dependencies = ["history.disagreement", "history.source"]
