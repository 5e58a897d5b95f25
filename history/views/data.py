"""The data page (/<lang>/data/): every dataset, its formats and what each column
means, the feeds, the licence; and the same as a Frictionless Data package
(/<lang>/data/datapackage.json)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import kinds
from ..downloads import public
from ..downloads.datapackage import data_package, dataset_kinds, table_schema

FORMATS = {
    "csv": _("CSV: the rows for spreadsheets, UTF-8 with a byte order mark."),
    "json": _("JSON: the same rows and columns."),
    "csl-json": _("CSL-JSON: for Zotero and other reference managers and citation processors."),
    "bibtex": _("BibTeX: for BibTeX and biber (UTF-8)."),
    "iati": _("IATI activity XML 2.03, with this site as a secondary reporter."),
    "timelinejs": _("JSON for TimelineJS, dates written in the reader's language."),
}


def list_url(kind):
    return reverse(kind.url_name("list")) if kind in kinds.KINDS else reverse("history:timeline")


def data_page(request):
    datasets = []
    for kind in dataset_kinds():
        url = list_url(kind)
        datasets.append(
            {
                "kind": kind,
                "url": url,
                "formats": [{"name": fmt, "url": f"{url}?format={fmt}", "about": FORMATS[fmt]} for fmt in kind.formats],
                "columns": table_schema(kind)["fields"],
                "feed": reverse(kind.url_name("feed")) if kind in kinds.KINDS else "",
            }
        )
    context = {
        "datasets": datasets,
        "license": settings.DATA_LICENSE,
        "limit": settings.DOWNLOAD_LIMIT,
        "iati_reporting_ref": settings.IATI_REPORTING_ORG_REF,
    }
    return render(request, "history/data.html", context)


def datapackage(request):
    response = JsonResponse(data_package(request), json_dumps_params={"ensure_ascii": False, "indent": 2})
    return public(response)
