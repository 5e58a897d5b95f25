"""Citations ready to copy on every record page: Chicago style (bibliography
form), CSL-JSON (Zotero, citation processors) and BibTeX.

A source's page gives the source's own citation (the bibliography's writers in
history.downloads.bibliography); an event's, conference's or aid programme's page
gives the page itself, as a web page of this site, in the reader's language, at
its permanent address (slugs never change once published; an old one redirects).

Chicago is formatted here rather than by citeproc-py: the site cites a handful of
shapes (a web page, an article in a container, a book or report), and a few lines
give the same text without a CSL engine and a style file in the page's path."""

import json

from babel.dates import format_date
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import kinds
from .dates import format_precise_date
from .downloads.bibliography import (
    bibtex_entry,
    bibtex_key,
    container,
    csl_date,
    csl_item,
    latex_text,
    publisher_name,
    source_address,
)
from .models import Precision, Source

ITALIC_TITLES = {Source.Type.BOOK, Source.Type.REPORT, Source.Type.DATASET}


def chicago_date(date, precision=Precision.DAY):
    """Chicago writes 'December 1, 2026' in English; other languages their own way."""
    language = get_language() or settings.LANGUAGE_CODE
    if language != "en" or date is None:
        return format_precise_date(date, precision)
    pattern = {Precision.YEAR: "y", Precision.MONTH: "MMMM y"}.get(precision, "MMMM d, y")
    return format_date(date, pattern, locale="en_US")


def sentence(*parts):
    """Parts joined as Chicago's elements, each closed by a full stop."""
    html = mark_safe("")
    for part in parts:
        if part:
            text = str(part)
            closed = text.rstrip().endswith((".", "?", "!", ".”", "?”", "!”"))
            html += format_html("{}{} ", part, "" if closed else ".")
    return mark_safe(html.strip())


def quoted(title):
    """“Title.”: Chicago closes the element inside the quotation marks."""
    title = str(title).strip()
    return format_html("“{}{}”", title, "" if title.endswith((".", "?", "!")) else ".")


def chicago_source(source):
    """Author. “Title.” Container, date. URL. Books and reports: Author. <i>Title</i>.
    Place: Publisher, date. URL. The access date only where the source has no date."""
    publisher = publisher_name(source)
    author = source.author or publisher
    if source.source_type in ITALIC_TITLES:
        title = format_html("<i>{}</i>", source.title)
        imprint = ": ".join(part for part in (source.place, publisher if source.author else "") if part)
    else:
        title = quoted(source.title)
        imprint = container(source)
    date = chicago_date(source.published_date, source.published_precision) if source.published_date else ""
    accessed = ""
    if not date and source.accessed:
        accessed = _("Accessed %(date)s") % {"date": chicago_date(source.accessed)}
    where = ", ".join(part for part in (imprint, date) if part)
    return sentence(author, title, where, accessed, source_address(source))


def chicago_page(record, url):
    modified = ""
    if record.updated_at:
        modified = _("Last modified %(date)s") % {"date": chicago_date(record.updated_at.date())}
    return sentence(quoted(record.title), settings.SITE_NAME, modified, url)


def page_csl(record, url):
    kind = kinds.of(record)
    item = {
        "id": f"{kind.name}-{record.slug}",
        "type": "webpage",
        "title": str(record.title),
        "container-title": str(settings.SITE_NAME),
        "URL": url,
        "language": get_language() or settings.LANGUAGE_CODE,
    }
    published = record.first_published_at or record.updated_at
    if published:
        item["issued"] = csl_date(published.date(), Precision.DAY)
    return item


def page_bibtex(record, url):
    kind = kinds.of(record)
    fields = [
        ("title", "{" + latex_text(record.title) + "}"),
        ("howpublished", latex_text(settings.SITE_NAME)),
    ]
    published = record.first_published_at or record.updated_at
    if published:
        fields.append(("year", str(published.year)))
    fields += [("url", url), ("language", get_language() or settings.LANGUAGE_CODE)]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(f'{kind.name}-{record.slug}')},\n{body}\n}}\n"


def record_citation(request, record):
    """{"chicago": HTML, "csl": JSON text, "bibtex": text, "of_source": bool}."""
    if isinstance(record, Source):
        return {
            "chicago": chicago_source(record),
            "csl": json.dumps([csl_item(record)], ensure_ascii=False, indent=2),
            "bibtex": bibtex_entry(record),
            "of_source": True,
        }
    url = request.build_absolute_uri(record.get_absolute_url())
    return {
        "chicago": chicago_page(record, url),
        "csl": json.dumps([page_csl(record, url)], ensure_ascii=False, indent=2),
        "bibtex": page_bibtex(record, url),
        "of_source": False,
    }
