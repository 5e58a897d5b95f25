"""How many of the records tied to one record its page lists. A conference may have
hundreds of programmes tied to its pledge, a source's claims and a record's
citations may run long: a record page lists at most RELATED_SHOWN of each kind of
tie and says when there are more, so that no record page grows without bound.

The page's prefetches read RELATED_SHOWN + 1 of each (FirstShown): the one past the
limit tells the page there are more, without counting them."""

from dataclasses import dataclass

from django.db.models import Prefetch

RELATED_SHOWN = 100


class FirstShown(Prefetch):
    """A Prefetch of the first RELATED_SHOWN + 1 related records of each record, in
    the queryset's order (Django reads them for every record at once, numbering each
    record's rows with a window function).

    Django reads the queryset it fetches with from get_current_querysets(); the
    plain queryset stays as it is, because Django also filters it to make each
    record's related manager, and a sliced queryset cannot be filtered (a sliced
    queryset given to Prefetch itself fails so)."""

    def get_current_querysets(self, level):
        querysets = super().get_current_querysets(level)
        return [queryset[: RELATED_SHOWN + 1] for queryset in querysets] if querysets else querysets


@dataclass
class Shown:
    """The related records a page lists, and whether it leaves some out."""

    records: list
    more: bool

    def __bool__(self):
        return bool(self.records)

    def __iter__(self):
        return iter(self.records)

    def __len__(self):
        return len(self.records)


def shown(records):
    """The first RELATED_SHOWN of records read with FirstShown."""
    records = list(records)
    return Shown(records[:RELATED_SHOWN], len(records) > RELATED_SHOWN)
