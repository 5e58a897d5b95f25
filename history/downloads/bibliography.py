"""Sources as CSL-JSON (Zotero, citation processors) and BibTeX (BibTeX, biber).

Both say what the source says about itself, never this site: its own address (or
its archived copy when that is all there is; an address that is not http(s) goes
out as none), its date at the precision it is known, the newspaper or website it
appeared in. A news organisation (Organization type "media") is the container of
its articles, not their publisher or author."""

from ..dates import date_parts, iso_at_precision
from ..models import Organization, Precision, Source
from ..safety import outgoing_url
from .tabular import json_array

Type = Source.Type
# CSL has no press-release type; Zotero and citeproc read a report with a genre.
CSL_TYPES = {Type.PRESS_RELEASE: "report"}
CSL_GENRES = {Type.PRESS_RELEASE: "Press release"}


def source_address(source):
    """The source's own address: its URL, else its archived copy, else none."""
    return outgoing_url(source.url) or outgoing_url(source.archive_url)


def container(source):
    """The newspaper, journal or website it appeared in: as the editors wrote it, else
    the news organisation that published it."""
    if source.container_title:
        return source.container_title
    if is_media(source.publisher):
        return str(source.publisher.name)
    return ""


def is_media(organization):
    return organization is not None and organization.organization_type == Organization.Type.MEDIA


def publisher_name(source):
    """Who published it, when that is not the container already (a newspaper)."""
    if source.publisher is None or is_media(source.publisher):
        return ""
    return str(source.publisher.name)


def csl_date(date, precision):
    """CSL date-parts with only the parts that are known: [[1931]], [[1934, 11]]."""
    return {"date-parts": [list(date_parts(date, precision))]}


def csl_item(source):
    item = {
        "id": source.slug,
        "type": CSL_TYPES.get(source.source_type, source.source_type),
        "title": source.title,
        "language": source.language,
    }
    if source.source_type in CSL_GENRES:
        item["genre"] = CSL_GENRES[source.source_type]
    name = source.author or publisher_name(source)
    if name:
        item["author"] = [{"literal": name}]
    optional = {
        "container-title": container(source),
        "publisher": publisher_name(source),
        "publisher-place": source.place,
        "ISBN": source.isbn,
        "page": source.pages,
        "URL": source_address(source),
    }
    item.update({key: value for key, value in optional.items() if value})
    if outgoing_url(source.url) and outgoing_url(source.archive_url):
        item["archive_location"] = source.archive_url
    if source.published_date:
        item["issued"] = csl_date(source.published_date, source.published_precision)
    if source.accessed:
        item["accessed"] = csl_date(source.accessed, Precision.DAY)
    return item


def csl_items(sources):
    return (csl_item(source) for source in sources)


def write_csl(request, kind, records):
    return json_array(csl_items(records)), "application/vnd.citationstyles.csl+json; charset=utf-8", "json"


# BibTeX. Entry types that both BibTeX's standard styles and biblatex know; an entry
# of one only when it has the fields those styles require, else @misc, which
# requires none. Classic styles read year and month, biber reads date (at its
# precision); each ignores the other.
BIBTEX_TYPES = {
    Type.NEWSPAPER: ("article", ("author", "journal", "year")),
    Type.JOURNAL: ("article", ("author", "journal", "year")),
    Type.REPORT: ("techreport", ("author", "institution", "year")),
    Type.BOOK: ("book", ("author", "publisher", "year")),
}
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    # BibTeX counts braces even after a backslash: a lone \{ would end the field.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Characters a URL field cannot hold as they are: braces would end the field.
URL_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C"})


def latex_text(text):
    """LaTeX specials escaped, runs of white space as one space (a blank line would end
    LaTeX's paragraph), every other character as it is: UTF-8, which biber and BibTeX
    with inputenc read."""
    return "".join(LATEX_SPECIALS.get(ch, ch) for ch in " ".join(str(text).split()))


def bibtex_key(slug):
    """The slug, which is unique and never changes once published; a character a key
    cannot hold (there is none in a valid slug) becomes a hyphen."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_:.") else "-" for ch in slug)


def braced(text):
    return "{" + latex_text(text) + "}"


def bibtex_type(source, author, year):
    """The entry type of the source's kind when the source has what that type
    requires, else misc."""
    entry_type, required = BIBTEX_TYPES.get(source.source_type, ("misc", ()))
    available = {
        "author": bool(author),
        "journal": bool(container(source)),
        "institution": bool(publisher_name(source)),
        "publisher": source.publisher is not None,
        "year": year is not None,
    }
    return entry_type if all(available[name] for name in required) else "misc"


def bibtex_fields(source, entry_type, author):
    """(field, value) pairs of an entry, every value in its BibTeX form."""
    fields = {"title": "{" + braced(source.title) + "}"}  # double braces keep its capitals
    if author:
        fields["author"] = author
    where, publisher = container(source), publisher_name(source)
    if entry_type == "article":
        fields["journal"] = braced(where)
    elif entry_type == "techreport":
        fields["institution"] = braced(publisher)
    elif entry_type == "book":
        fields["publisher"] = braced(source.publisher.name)
    elif where:
        fields["howpublished"] = braced(where)
        if publisher:
            fields["organization"] = braced(publisher)
    elif publisher and not author.endswith("}}"):  # not already its corporate author
        fields["howpublished"] = braced(publisher)
    if source.place:
        fields["address"] = braced(source.place)
    if source.published_date:
        parts = date_parts(source.published_date, source.published_precision)
        fields["year"] = f"{{{parts[0]}}}"
        if len(parts) > 1:
            fields["month"] = MONTHS[parts[1] - 1]  # BibTeX's month macro, no braces
        fields["date"] = "{" + iso_at_precision(source.published_date, source.published_precision) + "}"
    if source.isbn:
        fields["isbn"] = braced(source.isbn)
    if source.pages:
        fields["pages"] = braced(source.pages)
    address = source_address(source)
    if address:
        fields["url"] = "{" + address.translate(URL_ESCAPES) + "}"
        if source.accessed:
            fields["urldate"] = "{" + source.accessed.isoformat() + "}"
    return fields


def bibtex_author(source):
    if source.author:
        return braced(source.author)
    if source.publisher is not None:
        # An organisation is one name: double braces keep BibTeX from reading
        # "Ministry of Foreign Affairs of Japan" as a person called Japan.
        return "{" + braced(source.publisher.name) + "}"
    return ""


def bibtex_entry(source):
    author = bibtex_author(source)
    entry_type = bibtex_type(source, author, source.published_date)
    fields = bibtex_fields(source, entry_type, author)
    body = ",\n".join(f"  {name} = {value}" for name, value in fields.items())
    return f"@{entry_type}{{{bibtex_key(source.slug)},\n{body}\n}}\n"


def bibtex_entries(sources):
    for number, source in enumerate(sources):
        yield ("\n" if number else "") + bibtex_entry(source)


def write_bibtex(request, kind, records):
    return bibtex_entries(records), "application/x-bibtex; charset=utf-8", "bib"
