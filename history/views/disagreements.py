"""Where sources disagree: every published disagreement, grouped by the record it
is about, with each source's claim side by side and the value the site follows."""

from django.db.models import Prefetch, Q
from django.shortcuts import render

from .. import kinds
from ..models import Claim, Disagreement, Source
from ..models.citation import SUBJECT_FIELDS


def disagreement_list(request):
    claims = Claim.objects.filter(Q(source__in=Source.objects.published())).select_related("source")
    disagreements = (
        Disagreement.objects.published()
        .select_related(*SUBJECT_FIELDS)
        .prefetch_related(Prefetch("claims", queryset=claims))
    )
    groups = {}
    for disagreement in disagreements:
        record = disagreement.subject
        groups.setdefault(record, []).append(disagreement)
    order = {kind.name: number for number, kind in enumerate(kinds.CITED)}
    records = sorted(groups, key=lambda record: (record.start_date, order[kinds.of(record).name], record.slug))
    context = {
        "groups": [{"record": record, "kind": kinds.of(record), "disagreements": groups[record]} for record in records],
        "count": sum(len(items) for items in groups.values()),
    }
    return render(request, "history/disagreements.html", context)
