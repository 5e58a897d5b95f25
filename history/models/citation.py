"""Citations and disagreements attach to one record: an event, a conference or an
aid programme. Three nullable foreign keys (exactly one set, enforced by the
database) keep fixtures readable with natural keys, unlike a generic relation,
whose object id would be a raw integer."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SUBJECT_FIELDS = ("event", "conference", "aid_program")


def exactly_one_subject(name):
    one_of = [Q(**{f"{field}__isnull": field != chosen for field in SUBJECT_FIELDS}) for chosen in SUBJECT_FIELDS]
    condition = one_of[0] | one_of[1] | one_of[2]
    return models.CheckConstraint(
        condition=condition,
        name=f"{name}_exactly_one_subject",
        violation_error_message=_("Choose exactly one event, conference or aid programme."),
    )


class SubjectQuerySet(models.QuerySet):
    def for_subject(self, record):
        return self.filter(**{subject_field_for(record): record})


def subject_field_for(record):
    return {"event": "event", "conference": "conference", "aidprogram": "aid_program"}[record._meta.model_name]


def subject_by_key(kind, slug):
    """Find the record a citation or disagreement is about from its natural key."""
    from . import AidProgram, Conference, Event

    model = {"event": Event, "conference": Conference, "aid_program": AidProgram}[kind]
    return model.objects.get(slug=slug)


class AboutOneRecord(models.Model):
    event = models.ForeignKey(
        "history.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    conference = models.ForeignKey(
        "history.Conference",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    aid_program = models.ForeignKey(
        "history.AidProgram",
        verbose_name=_("aid programme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.event or self.conference or self.aid_program

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
            raise ValidationError(_("Choose exactly one event, conference or aid programme."))


class CitationManager(models.Manager.from_queryset(SubjectQuerySet)):
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

    natural_key.dependencies = ["history.event", "history.conference", "history.aidprogram", "history.source"]


class DisagreementManager(models.Manager.from_queryset(SubjectQuerySet)):
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

    natural_key.dependencies = ["history.event", "history.conference", "history.aidprogram"]


class ClaimManager(models.Manager):
    def get_by_natural_key(self, disagreement, source):
        return self.get(disagreement__slug=disagreement, source__slug=source)


class Claim(models.Model):
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
