"""Where sources disagree: every published disagreement, grouped by the record it
is about, with each source's claim side by side and the value the site follows.

In the order of the story (the records' dates), a page at a time: at 100,000
events, with a thousand disagreements, the whole list was a 1.3 MB page that took
over a second. Pages are found by the disagreement before or after them, as the
lists' are (history.paging), in the order kept whole until the content changes."""

from itertools import groupby

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import render

from .. import kinds, prepared
from ..content_version import kept
from ..models import Claim, Disagreement, Source
from ..models.citation import SUBJECT_FIELDS
from ..paging import RecordPage, kept_span
from ..related import read_ties

# The record each is about: its start, its kind (in the order of kinds.CITED),
# its slug; then the disagreement's own slug, which makes the order total.
STORY_ORDER = ("subject_start", "subject_kind", "subject_slug", "slug")


def in_story_order(disagreements):
    """The disagreements with the keys of STORY_ORDER, worked out in the database."""
    return disagreements.annotate(
        subject_start=Coalesce(*(f"{name}__start_date" for name in SUBJECT_FIELDS)),
        subject_kind=Case(
            *(When(**{f"{name}__isnull": False}, then=Value(n)) for n, name in enumerate(SUBJECT_FIELDS)),
            output_field=IntegerField(),
        ),
        subject_slug=Coalesce(*(f"{name}__slug" for name in SUBJECT_FIELDS)),
    )


def story():
    """The key and slug of every published disagreement, in STORY_ORDER, kept until
    the content changes: the order sorts every disagreement by values of the
    records they are about, which no index holds (at a thousand, about 4 ms on
    SQLite for every page), and a page is a stretch of it."""
    ordered = in_story_order(Disagreement.objects.published()).order_by(*STORY_ORDER)
    return kept("disagreements.story", lambda: list(ordered.values_list("pk", "slug")))


def shown(keys):
    """The disagreements of these keys with the records they are about, SQL built
    once for each number of them (history.prepared)."""

    def of(chosen):
        return Disagreement.objects.published().filter(pk__in=chosen).select_related(*SUBJECT_FIELDS).order_by()

    return prepared.in_order("history.Disagreement.page", of, keys)


def disagreement_list(request):
    order = story()
    start, stop, notices = kept_span([slug for _pk, slug in order], request.GET, settings.PAGE_SIZE)
    records = shown(tuple(pk for pk, _slug in order[start:stop]))
    page = RecordPage(records, len(order), has_previous=start > 0, has_next=stop < len(order), notices=notices)
    # Kept to public sources by the join that reads them, not a subquery of them all.
    claims = Claim.objects.filter(source__status=Source.Status.PUBLISHED).select_related("source")
    # Their claims with SQL built once for each number of disagreements (history.prepared).
    read_ties("history.Disagreement.page.", page.records, Prefetch("claims", queryset=claims))
    # A record's disagreements are next to one another; a page may split them.
    groups = [
        {"record": record, "kind": kinds.of(record), "disagreements": list(items)}
        for record, items in groupby(page.records, key=lambda disagreement: disagreement.subject)
    ]
    context = {"groups": groups, "count": page.count, "page_obj": page, "notices": page.notices}
    return render(request, "history/disagreements.html", context)
