"""What a record page says about itself to machines: Highwire Press citation_*
tags (Zotero, Google Scholar), Dublin Core, schema.org JSON-LD, Open Graph (link
previews) and a canonical link, in the page's language.

A source's page describes the source (its title, author or publisher, date at its
precision, its own address): that is what a reader saving it wants. Every other
record's page describes itself, a page of this site: the site publishes it,
first_published_at dates it, and its schema.org data is a WebPage whose main
entity is the Event (a conference too) or Project (an aid programme), with its
dates at their precision and its sources as `citation`.

Only what reads the record's own fields and the relations its page already
fetches: no query of its own."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import kinds
from .dates import date_parts, iso_at_precision
from .downloads.bibliography import container, publisher_name, source_address
from .locales import likely_subtags
from .models import Participation, Precision, Source

SCHEMA_TYPES = {  # schema.org CreativeWork types of the sources' kinds
    Source.Type.WEBPAGE: "WebPage",
    Source.Type.REPORT: "Report",
    Source.Type.NEWSPAPER: "NewsArticle",
    Source.Type.JOURNAL: "ScholarlyArticle",
    Source.Type.ENCYCLOPEDIA: "Article",
    Source.Type.BOOK: "Book",
    Source.Type.DATASET: "Dataset",
    Source.Type.TREATY: "Legislation",
    Source.Type.LEGAL: "Legislation",
    Source.Type.PRESS_RELEASE: "NewsArticle",
}


def og_locale(code):
    """Open Graph's language_TERRITORY for a site language: en_GB, ja_JP, ps_AF."""
    language, _script, territory = likely_subtags(code)
    return f"{language}_{territory}"


def highwire_date(date, precision):
    """citation_publication_date as Google Scholar reads it: 2002/01/21, 2002/01, 2002."""
    return "/".join(f"{part:02d}" for part in date_parts(date, precision))


def page_language():
    return translation.get_language() or settings.LANGUAGE_CODE


def site_organization(request):
    return {
        "@type": "Organization",
        "name": str(settings.SITE_NAME),
        "url": request.build_absolute_uri(reverse("history:home")),
    }


def cited_work(request, source):
    work = {"@type": SCHEMA_TYPES.get(source.source_type, "CreativeWork"), "name": source.title}
    work["url"] = source_address(source) or request.build_absolute_uri(source.get_absolute_url())
    if source.published_date:
        work["datePublished"] = iso_at_precision(source.published_date, source.published_precision)
    return work


def source_entity(request, source):
    entity = cited_work(request, source)
    entity["inLanguage"] = source.language
    if source.author:
        entity["author"] = {"@type": "Person", "name": source.author}
    if source.publisher is not None:
        entity["publisher"] = {"@type": "Organization", "name": str(source.publisher.name)}
    if container(source):
        entity["isPartOf"] = {
            "@type": "Periodical" if source.source_type.startswith("article") else "WebSite",
            "name": container(source),
        }
    return entity


def record_entity(request, record):
    """The record as the page's main entity: an Event, or a Project for aid."""
    kind = kinds.of(record)
    start = iso_at_precision(record.start_date, record.start_precision)
    end = iso_at_precision(record.end_date, record.end_precision) if record.end_date else ""
    entity = {"name": record.title, "description": record.summary}
    if kind is kinds.AIDPROGRAM:
        entity.update(
            {"@type": "Project", "foundingDate": start, "location": {"@type": "Country", "name": "Afghanistan"}}
        )
        if end:
            entity["dissolutionDate"] = end
        funders = [p.organization for p in record.participations.all() if p.role == Participation.Role.FUNDING]
        if funders:
            entity["funder"] = [{"@type": "Organization", "name": str(o.name)} for o in funders]
        return entity
    entity.update({"@type": "Event", "startDate": start})
    if end:
        entity["endDate"] = end
    place = getattr(record, "location", "") or ", ".join(
        filter(None, (getattr(record, "venue", ""), getattr(record, "city", "")))
    )
    if place:
        entity["location"] = {"@type": "Place", "name": place}
    return entity


def json_ld(request, record, canonical):
    page = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": canonical,
        "name": record.title,
        "inLanguage": page_language(),
        "publisher": site_organization(request),
        "dateModified": record.updated_at.isoformat(),
    }
    if record.first_published_at:
        page["datePublished"] = record.first_published_at.isoformat()
    if isinstance(record, Source):
        page["mainEntity"] = source_entity(request, record)
    else:
        page["mainEntity"] = record_entity(request, record)
        page["citation"] = [cited_work(request, citation.source) for citation in record.citations.all()]
    return page


def citation_tags(record, canonical):
    """(name, content) of the Highwire Press and Dublin Core tags."""
    if isinstance(record, Source):
        tags = [("citation_title", record.title)]
        if record.author:
            tags.append(("citation_author", record.author))
        if container(record):
            tags.append(("citation_journal_title", container(record)))
        if publisher_name(record):
            tags.append(("citation_publisher", publisher_name(record)))
        if record.published_date:
            tags.append(("citation_publication_date", highwire_date(record.published_date, record.published_precision)))
        tags.append(("citation_language", record.language))
        if source_address(record):
            tags.append(("citation_public_url", source_address(record)))
        date = iso_at_precision(record.published_date, record.published_precision) if record.published_date else ""
        creator, publisher, language = record.author, publisher_name(record) or container(record), record.language
    else:
        published = record.first_published_at or record.created_at
        tags = [
            ("citation_title", record.title),
            ("citation_publisher", str(settings.SITE_NAME)),
            ("citation_publication_date", highwire_date(published, Precision.DAY)),
            ("citation_language", page_language()),
            ("citation_public_url", canonical),
        ]
        date, creator, publisher, language = published.date().isoformat(), "", str(settings.SITE_NAME), page_language()
    dublin_core = [
        ("DC.title", record.title),
        ("DC.creator", creator),
        ("DC.publisher", publisher),
        ("DC.date", date),
        ("DC.language", language),
        ("DC.identifier", canonical),
    ]
    return tags + [(name, value) for name, value in dublin_core if value]


def open_graph(request, record, canonical):
    """(property, content) of the Open Graph tags."""
    language = page_language()
    description = getattr(record, "summary", "") or getattr(record, "description", "") or ""
    tags = [
        ("og:type", "article"),
        ("og:title", record.title),
        ("og:url", canonical),
        ("og:site_name", str(settings.SITE_NAME)),
        ("og:locale", og_locale(language)),
    ]
    tags += [
        ("og:locale:alternate", og_locale(code)) for code, _name in settings.LANGUAGES if code != language
    ]
    if description:
        tags.append(("og:description", description[:300]))
    if record.first_published_at:
        tags.append(("article:published_time", record.first_published_at.isoformat()))
    tags.append(("article:modified_time", record.updated_at.isoformat()))
    return tags


def page_metadata(request, record):
    canonical = request.build_absolute_uri(record.get_absolute_url())
    return {
        "canonical": canonical,
        "citation": citation_tags(record, canonical),
        "open_graph": open_graph(request, record, canonical),
        "json_ld": json_ld(request, record, canonical),
    }
