"""The content check: what keeps the promise that every statement shows its sources.

Each check is a plain function over a queryset that yields Problems: the record, the field
at fault and a message for editors. `check_content` prints them grouped per record and the
admin page (content_check_admin) renders the same list, each record linking to its change
form. By default only what readers can see is checked; drafts can be included.

The rules, and why:
- a published event, conference or programme cites at least one source, and every citation
  says where in the source (a locator or a short quotation);
- a source has an address, or the full reference of a printed work (publisher or author,
  place and year; a chapter or article also its pages); a date, either its own or, for a
  web page that carries none, the day an editor read it; a publisher; and it does not point
  at this site, which would make the site its own evidence;
- an amount says what it covers (a period, "in all", "a year"): the currency has a default,
  so the text beside it is what is checked;
- a programme marked closed has an end date;
- a disagreement has at least two claims and says which value the site follows;
- every translated field that has English text has every other language too (drafts count:
  a translation waiting for a native speaker's review is there, only not yet checked).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from . import kinds
from .models import AidProgram, Claim, Conference, Disagreement, Source
from .models.base import translations

NO_ADDRESS = _("No address, and not a full printed reference (publisher or author, place, year; pages for an article).")
NO_DATE = _("No date: give the publication date, or for an undated web page the day it was read.")
PLEDGE_WITHOUT_PERIOD = _("The amount does not say what it covers (a period, “a year”, “in all”, “up to”).")
AMOUNT_WITHOUT_NOTE = _("The amount does not say what it covers (one grant, a phase, the whole programme).")


@dataclass(frozen=True)
class Problem:
    record: object
    field: str
    message: str

    @property
    def published(self):
        """Whether readers can see the record (a disagreement or claim: its record)."""
        record = self.record
        if isinstance(record, Claim):
            record = record.disagreement
        if isinstance(record, Disagreement):
            record = record.subject
        return record.is_published

    @property
    def admin_url(self):
        opts = self.record._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.record.pk])

    @property
    def kind(self):
        return self.record._meta.verbose_name

    @property
    def key(self):
        return (self.record._meta.model_name, self.record.pk)


def uncited(records):
    """Published records of a cited kind that rest on no source."""
    for record in records.annotate(citation_count=Count("citations")).filter(citation_count=0):
        yield Problem(record, "citations", _("No citation: the record rests on no source."))


def citations_without_place(records):
    """Citations that do not say where in the source the statement is."""
    for record in records.filter(citations__locator="", citations__quotation="").distinct():
        for citation in record.citations.filter(locator="", quotation="").select_related("source"):
            yield Problem(
                record,
                "citations",
                _("The citation of “%(source)s” gives no place in the source (page, section or a short quotation).")
                % {"source": citation.source.title},
            )


def this_site_hosts():
    """The host names this site answers to, from ALLOWED_HOSTS (a leading dot covers subdomains)."""
    return [host.lower() for host in settings.ALLOWED_HOSTS if host and host != "*"]


def points_at_this_site(url):
    if not url:
        return False
    parts = urlsplit(url)
    if not parts.netloc:
        return True  # a relative address can only be one of this site's own pages
    host = (parts.hostname or "").lower()
    return any(host == allowed or (allowed.startswith(".") and host.endswith(allowed)) for allowed in this_site_hosts())


def is_printed_reference(source):
    """A work without an address is findable by its printed reference."""
    if not (source.place and source.published_date and (source.publisher_id or source.author)):
        return False
    if source.container_title and source.source_type in (Source.Type.JOURNAL, Source.Type.NEWSPAPER):
        return bool(source.pages)  # an article is found by its pages
    return True


def incomplete_sources(sources):
    for source in sources:
        if not source.url and not is_printed_reference(source):
            yield Problem(
                source,
                "url",
                NO_ADDRESS,
            )
        if source.published_date is None and not (source.url and source.accessed):
            yield Problem(source, "published_date", NO_DATE)
        if source.url and source.accessed is None:
            yield Problem(source, "accessed", _("No date on which an editor read the page at its address."))
        if source.publisher_id is None:
            yield Problem(source, "publisher", _("No publisher."))
        for field in ("url", "archive_url"):
            if points_at_this_site(getattr(source, field)):
                yield Problem(source, field, _("The address points at this site, which cannot be its own source."))


def amounts_without_period(conferences, programs):
    for conference in conferences:
        for amount, currency, period in (
            ("total_pledged", "total_pledged_currency", "total_pledged_period"),
            ("japan_pledge", "japan_pledge_currency", "japan_pledge_period"),
        ):
            if getattr(conference, amount) is None:
                continue
            if not getattr(conference, currency):
                yield Problem(conference, currency, _("An amount without a currency."))
            if not getattr(conference, f"{period}_en"):
                yield Problem(conference, period, PLEDGE_WITHOUT_PERIOD)
    for program in programs:
        if program.amount is None:
            continue
        if not program.currency:
            yield Problem(program, "currency", _("An amount without a currency."))
        if not program.amount_note_en:
            yield Problem(program, "amount_note", AMOUNT_WITHOUT_NOTE)


def closed_without_end(programs):
    for program in programs.filter(activity_status=AidProgram.ActivityStatus.CLOSED, end_date__isnull=True):
        yield Problem(program, "end_date", _("The programme is marked closed but has no end date."))


def unsettled_disagreements(disagreements):
    annotated = disagreements.annotate(
        claim_count=Count("claims", distinct=True),
        followed=Count("claims", filter=Q(claims__preferred=True), distinct=True),
    )
    for disagreement in annotated:
        if disagreement.claim_count < 2:
            yield Problem(disagreement, "claims", _("A disagreement needs at least two claims, each with its source."))
        if disagreement.followed == 0:
            yield Problem(disagreement, "claims", _("The disagreement does not say which value the site follows."))


def translated_fields(model):
    try:
        return translator.get_options_for_model(model).fields
    except NotRegistered:
        return ()


def untranslated(records):
    """Translated fields with English text but no text in another language."""
    fields = translated_fields(records.model)
    if not fields:
        return
    for record in records:
        for field in fields:
            if not getattr(record, build_localized_fieldname(field, settings.LANGUAGE_CODE)):
                continue
            missing = [code for code in translations() if not getattr(record, build_localized_fieldname(field, code))]
            if missing:
                yield Problem(
                    record,
                    field,
                    _("Not translated into %(languages)s.") % {"languages": ", ".join(missing)},
                )


def run(include_drafts=False):
    """Every problem, grouped by record, published records first."""

    def scope(model):
        manager = model._default_manager
        return manager.all() if include_drafts else manager.published()

    problems = []
    for kind in kinds.CITED:
        records = scope(kind.model)
        problems += uncited(records)
        problems += citations_without_place(records)
        problems += untranslated(records)
    sources = scope(Source).select_related("publisher")
    problems += incomplete_sources(sources)
    problems += untranslated(sources)
    problems += amounts_without_period(scope(Conference), scope(AidProgram))
    problems += closed_without_end(scope(AidProgram))
    disagreements = Disagreement.objects.all() if include_drafts else Disagreement.objects.published()
    problems += unsettled_disagreements(disagreements)
    problems += untranslated(disagreements)
    claims = Claim.objects.all() if include_drafts else Claim.objects.published()
    problems += untranslated(claims.select_related("source", "disagreement"))
    return group(problems)


@dataclass
class RecordProblems:
    record: object
    admin_url: str
    kind: str
    published: bool
    problems: list


def group(problems):
    groups = {}
    for problem in problems:
        if problem.key not in groups:
            groups[problem.key] = RecordProblems(problem.record, problem.admin_url, problem.kind, problem.published, [])
        groups[problem.key].problems.append(problem)
    return sorted(groups.values(), key=lambda g: (not g.published, str(g.kind), str(g.record)))
