"""RFC 4287's requirements on an Atom feed document, the ones the W3C Feed
Validator reports as errors, checked with lxml. No package ships the W3C
validator (it is not on PyPI), so this is the equivalent the data tests use next
to feedparser; each problem is a sentence naming the element."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM}}}"
# RFC 3339 date-time (RFC 4287 section 3.3): a time zone is required.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TEXT_TYPES = {"text", "html", "xhtml"}
# Markup a feed reader would run, which the W3C validator calls dangerous.
UNSAFE_TAGS = {"script", "iframe", "object", "embed", "style", "frame", "applet", "meta", "link", "base"}


class _Markup(HTMLParser):
    """Whether HTML holds an element or attribute a feed reader would run."""

    def __init__(self):
        super().__init__()
        self.unsafe = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.unsafe = True
        self.unsafe = self.unsafe or tag in UNSAFE_TAGS


def _unsafe_html(html):
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.unsafe
SINGLE = {  # (parent, child): at most one, and must there be one
    "feed": {
        "id": True,
        "title": True,
        "updated": True,
        "subtitle": False,
        "rights": False,
        "icon": False,
        "logo": False,
        "generator": False,
    },
    "entry": {
        "id": True,
        "title": True,
        "updated": True,
        "published": False,
        "summary": False,
        "content": False,
        "rights": False,
        "source": False,
    },
}


def _is_iri(text):
    parts = urlsplit(text or "")
    return bool(parts.scheme) and not re.search(r"\s", text)


def _children(element, name):
    return element.findall(A + name)


def _check_singles(element, kind, problems, where):
    for name, required in SINGLE[kind].items():
        count = len(_children(element, name))
        if count > 1:
            problems.append(f"{where}: more than one atom:{name}")
        if required and count == 0:
            problems.append(f"{where}: no atom:{name}")


def _check_text(element, problems, where):
    kind = element.get("type", "text")
    if kind not in TEXT_TYPES:
        problems.append(f"{where}: type {kind!r} is not text, html or xhtml")
    if kind == "html" and _unsafe_html(element.text or ""):
        problems.append(f"{where}: html that would run in a reader")
    if kind in ("text", "html") and len(element):
        problems.append(f"{where}: child elements in a {kind} construct")


def _check_links(element, problems, where):
    alternates = set()
    for link in _children(element, "link"):
        if not link.get("href"):
            problems.append(f"{where}: a link without href")
        elif not link.get("href").startswith(("http://", "https://")):
            problems.append(f"{where}: link {link.get('href')!r} is not an absolute http(s) address")
        if link.get("rel", "alternate") == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                problems.append(f"{where}: two alternate links of the same type and hreflang")
            alternates.add(key)
    return alternates


def _check_people(element, problems, where):
    for person in _children(element, "author") + _children(element, "contributor"):
        if len(_children(person, "name")) != 1 or not (person.findtext(A + "name") or "").strip():
            problems.append(f"{where}: a person construct needs exactly one non-empty atom:name")
        for uri in _children(person, "uri"):
            if not _is_iri(uri.text):
                problems.append(f"{where}: person uri {uri.text!r} is not an IRI")


def _check_common(element, kind, problems, where):
    _check_singles(element, kind, problems, where)
    for node in _children(element, "id"):
        if not _is_iri(node.text) or node.text != node.text.strip():
            problems.append(f"{where}: atom:id {node.text!r} is not an absolute IRI")
    for name in ("updated", "published"):
        for node in _children(element, name):
            if not DATE_TIME.match(node.text or ""):
                problems.append(f"{where}: atom:{name} {node.text!r} is not an RFC 3339 date-time")
    for name in ("title", "subtitle", "summary", "rights"):
        for node in _children(element, name):
            _check_text(node, problems, f"{where} atom:{name}")
    _check_people(element, problems, where)
    return _check_links(element, problems, where)


def problems(document):
    """Every way `document` (bytes) fails RFC 4287; an empty list when it is valid."""
    try:
        feed = etree.fromstring(document)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    if feed.tag != A + "feed":
        return [f"the root is {feed.tag}, not atom:feed"]
    found = []
    _check_common(feed, "feed", found, "feed")
    feed_has_author = bool(_children(feed, "author"))
    ids = set()
    for number, entry in enumerate(_children(feed, "entry"), start=1):
        where = f"entry {number} ({entry.findtext(A + 'id')})"
        alternates = _check_common(entry, "entry", found, where)
        if not feed_has_author and not _children(entry, "author"):
            found.append(f"{where}: no atom:author, and the feed has none")
        content = entry.find(A + "content")
        if content is None and not alternates:
            found.append(f"{where}: neither atom:content nor an alternate link")
        if content is not None:
            _check_text(content, found, f"{where} atom:content")
        if entry.findtext(A + "id") in ids:
            found.append(f"{where}: the same atom:id as an earlier entry")
        ids.add(entry.findtext(A + "id"))
    return found


def links(document):
    """{rel: href} of the feed's own links (RFC 5005 paging: first, next, prev-archive...)."""
    feed = etree.fromstring(document)
    return {link.get("rel", "alternate"): link.get("href") for link in _children(feed, "link")}
