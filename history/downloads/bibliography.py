"""Sources as CSL-JSON (for Zotero and citation processors) and BibTeX."""

import json

from ..dates import date_parts
from ..models import Precision, Source

CSL_TYPES = {Source.Type.PRESS_RELEASE: "report"}  # CSL has no press-release type


def csl_date(date, precision):
    return {"date-parts": [list(date_parts(date, precision))]}


def csl_item(request, source):
    item = {
        "id": source.slug,
        "type": CSL_TYPES.get(source.source_type, source.source_type),
        "title": source.title,
        "URL": source.url or request.build_absolute_uri(source.get_absolute_url()),
        "language": source.language,
        "note": request.build_absolute_uri(source.get_absolute_url()),
    }
    if source.source_type == Source.Type.PRESS_RELEASE:
        item["genre"] = "press release"
    if source.author:
        item["author"] = [{"literal": source.author}]
    elif source.publisher:
        item["author"] = [{"literal": str(source.publisher.name)}]
    if source.publisher:
        item["publisher"] = str(source.publisher.name)
    if source.published_date:
        item["issued"] = csl_date(source.published_date, source.published_precision)
    if source.accessed:
        item["accessed"] = csl_date(source.accessed, Precision.DAY)
    if source.archive_url:
        item["archive_location"] = source.archive_url
    return item


def write_csl(request, kind, records):
    data = [csl_item(request, source) for source in records]
    return (
        json.dumps(data, ensure_ascii=False, indent=2),
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        "json",
    )


BIBTEX_TYPES = {
    Source.Type.BOOK: "book",
    Source.Type.REPORT: "techreport",
    Source.Type.JOURNAL: "article",
    Source.Type.NEWSPAPER: "article",
}
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_escape(text):
    """LaTeX specials escaped; other Unicode kept as it is (biber and BibLaTeX read UTF-8)."""
    return "".join(BIBTEX_SPECIAL.get(ch, ch) for ch in str(text))


def bibtex_url(text):
    # URLs go to \url{} verbatim; only braces and % would break the entry.
    return str(text).replace("%", r"\%").replace("{", "%7B").replace("}", "%7D")


def bibtex_key(slug):
    return "".join(ch if ch.isalnum() or ch in "-_:" else "-" for ch in slug)


def bibtex_entry(request, source):
    entry_type = BIBTEX_TYPES.get(source.source_type, "misc")
    fields = [("title", "{" + bibtex_escape(source.title) + "}")]
    if source.author:
        fields.append(("author", "{" + bibtex_escape(source.author) + "}"))
    if source.publisher:
        name = bibtex_escape(source.publisher.name)
        fields.append(("institution" if entry_type == "techreport" else "publisher", name))
        if not source.author:
            fields.append(("author", "{" + name + "}"))
    if source.published_date:
        fields.append(("year", str(source.published_date.year)))
        parts = date_parts(source.published_date, source.published_precision)
        if len(parts) > 1:
            fields.append(("month", MONTHS[parts[1] - 1]))
    if source.url:
        fields.append(("url", bibtex_url(source.url)))
    if source.accessed:
        fields.append(("urldate", source.accessed.isoformat()))
    fields.append(("language", source.language))
    fields.append(("note", bibtex_escape(request.build_absolute_uri(source.get_absolute_url()))))
    # month takes BibTeX's month macro (jan...), everything else goes in braces.
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{bibtex_key(source.slug)},\n{body}\n}}\n"


def write_bibtex(request, kind, records):
    text = "\n".join(bibtex_entry(request, source) for source in records)
    return text, "application/x-bibtex; charset=utf-8", "bib"
