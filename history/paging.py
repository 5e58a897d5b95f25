"""Pages of a long list that cost the same at any depth (keyset pagination).

A page is found by the record just before it (?after=<slug>) or just after it
(?before=<slug>), never by counting rows from the start: the database seeks to
that record's place through the index on the list's order and reads one page.
Every list is ordered by its model's ordering with the slug last, so that the
order is total and a position is exact. The last page is ?page=last.

Older links with ?page=N still answer with the same records as before (an offset
read on the index alone); a page past the end shows the last one, and a position
that no published record holds shows the first, each with a note."""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Q
from django.utils.translation import gettext as _

from .content_version import cached_count
from .parameters import whole_number

# Far past any list's last page: a larger ?page= is not read as a number.
MAX_PAGE_NUMBER = 10**12
NO_SUCH_PAGE = "There is no such page; page %(number)s is shown instead."


def list_order(model):
    """The model's ordering with the slug last: a total order, the one the indexes follow."""
    order = [name for name in model._meta.ordering if name != "slug"]
    return (*order, "slug")


def beyond(order, values, after=True):
    """Rows strictly after (or before) the row whose `order` fields hold `values`:
    (a > x) or (a = x and b > y) or ..., with a >= x (a <= x) beside it. Without
    that bound the database reads the OR as a filter, not an index range: on
    PostgreSQL a page four fifths down 100,000 events stepped over the 80,000
    index entries before it (18 ms, against 0.15 ms with it)."""
    lookup = "gt" if after else "lt"
    alternatives = []
    for i, name in enumerate(order):
        equal = {order[j]: values[j] for j in range(i)}
        alternatives.append(Q(**equal, **{f"{name}__{lookup}": values[i]}))
    return Q(**{f"{order[0]}__{lookup}e": values[0]}) & reduce(operator.or_, alternatives)


def descending(order):
    return [f"-{name}" for name in order]


@dataclass
class RecordPage:
    """One page of a list, with what its links need. The attributes the list
    templates read (paginator.count, has_previous, has_next) keep Django's names."""

    records: list
    count: int
    has_previous: bool = False
    has_next: bool = False
    notices: list = field(default_factory=list)

    @property
    def paginator(self):
        return self  # {{ page_obj.paginator.count }}

    @property
    def object_list(self):
        return self.records

    @property
    def previous_cursor(self):
        return self.records[0].slug if self.records else ""

    @property
    def next_cursor(self):
        return self.records[-1].slug if self.records else ""

    @property
    def is_first(self):
        return not self.has_previous

    def __iter__(self):
        return iter(self.records)

    def __len__(self):
        return len(self.records)


def _position(positions, order, slug):
    """The order values of the record of `positions` with this slug, None if there is none."""
    if not slug or len(slug) > 120:
        return None
    return positions.filter(slug=slug).values_list(*order).first()


def offset_rows(ordered, start, stop):
    """Rows start to stop of an ordered queryset, read as an offset over the index
    (only the keys are skipped: the list indexes hold them), then those rows, in
    that order."""
    keys = list(ordered.values_list("pk", flat=True)[start:stop])
    rows = {record.pk: record for record in ordered.filter(pk__in=keys)}
    return [rows[key] for key in keys if key in rows]


def _offset_page(queryset, order, size, number):
    """Page `number` counted from 1."""
    return offset_rows(queryset.order_by(*order), (number - 1) * size, number * size)


def _legacy_number(asked, count, size):
    """(page number, whether it was changed) for an older ?page=N link."""
    last = max(1, -(-count // size))
    if not asked.isascii() or not asked.isdigit():
        return 1, True
    number = whole_number(asked, 0, MAX_PAGE_NUMBER)
    if number is None:
        return last, True  # more digits than any page number has
    if number < 1:
        return 1, True
    if number > last:
        return last, True
    return number, False


def record_page(queryset, params, size, count=None, order=None, positions=None):
    """The page of `queryset` that the query parameters ask for (after, before,
    page), in the order of list_order() or in `order` (field or annotation names,
    the slug last). `count`: the number of rows, if known. `positions`: where a
    cursor's slug is looked up (by default every published record of the model,
    so that a link still finds its place when the filters have changed)."""
    order = order or list_order(queryset.model)
    positions = queryset.model.objects.published() if positions is None else positions
    ordered = queryset.order_by(*order)
    total = cached_count(queryset) if count is None else count
    after, before, asked = params.get("after", ""), params.get("before", ""), params.get("page", "")
    notices = []

    if after or before:
        position = _position(positions, order, after or before)
        if position is None:
            notices.append(_(NO_SUCH_PAGE) % {"number": 1})
        elif after:
            rows = list(ordered.filter(beyond(order, position))[: size + 1])
            has_previous = ordered.filter(beyond(order, position, after=False) | Q(slug=after)).exists()
            return RecordPage(rows[:size], total, has_previous=has_previous, has_next=len(rows) > size)
        else:
            rows = list(queryset.order_by(*descending(order)).filter(beyond(order, position, after=False))[: size + 1])
            has_next = ordered.filter(beyond(order, position) | Q(slug=before)).exists()
            return RecordPage(rows[:size][::-1], total, has_previous=len(rows) > size, has_next=has_next)
    elif asked == "last":
        rows = list(queryset.order_by(*descending(order))[:size])[::-1]
        return RecordPage(rows, total, has_previous=total > size, has_next=False)
    elif asked and asked != "1":
        number, changed = _legacy_number(asked, total, size)
        if changed:
            notices.append(_(NO_SUCH_PAGE) % {"number": number})
        rows = _offset_page(queryset, order, size, number)
        has_next = number * size < total
        return RecordPage(rows, total, has_previous=number > 1, has_next=has_next, notices=notices)

    rows = list(ordered[: size + 1])
    return RecordPage(rows[:size], total, has_previous=False, has_next=len(rows) > size, notices=notices)


def kept_span(slugs, params, size):
    """(start, stop, notices): the page the query parameters ask for (after, before,
    page, as record_page reads them) of a list whose whole order is kept, as its
    slugs in order (history.content_version.kept): positions in it, found without
    reading the database. The same pages and notices as record_page's."""
    total = len(slugs)
    after, before, asked = params.get("after", ""), params.get("before", ""), params.get("page", "")
    if after or before:
        try:
            position = slugs.index(after or before)
        except ValueError:
            return 0, min(size, total), [_(NO_SUCH_PAGE) % {"number": 1}]
        if after:
            return position + 1, min(position + 1 + size, total), []
        return max(0, position - size), position, []
    if asked == "last":
        return max(0, total - size), total, []
    if asked and asked != "1":
        number, changed = _legacy_number(asked, total, size)
        notices = [_(NO_SUCH_PAGE) % {"number": number}] if changed else []
        return (number - 1) * size, min(number * size, total), notices
    return 0, min(size, total), []
