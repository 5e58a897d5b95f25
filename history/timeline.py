"""The timeline: published records of every kind on it (history.kinds.ON_TIMELINE),
in date order. The timeline page and its downloads read the same list."""

from . import kinds


def timeline_records():
    """Events, conferences and aid programmes (by their start), oldest first; on the
    same day by kind, then by slug, so that the order never depends on the database."""
    records = [record for kind in kinds.ON_TIMELINE for record in kind.model.objects.published()]
    records.sort(key=lambda record: (record.start_date, record._meta.model_name, record.slug))
    return records
