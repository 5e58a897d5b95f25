"""What every content model shares: slug as natural key, draft/published status,
translation review state, a normalised search column and a version for editors."""

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import resolution_order

from .. import kinds
from ..addresses import detail_address
from ..related import FirstShown
from .loading import MadeFromRows


class Precision(models.TextChoices):
    """How much of a stored date is known. The stored date is the first day of the
    known period, so "1931" is kept as 1931-01-01 with precision YEAR."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class ReviewState(models.TextChoices):
    MISSING = "missing", _("not translated")
    DRAFT = "draft", _("draft translation")
    REVIEWED = "reviewed", _("reviewed by a native speaker")


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def published_lookups(model, relations, bounded=False):
    """The prefetches of QuerySet.with_published(). `bounded`: a record page's, each
    relation to many published records a FirstShown (history.related)."""
    lookups = []
    for relation in relations:
        first, _sep, rest = relation.partition("__")
        field = model._meta.get_field(first)
        related = field.related_model
        if hasattr(related._default_manager, "published"):
            many = (field.many_to_many or field.one_to_many) and not rest
            if bounded and many:
                # Listed as lines (a title, dates, a link): read as a list reads them.
                lookups.append(FirstShown(first, queryset=related._default_manager.published().for_lines()))
            else:
                lookups.append(models.Prefetch(first, queryset=related._default_manager.published()))
            if rest:
                lookups.append(relation)
        else:
            lookups.append(relation)
    return lookups


class PublishableQuerySet(SlugQuerySet):
    def published(self):
        """The one definition of what readers may see."""
        return self.filter(status=Publishable.Status.PUBLISHED)

    def with_published(self, *relations):
        """Fetch related records with the list, each relation narrowed to what readers
        may see: a draft conference reads as None, a draft programme is left out.
        "participations__organization" fetches the first step narrowed and the rest
        as it is."""
        return self.prefetch_related(*published_lookups(self.model, relations))

    def for_lines(self):
        """The records as a line of a list shows them: their translated columns in
        the reader's language and its fallback only, and no long body text, search
        text or bookkeeping. A timeline window or a search page reads a hundred records, and reading
        every column of every language made that a fifth slower (100 events: 6.9 ms
        against 5.5 ms)."""
        return self.defer(*unread_in_lines(self.model, get_language()))


# What the site keeps up to date itself (never carried in fixture files:
# history.fixtures_io.format), and no line of a list shows. A record's own page
# reads it (its metadata's dates), a feed and a sitemap their own columns. Each time is a text to
# parse on SQLite: three of them were a tenth of reading a search page's lines.
BOOKKEEPING = ("search_text", "version", "created_at", "updated_at", "first_published_at")


def unread_in_lines(model, language):
    """The columns for_lines() leaves unread: the bookkeeping, the bodies, and the
    other languages' translated columns. (The originals modeltranslation keeps are
    read: its defer() takes "title" to mean every title column.)"""
    shown = set(resolution_order(language or settings.LANGUAGE_CODE))
    unread = set(BOOKKEEPING)
    for original, columns in translator.get_options_for_model(model).all_fields.items():
        unread.update(column.name for column in columns if original == "body" or column.language not in shown)
    return sorted(unread & {field.name for field in model._meta.concrete_fields})


class Publishable(MadeFromRows, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_(
            "The address of the page and the record's key in data files. "
            "Lower-case words joined by hyphens; do not change it once published."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status,
        default=Status.DRAFT,
        help_text=_(
            "Drafts are never shown to readers. Only publishers can publish, "
            "and a record needs at least one citation first."
        ),
    )
    # review_<language>: one per translation, added below from settings.LANGUAGES.
    search_text = models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Normalised text of every language, kept up to date on save."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised on every save; an edit based on an older version is refused."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    first_published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When readers could first see the record; set the first time it is published."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.title)

    def get_absolute_url(self):
        return detail_address(kinds.of(self).url_name("detail"), self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


def translations():
    """The languages content is translated into: every language but the default."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def review_field_name(code):
    """review_ja, review_fa_af: where a record keeps how far its translation is checked."""
    return f"review_{code.replace('-', '_')}"


for _code in translations():
    _language = get_language_info(_code)["name"]
    Publishable.add_to_class(
        review_field_name(_code),
        models.CharField(
            format_lazy(_("{language} translation"), language=_language),
            max_length=10,
            choices=ReviewState,
            default=ReviewState.MISSING,
            help_text=format_lazy(
                _("Whether the {language} text still needs a native speaker's reading."), language=_language
            ),
        ),
    )


def list_indexes(name, order, *filters):
    """Indexes for a kind's public list and feed: published records in the list's
    order (the keyset pages of history.paging seek through it), the same under each
    filter by equality, and by last change, newest first with the key breaking ties
    (the feeds).

    The list indexes carry the key too (INCLUDE, on PostgreSQL; an SQLite index
    always holds the rowid): an offset page (?page=N, a sitemap page) skips its rows
    in the index alone. Without it, page 4,000 of 100,000 events read and sorted
    the whole table on PostgreSQL (220 ms)."""
    return [
        models.Index(fields=["status", *order], include=["id"], name=f"{name}_list_idx"),
        *(
            models.Index(fields=["status", field, *order], include=["id"], name=f"{name}_{field}_idx")
            for field in filters
        ),
        models.Index(fields=["status", "updated_at", "id"], name=f"{name}_updated_idx"),
    ]


def precision_field(verbose_name, **kwargs):
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=Precision,
        default=Precision.DAY,
        help_text=_("How much of the date is known: for a year alone, enter 1 January of that year and choose 'year'."),
        **kwargs,
    )


def not_negative(field, name):
    """A database check that an optional amount, when given, is zero or more."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=_("An amount cannot be negative."),
    )


class Currency(models.TextChoices):
    USD = "USD", _("US dollar")
    JPY = "JPY", _("Japanese yen")
    EUR = "EUR", _("euro")
    AFN = "AFN", _("Afghan afghani")
