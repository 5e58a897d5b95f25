"""A record page's own citation, for reference managers: on a source's page the
source itself (as the bibliography downloads give it), on every other record's
page the page, a web page of this site, accessed today. As CSL-JSON and BibTeX:
?format=csl-json or ?format=bibtex on the record's page."""

import json

from django.conf import settings
from django.utils.translation import get_language

from .. import kinds
from ..dates import today
from ..models import Precision, Source
from .bibliography import MONTHS, bibtex_entry, bibtex_key, braced, csl_date, csl_item

RECORD_FORMATS = ("csl-json", "bibtex")


def page_item(request, record):
    """CSL-JSON of a record's page on this site."""
    published = (record.first_published_at or record.created_at).date()
    site = str(settings.SITE_NAME)
    return {
        "id": f"{kinds.of(record).name}-{record.slug}",
        "type": "webpage",
        "title": record.title,
        "author": [{"literal": site}],
        "container-title": site,
        "publisher": site,
        "issued": csl_date(published, Precision.DAY),
        "accessed": csl_date(today(), Precision.DAY),
        "URL": request.build_absolute_uri(record.get_absolute_url()),
        "language": get_language(),
    }


def page_bibtex(request, record):
    """BibTeX of a record's page: @misc with the site as its corporate author."""
    item = page_item(request, record)
    year, month, day = item["issued"]["date-parts"][0]
    fields = {
        "title": "{" + braced(record.title) + "}",
        "author": "{" + braced(settings.SITE_NAME) + "}",
        "howpublished": braced(settings.SITE_NAME),
        "year": f"{{{year}}}",
        "month": MONTHS[month - 1],
        "date": f"{{{year:04d}-{month:02d}-{day:02d}}}",
        "url": "{" + item["URL"] + "}",
        "urldate": "{" + today().isoformat() + "}",
    }
    body = ",\n".join(f"  {name} = {value}" for name, value in fields.items())
    return f"@misc{{{bibtex_key(item['id'])},\n{body}\n}}\n"


def record_citation(request, record, fmt):
    """(text, content type, extension) of a record's own citation."""
    if fmt == "csl-json":
        item = csl_item(record) if isinstance(record, Source) else page_item(request, record)
        text = json.dumps([item], ensure_ascii=False, indent=2) + "\n"
        return text, "application/vnd.citationstyles.csl+json; charset=utf-8", "json"
    text = bibtex_entry(record) if isinstance(record, Source) else page_bibtex(request, record)
    return text, "application/x-bibtex; charset=utf-8", "bib"
